using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Data;

public static class DataSetup
{
    public const string ConnectionStringName = "BriefingRoom";

    /// <summary>SQLite by default: one file, in WAL mode so readers never wait for the writer.</summary>
    public static IServiceCollection AddBriefingData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set: name the SQLite file, e.g. \"Data Source=briefingroom.db\".");
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(configured) { ForeignKeys = true, DefaultTimeout = 30 };
            // A relative file is relative to the app's content root, not to wherever the app was started from.
            if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource) && !Path.IsPathRooted(builder.DataSource))
            {
                builder.DataSource = Path.Combine(environment.ContentRootPath, builder.DataSource);
            }
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not a valid SQLite connection string: {ex.Message}", ex);
        }

        var connectionString = builder.ToString();
        var synchronous = SqliteSynchronous.From(configuration);
        services.AddDbContext<BriefingDb>(options =>
        {
            options.UseSqlite(connectionString);
            if (synchronous is not null)
            {
                options.AddInterceptors(synchronous);
            }
        });
        services.AddSingleton<SqliteWriteGate>();
        return services;
    }

    /// <summary>Applies the committed migrations and switches the file to WAL; runs before the app takes requests.</summary>
    public static async Task MigrateAsync(this BriefingDb db, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
