using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BriefingRoom.Data;

/// <summary>The embedded default: one SQLite file. Migrations in Data/Migrations.</summary>
public sealed class SqliteBriefingDb(DbContextOptions<SqliteBriefingDb> options) : BriefingDb(options);

/// <summary>For several instances: PostgreSQL. Migrations in Data/Migrations/Postgres.</summary>
public sealed class PostgresBriefingDb(DbContextOptions<PostgresBriefingDb> options) : BriefingDb(options);

/// <summary>
/// Lets `dotnet ef migrations add X --context SqliteBriefingDb` work without the app's configuration
/// (creating a migration needs the provider, not a database).
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBriefingDb>
{
    public SqliteBriefingDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBriefingDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets `dotnet ef migrations add X --context PostgresBriefingDb --output-dir Data/Migrations/Postgres` work without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBriefingDb>
{
    public PostgresBriefingDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBriefingDb>().UseNpgsql("Host=localhost;Database=briefingroom_design").Options);
}
