using BriefingRoom.Voting;

namespace BriefingRoom.Population;

/// <summary>The table a meeting's year picks, and the year it asked for: they differ when that year has no table.</summary>
public sealed record PopulationChoice(PopulationTable Table, int RequestedYear)
{
    /// <summary>Said in the tally's notes when the meeting's year has no table of its own; null when it has.</summary>
    public string? Note => Table.Year == RequestedYear
        ? null
        : Table.Year < RequestedYear
            ? $"There is no population table for {RequestedYear}: the {Table.Year} table, the latest before it, is used."
            : $"There is no population table for {RequestedYear} or any earlier year: the {Table.Year} table, the earliest held, is used.";
}
