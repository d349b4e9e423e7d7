using Npgsql;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// PostgreSQL and Redis for the scale-out tests, when the environment names them (.ci/run starts both on loopback):
/// BRIEFINGROOM_TEST_POSTGRES, a connection string of a role that may create databases, and BRIEFINGROOM_TEST_REDIS.
/// Without them those tests are skipped and say why, unless BRIEFINGROOM_REQUIRE_SERVICES=1 makes that a failure.
/// Each test gets its own database and its own Redis key prefix.
/// </summary>
public static class ExternalServices
{
    public static string? Postgres => Environment.GetEnvironmentVariable("BRIEFINGROOM_TEST_POSTGRES");
    public static string? Redis => Environment.GetEnvironmentVariable("BRIEFINGROOM_TEST_REDIS");

    public static void RequirePostgresAndRedis()
    {
        if (!string.IsNullOrWhiteSpace(Postgres) && !string.IsNullOrWhiteSpace(Redis))
        {
            return;
        }

        const string Reason = "PostgreSQL and Redis are not configured (BRIEFINGROOM_TEST_POSTGRES, BRIEFINGROOM_TEST_REDIS); .ci/run starts both.";
        if (Environment.GetEnvironmentVariable("BRIEFINGROOM_REQUIRE_SERVICES") == "1")
        {
            Assert.Fail(Reason);
        }

        Assert.Skip(Reason);
    }

    /// <summary>A fresh database on the test server; dropping it is the caller's (see <see cref="DropDatabaseAsync"/>).</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = $"briefing_test_{Guid.NewGuid():N}";
        await using var admin = new NpgsqlConnection(Postgres);
        await admin.OpenAsync(TestContext.Current.CancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>
    /// Drops a test's database. Cleanup, not part of what a test asserts: an autovacuum worker that happens to be in the
    /// database makes PostgreSQL refuse FORCE to a role that is not a superuser ("must be a member of the role whose
    /// process is being terminated"); the worker leaves within moments, so the drop is tried again a few times, and a
    /// database left behind on a throwaway CI machine is no failure of the app.
    /// </summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Postgres);
        await admin.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                if (attempt == 20)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
