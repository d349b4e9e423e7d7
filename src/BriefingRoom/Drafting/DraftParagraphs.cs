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

    /// <summary>
    /// Where paragraph <paramref name="number"/> (from 1) stands in the draft: the span of its words, without the blanks
    /// around them. Null when the draft has fewer paragraphs.
    /// </summary>
    public static (int From, int To)? SpanOf(string draft, int number)
    {
        var count = 0;
        foreach (var line in draft.AsSpan().Split('\n'))
        {
            var (start, length) = line.GetOffsetAndLength(draft.Length);
            var words = draft.AsSpan(start, length);
            var trimmed = words.Trim();
            if (!trimmed.IsEmpty && ++count == number)
            {
                var from = start + (length - words.TrimStart().Length);
                return (from, from + trimmed.Length);
            }
        }

        return null;
    }

    /// <summary>
    /// The number of the paragraph that holds each of <paramref name="offsets"/> (each the offset of a character that is
    /// not blank, in ascending order), in one pass over the draft; a negative offset gives null.
    /// </summary>
    public static int?[] NumbersAt(string draft, IReadOnlyList<int> offsets)
    {
        var numbers = new int?[offsets.Count];
        var next = 0;
        while (next < offsets.Count && offsets[next] < 0)
        {
            next++;
        }

        var count = 0;
        foreach (var line in draft.AsSpan().Split('\n'))
        {
            if (next == offsets.Count)
            {
                break;
            }

            var (start, length) = line.GetOffsetAndLength(draft.Length);
            if (!draft.AsSpan(start, length).Trim().IsEmpty)
            {
                count++;
            }

            for (; next < offsets.Count && offsets[next] <= start + length; next++)
            {
                numbers[next] = count;
            }
        }

        return numbers;
    }

    /// <summary>The offset of the first character of <paramref name="draft"/>[<paramref name="from"/>..<paramref name="to"/>) that is not blank; -1 when there is none.</summary>
    public static int FirstWord(string draft, int from, int to)
    {
        // Blank as Trim has it, the test that says which lines are paragraphs.
        for (var at = from; at < to; at++)
        {
            if (!char.IsWhiteSpace(draft[at]))
            {
                return at;
            }
        }

        return -1;
    }
}
