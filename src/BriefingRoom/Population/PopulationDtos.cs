using System.ComponentModel.DataAnnotations;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Voting;

namespace BriefingRoom.Population;

public sealed record PopulationTableSummaryDto(int Year, string Source, PopulationFigureOrigin Origin, DateTimeOffset LoadedAt, string LoadedBy, long Total);

/// <summary>A member state's figure and its share of the table's own total (percent, rounded to two decimals for display).</summary>
public sealed record PopulationFigureDto(string Code, string Name, long Population, decimal SharePercent);

public sealed record PopulationTableDto(
    int Year, string Source, PopulationFigureOrigin Origin, DateTimeOffset LoadedAt, string LoadedBy, long Total,
    IReadOnlyList<PopulationFigureDto> Figures)
{
    public static PopulationTableDto From(StoredPopulationTable stored)
    {
        var table = stored.ToTable();
        return new(stored.Year, stored.Source, stored.Origin, stored.LoadedAt, stored.LoadedByName, table.Total,
            [.. table.Figures.Select(f => new PopulationFigureDto(
                f.Code, MemberStates.NameOf(f.Code), f.Population, Math.Round(f.Population * 100m / table.Total, 2, MidpointRounding.AwayFromZero)))]);
    }
}

/// <summary>
/// A year's table as an administrator loads it. <see cref="Csv"/> is the table's text: a header naming a <c>code</c>
/// and a <c>population</c> column (other columns are ignored), separated by tabs or commas, then one row per member
/// state with its whole population ("84 311 244" or "84311244"); lines starting with '#' are comments.
/// </summary>
public sealed record PutPopulationTableRequest(
    [property: Required, Legible, StringLength(Limits.Reason, MinimumLength = 1)] string Source,
    [property: Required] PopulationFigureOrigin? Origin,
    [property: Required, StringLength(Limits.PopulationTableText, MinimumLength = 1)] string Csv);

/// <summary>One reason a loaded table was refused, as problem details list it.</summary>
public sealed record PopulationTableErrorDto(int? Line, PopulationTableErrorKind Kind, string Message);
