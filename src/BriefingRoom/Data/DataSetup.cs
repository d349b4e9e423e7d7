using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace BriefingRoom.Data;

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}

public static class DataSetup
{
    public const string ConnectionStringName = "BriefingRoom";
    public const string EngineSetting = "Briefing:Database";

    /// <summary>
    /// SQLite by default (one file, WAL mode so that readers never wait for the writer); PostgreSQL when
    /// Briefing:Database is "Postgres", for several instances. Either way ConnectionStrings:BriefingRoom names it.
    /// Data protection keys live in the database, so that a cookie issued by one instance works on all.
    /// </summary>
    public static IServiceCollection AddBriefingData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set: name the SQLite file, e.g. \"Data Source=briefingroom.db\", or the PostgreSQL database.");
        }

        var engineName = configuration[EngineSetting] ?? nameof(DatabaseEngine.Sqlite);
        if (!Enum.TryParse<DatabaseEngine>(engineName, ignoreCase: true, out var engine))
        {
            throw new InvalidOperationException($"{EngineSetting} is \"{engineName}\": it must be \"Sqlite\" or \"Postgres\".");
        }

        if (engine == DatabaseEngine.Postgres)
        {
            var connectionString = Validated(configured, c => new NpgsqlConnectionStringBuilder(c).ConnectionString, "PostgreSQL");
            services.AddDbContextPool<BriefingDb, PostgresBriefingDb>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            var connectionString = Validated(configured, c => SqliteConnectionString(c, environment), "SQLite");
            var synchronous = SqliteSynchronous.From(configuration);
            services.AddDbContextPool<BriefingDb, SqliteBriefingDb>(o =>
            {
                o.UseSqlite(connectionString);
                if (synchronous is not null)
                {
                    o.AddInterceptors(synchronous);
                }
            });
        }

        var keys = services.AddDataProtection().SetApplicationName("BriefingRoom").PersistKeysToDbContext<BriefingDb>();
        ProtectKeysAtRest(keys, configuration, environment);
        services.AddSingleton<SqliteWriteGate>();
        return services;
    }

    public const string CertificatePathSetting = "Briefing:DataProtection:CertificatePath";
    public const string CertificatePasswordSetting = "Briefing:DataProtection:CertificatePassword";

    /// <summary>
    /// The keys that sign cookies and tokens are stored in the database; outside Development they are encrypted there
    /// with a certificate (a PKCS#12 file with its private key), so that a copy of the database cannot forge a sign-in.
    /// Every instance loads the same certificate.
    /// </summary>
    private static void ProtectKeysAtRest(IDataProtectionBuilder keys, IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration[CertificatePathSetting];
        if (string.IsNullOrWhiteSpace(path))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    $"{CertificatePathSetting} is not set: outside Development the keys that sign cookies and tokens must be encrypted in the database. " +
                    $"Point it at a PKCS#12 (.pfx) certificate with its private key, and {CertificatePasswordSetting} at its password (README, \"Production\").");
            }

            return;
        }

        var file = Path.GetFullPath(path, environment.ContentRootPath);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(file, configuration[CertificatePasswordSetting], X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{CertificatePathSetting}: could not load the certificate {file} ({ex.Message}). Check the file and {CertificatePasswordSetting}.", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"{CertificatePathSetting}: {file} has no private key; the keys could be encrypted but never read back.");
        }

        // Decryption must find the same certificate: it is not in any certificate store on a Linux host.
        keys.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    private static string Validated(string configured, Func<string, string> parse, string engine)
    {
        try
        {
            return parse(configured);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not a valid {engine} connection string: {ex.Message}", ex);
        }
    }

    private static string SqliteConnectionString(string configured, IHostEnvironment environment)
    {
        var builder = new SqliteConnectionStringBuilder(configured) { ForeignKeys = true, DefaultTimeout = 30 };
        // A relative file is relative to the app's content root, not to wherever the app was started from.
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource) && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.Combine(environment.ContentRootPath, builder.DataSource);
        }

        return builder.ToString();
    }

    /// <summary>
    /// On PostgreSQL, instances started at the same moment prepare the database (migrations, the shipped population table,
    /// the demo) one after another: without it both applied the same migration and one of them failed to start ("column
    /// already exists"). A session-level advisory lock on a connection held until disposed; nothing on SQLite, which one
    /// instance serves. A database that does not exist yet is created by the migration, without the lock.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldPreparationLockAsync(this BriefingDb db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return PreparationLock.None;
        }

        try
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return PreparationLock.None;
        }

        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({PreparationLock.Key})", ct);
        return new PreparationLock(db);
    }

    private sealed class PreparationLock(BriefingDb? db) : IAsyncDisposable
    {
        /// <summary>Any constant the app alone uses: "BRPREP" in ASCII.</summary>
        public const long Key = 0x425250524550;

        public static readonly PreparationLock None = new(null);

        public async ValueTask DisposeAsync()
        {
            if (db is not null)
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({Key})");
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>Applies the committed migrations (of the engine in use) and, on SQLite, switches the file to WAL.</summary>
    public static async Task MigrateAsync(this BriefingDb db, CancellationToken ct)
    {
        // EF Core reads the migrations history before it creates it: on an empty PostgreSQL database that read fails and
        // is logged as an error, at every first start. Created first (if not there), the read finds it.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
