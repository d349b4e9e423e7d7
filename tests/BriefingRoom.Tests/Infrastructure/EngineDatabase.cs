using BriefingRoom.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>The database engines the app runs on, for a test that must hold on each.</summary>
public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A test's own database on <see cref="Engine"/>: SQLite (the app's own file, as every test gets) or a fresh PostgreSQL
/// database on the test server, dropped when the test ends (skipped, and saying why, where none is configured).
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly string? _postgres;

    private Database(string? postgres) => _postgres = postgres;

    public static async Task<Database> OnAsync(Engine engine)
    {
        if (engine == Engine.Sqlite)
        {
            return new Database(null);
        }

        ExternalServices.RequirePostgresAndRedis();
        return new Database(await ExternalServices.CreateDatabaseAsync());
    }

    /// <summary>The PostgreSQL database's connection string.</summary>
    public string Postgres => _postgres ?? throw new InvalidOperationException("This test's database is SQLite's.");

    /// <summary><paramref name="app"/> on this database, with <paramref name="interceptors"/> on its connections.</summary>
    public BriefingApp App(BriefingApp app, params IInterceptor[] interceptors) => _postgres is null
        ? app.WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(interceptors)))
        : app.With("Briefing:Database", "Postgres").With("ConnectionStrings:BriefingRoom", _postgres)
            .WithServices(s => s.ConfigureDbContext<PostgresBriefingDb>(o => o.AddInterceptors(interceptors)));

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await ExternalServices.DropDatabaseAsync(_postgres);
        }
    }
}
