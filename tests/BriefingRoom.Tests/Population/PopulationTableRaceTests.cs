using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Population;

/// <summary>
/// A year's table is read ("is there one?") and then added or replaced, in one transaction. On SQLite that transaction
/// is the one writer's (BEGIN IMMEDIATE); on PostgreSQL (read committed) two loads of one year run side by side.
/// </summary>
public class PopulationTableRaceTests
{
    /// <summary>
    /// Two administrators load the first 2026 table at once: both found no 2026 table and went to add one. The first's
    /// write is held while the second's is made and committed; the first then broke on the year's key with a 500.
    /// </summary>
    [Fact]
    public async Task OnPostgresTwoFirstLoadsOfOneYearAtOnceBothLoadAndTheLaterStands()
    {
        await using var database = await Database.OnAsync(Engine.Postgres);
        var firstWrite = new HoldingInterceptor(sql => sql.Contains("INSERT INTO \"PopulationTables\"", StringComparison.Ordinal));
        // Never held: it says when the second load has reached the year's lock (on the fixed code it waits there).
        var waiting = new HoldingInterceptor(sql => sql.Contains("pg_advisory_xact_lock", StringComparison.Ordinal));
        waiting.Release();
        await using var app = database.App(new BriefingApp(), firstWrite, waiting);
        using var admin = await app.SignInAsync("admin");

        firstWrite.HoldNext();
        var first = admin.PutJsonAsync("/api/population-tables/2026", new { source = "first load", origin = "official", csv = PopulationTablesApiTests.SyntheticCsv() });
        await firstWrite.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        waiting.HoldNext();
        var second = admin.PutJsonAsync("/api/population-tables/2026", new { source = "second load", origin = "official", csv = PopulationTablesApiTests.SyntheticCsv(2) });
        await Task.WhenAny(second, waiting.Held).WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        firstWrite.Release();

        var answers = new[] { await first, await second };
        Assert.True(answers.All(a => a.IsSuccessStatusCode), $"answers: {string.Join(", ", answers.Select(a => (int)a.StatusCode))}");
        var (source, figures, total) = app.WithDb(db => (
            db.PopulationTables.Single(t => t.Year == 2026).Source,
            db.PopulationFigures.Count(f => f.Year == 2026),
            db.PopulationFigures.Where(f => f.Year == 2026).Sum(f => f.Population)));
        // All of the second's figures, none of the first's: 2,000,000 people times each state's protocol position.
        Assert.Equal(("second load", 27, 2_000_000L * 27 * 28 / 2), (source, figures, total));
    }
}
