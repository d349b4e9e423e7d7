using System.Collections.Frozen;
using System.Collections.Immutable;

namespace BriefingRoom.Voting;

/// <summary>Where a table's integers come from, so that the app can label approximations as such.</summary>
public enum PopulationFigureOrigin
{
    /// <summary>The exact integers the Council fixed for the year (its decision in the Official Journal).</summary>
    Official,
    /// <summary>Approximations computed from published percentage shares; show them as "derived from published shares".</summary>
    DerivedFromPublishedShares,
}

public sealed record PopulationFigure(string Code, long Population);

/// <summary>
/// Each member state's population for one year, as fixed by the Council for qualified-majority voting
/// (Annex III of the Council's Rules of Procedure). Always holds exactly the 27 member states, each with
/// a positive figure; shares are computed from the table's own total, never from a published total or
/// published percentages, so that a table and its shares cannot disagree.
/// </summary>
public sealed class PopulationTable
{
    /// <summary>
    /// More people than any member state could have (the largest has under a tenth of it), and small enough that the
    /// table's total, and the thresholds computed from it, stay far inside a 64-bit integer.
    /// </summary>
    public const long MaxPopulation = 1_000_000_000;

    private readonly FrozenDictionary<string, long> _byCode;

    /// <exception cref="ArgumentException">A code is unknown or repeated, a member state is missing, or a figure is not positive. Use <see cref="PopulationTableParser"/> for a friendly error list.</exception>
    public PopulationTable(int year, string source, PopulationFigureOrigin origin, IEnumerable<PopulationFigure> figures)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(year);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentNullException.ThrowIfNull(figures);

        var byCode = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var figure in figures)
        {
            if (!MemberStates.IsMemberState(figure.Code))
            {
                throw new ArgumentException($"'{figure.Code}' is not a member state code.", nameof(figures));
            }
            if (figure.Population is <= 0 or > MaxPopulation)
            {
                throw new ArgumentException($"The population of {figure.Code} must be positive and at most {MaxPopulation}, not {figure.Population}.", nameof(figures));
            }
            if (!byCode.TryAdd(figure.Code, figure.Population))
            {
                throw new ArgumentException($"{figure.Code} appears more than once.", nameof(figures));
            }
        }
        var missing = MemberStates.All.Where(s => !byCode.ContainsKey(s.Code)).Select(s => s.Code).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"No figure for {string.Join(", ", missing)}.", nameof(figures));
        }

        Year = year;
        Source = source;
        Origin = origin;
        _byCode = byCode.ToFrozenDictionary(StringComparer.Ordinal);
        Figures = [.. MemberStates.All.Select(s => new PopulationFigure(s.Code, byCode[s.Code]))];
        Total = Figures.Sum(f => f.Population);
    }

    public int Year { get; }

    public string Source { get; }

    public PopulationFigureOrigin Origin { get; }

    /// <summary>One figure per member state, in protocol order.</summary>
    public ImmutableArray<PopulationFigure> Figures { get; }

    /// <summary>The sum of the table's own figures: the population of the Union for this table.</summary>
    public long Total { get; }

    public long PopulationOf(string code) =>
        _byCode.TryGetValue(code, out var population)
            ? population
            : throw new ArgumentException($"'{code}' is not a member state code.", nameof(code));

    /// <summary>The member state's share of the table's total, in percent, unrounded.</summary>
    public decimal SharePercentOf(string code) => PopulationOf(code) * 100m / Total;
}
