using BriefingRoom.Voting;

namespace BriefingRoom.Population;

/// <summary>
/// One year's population table as the installation holds it: the figures the Council fixed for that year (or an
/// approximation, labelled as such), where they come from, and who loaded them. Written only through
/// <see cref="PopulationTableParser"/>, so every stored table has exactly the 27 member states.
/// </summary>
public class StoredPopulationTable
{
    public int Year { get; set; }
    public required string Source { get; set; }
    public PopulationFigureOrigin Origin { get; set; }
    public DateTimeOffset LoadedAt { get; set; }
    public required string LoadedByName { get; set; }
    /// <summary>Null for the table the app ships with and loads itself on start-up.</summary>
    public string? LoadedByUserId { get; set; }
    public List<StoredPopulationFigure> Figures { get; set; } = [];

    public PopulationTable ToTable() =>
        new(Year, Source, Origin, Figures.Select(f => new PopulationFigure(f.Code, f.Population)));
}

public class StoredPopulationFigure
{
    public int Year { get; set; }
    public required string Code { get; set; }
    public long Population { get; set; }
}
