namespace BriefingRoom.Drafting;

/// <summary>
/// What a paragraph of a draft is, in one place: its non-empty lines, trimmed, numbered from 1. The conclusions
/// print them in this order, and a reservation that names "paragraph 2" of an item means the second of them.
/// </summary>
public static class DraftParagraphs
{
    public static IReadOnlyList<string> Of(string draft) =>
        [.. draft.Split('\n').Select(p => p.Trim()).Where(p => p.Length > 0)];

    /// <summary>How many paragraphs the draft has, without building them.</summary>
    public static int Count(string draft)
    {
        var count = 0;
        foreach (var line in draft.AsSpan().Split('\n'))
        {
            if (!draft.AsSpan()[line].Trim().IsEmpty)
            {
                count++;
            }
        }

        return count;
    }
}
