using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BriefingRoom.Tests.Hosting;

/// <summary>
/// An operator's first start on PostgreSQL: a log line at error level is what paging and dashboards watch, so a routine
/// start on an empty database must not write one (EF Core logs its first read of the migrations history, which does not
/// exist yet, as a failed command).
/// </summary>
public class PostgresStartTests
{
    [Fact]
    public async Task AFreshPostgresDatabaseIsMigratedAndSeededWithoutAnErrorInTheLogAndSoIsTheNextStart()
    {
        await using var database = await Database.OnAsync(Engine.Postgres);
        var prefix = $"test-{Guid.NewGuid():N}:";
        foreach (var start in new[] { "first start, empty database", "second start, migrated" })
        {
            var logs = new LogCollector();
            await using var app = new BriefingApp().ScaledOut(database.Postgres, prefix)
                .WithServices(services => services.AddSingleton<ILoggerProvider>(logs));

            var chair = await app.SignInAsync("chair");
            await (await chair.GetAsync("/api/meetings/1", TestHttp.Ct)).ShouldBeAsync(200);

            Assert.True(logs.Errors.Count == 0, $"{start}: {string.Join(Environment.NewLine, logs.Errors)}");
            Assert.Contains(logs.Entries, l => l.Category == "Microsoft.Hosting.Lifetime");
        }
    }

    /// <summary>
    /// The README starts the app "on each machine; the first to start applies the migrations": started at the same
    /// moment on an empty database, both instances come up, on one schema and one demo meeting.
    /// </summary>
    [Fact]
    public async Task TwoInstancesStartedAtOnceOnAnEmptyDatabaseBothComeUp()
    {
        await using var database = await Database.OnAsync(Engine.Postgres);
        var prefix = $"test-{Guid.NewGuid():N}:";
        BriefingApp Instance() => new BriefingApp().ScaledOut(database.Postgres, prefix);
        await using var a = Instance();
        await using var b = Instance();

        await Task.WhenAll(Task.Run(() => a.BaseAddress, TestHttp.Ct), Task.Run(() => b.BaseAddress, TestHttp.Ct));

        foreach (var app in new[] { a, b })
        {
            var chair = await app.SignInAsync("chair");
            await (await chair.GetAsync("/api/meetings/1", TestHttp.Ct)).ShouldBeAsync(200);
        }

        Assert.Equal(1, a.WithDb(db => db.Meetings.Count()));
    }
}
