namespace BriefingRoom.Voting;

/// <summary>The population tables that ship with the app. An administrator may load others with <see cref="PopulationTableParser"/>.</summary>
public static class PopulationTables
{
    public const string Eu2025Source =
        "Council of the EU, population figures for 2025 (Annex III of the Council's Rules of Procedure), fixed in December 2024; " +
        "shares as reported by Agence Europe on 12 December 2024 (\"Updating of EU member states' population figures for calculating " +
        "qualified majority voting in EU Council\"); integers derived as share x 451 028 881, the Union's total for 2025.";

    private const string Eu2025Resource = "BriefingRoom.Voting.Data.population-2025.tsv";

    private static readonly Lazy<PopulationTable> s_eu2025 = new(LoadEu2025);

    /// <summary>
    /// 2025, derived from the published shares (two decimals) because the Council's official integers could not be
    /// retrieved: each figure is within about 23 000 people of the official one. Label results that use it accordingly.
    /// </summary>
    public static PopulationTable Eu2025 => s_eu2025.Value;

    private static PopulationTable LoadEu2025()
    {
        using var stream = typeof(PopulationTables).Assembly.GetManifestResourceStream(Eu2025Resource)
            ?? throw new InvalidOperationException($"The embedded resource {Eu2025Resource} is missing from the build.");
        using var reader = new StreamReader(stream);
        var result = PopulationTableParser.Parse(reader.ReadToEnd(), 2025, Eu2025Source, PopulationFigureOrigin.DerivedFromPublishedShares);
        return result.Succeeded
            ? result.Table
            : throw new InvalidOperationException(
                $"The embedded 2025 population table is malformed: {string.Join(" ", result.Errors.Select(e => e.Message))}");
    }
}
