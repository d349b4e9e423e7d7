using BriefingRoom.Data;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Population;

/// <summary>Reading the stored population tables: which one a year uses, and the shipped table loaded on first start.</summary>
public static class PopulationTableStore
{
    public const string ShippedBy = "BriefingRoom (shipped with the app)";

    /// <summary>
    /// The table for <paramref name="year"/>: that year's, else the latest earlier one, else the earliest held. Reads
    /// through <paramref name="db"/>, so that inside a change it sees the change's own transaction.
    /// </summary>
    public static async Task<PopulationChoice> ForYearAsync(BriefingDb db, int year, CancellationToken ct)
    {
        var years = await db.PopulationTables.Select(t => t.Year).ToListAsync(ct);
        if (years.Count == 0)
        {
            // Only before start-up has loaded the shipped table (a test host reading early, say): the same figures, from the build.
            return new PopulationChoice(PopulationTables.Eu2025, year);
        }

        var chosen = PickYear(years, year);
        var stored = await db.PopulationTables.AsNoTracking().Include(t => t.Figures).SingleAsync(t => t.Year == chosen, ct);
        return new PopulationChoice(stored.ToTable(), year);
    }

    /// <summary>The year's own table, else the latest before it, else the earliest there is.</summary>
    public static int PickYear(IReadOnlyCollection<int> years, int year)
    {
        var earlier = years.Where(y => y <= year).ToList();
        return earlier.Count > 0 ? earlier.Max() : years.Min();
    }

    /// <summary>Loads the shipped 2025 table when the database has none for 2025; an administrator's 2025 table is never overwritten.</summary>
    public static async Task EnsureShippedTableAsync(BriefingDb db, TimeProvider clock, CancellationToken ct)
    {
        var shipped = PopulationTables.Eu2025;
        if (await db.PopulationTables.AnyAsync(t => t.Year == shipped.Year, ct))
        {
            return;
        }

        db.PopulationTables.Add(new StoredPopulationTable
        {
            Year = shipped.Year,
            Source = shipped.Source,
            Origin = shipped.Origin,
            LoadedAt = clock.GetUtcNow(),
            LoadedByName = ShippedBy,
            Figures = [.. shipped.Figures.Select(f => new StoredPopulationFigure { Year = shipped.Year, Code = f.Code, Population = f.Population })],
        });
        await db.SaveChangesAsync(ct);
    }
}
