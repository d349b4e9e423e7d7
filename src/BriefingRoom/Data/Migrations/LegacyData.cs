namespace BriefingRoom.Data.Migrations;

/// <summary>SQL that brings data stored under older rules in line with today's, the same on SQLite and PostgreSQL.</summary>
internal static class LegacyData
{
    /// <summary>The labels that are one line (<see cref="Api.OneLineAttribute"/>, as of that migration) and the tables and columns that hold them.</summary>
    private static readonly (string Table, string Column)[] s_oneLineLabels =
    [
        ("Meetings", "Title"), ("Meetings", "Place"), ("Meetings", "DocumentNumber"), ("Meetings", "DistributionMarking"),
        ("Participants", "HeadOfDelegation"), ("Delegations", "Name"),
    ];

    /// <summary>
    /// Before labels refused line breaks, the API stored them (the page never showed them). Such a meeting could not be
    /// closed or reopened from the page, which sends its labels back as they are and was refused naming the field; the
    /// page has no form to correct them. Each line break becomes a space, and the label is trimmed.
    /// </summary>
    public static string OneLineLabels => string.Join('\n', s_oneLineLabels.Select(label =>
    {
        var column = $"\"{label.Column}\"";
        var spaced = column;
        foreach (var lineBreak in s_lineBreaks)
        {
            spaced = $"replace({spaced}, '{lineBreak}', ' ')";
        }

        var holdsOne = string.Join(" OR ", s_lineBreaks.Select(lineBreak => $"{column} LIKE '%{lineBreak}%'"));
        return $"UPDATE \"{label.Table}\" SET {column} = trim({spaced}) WHERE {holdsOne};";
    }));

    /// <summary>Each made one space, in this order: a Windows line end before its two halves.</summary>
    private static readonly string[] s_lineBreaks = ["\r\n", "\r", "\n", "\u2028", "\u2029"];
}
