namespace BriefingRoom.Drafting.Ot;

internal static class Utf16
{
    /// <summary>False when <paramref name="index"/> falls between a high and a low surrogate.</summary>
    public static bool IsBoundary(string text, int index) =>
        index <= 0 || index >= text.Length || !(char.IsHighSurrogate(text[index - 1]) && char.IsLowSurrogate(text[index]));

    /// <summary>
    /// <paramref name="text"/> as an answer quotes it back: its first <paramref name="keep"/> UTF-16 units and "…" when it
    /// is longer, one unit fewer where the cut would fall inside a surrogate pair (half of one is no character: the JSON
    /// writer shows it as U+FFFD).
    /// </summary>
    public static string Shorten(string text, int keep) =>
        text.Length <= keep ? text : text[..(IsBoundary(text, keep) ? keep : keep - 1)] + "…";

    /// <summary>True when every surrogate in <paramref name="text"/> is half of a pair.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text) => FirstUnpaired(text) < 0;

    /// <summary>The index of the first surrogate that is not half of a pair, or -1.</summary>
    public static int FirstUnpaired(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return i;
                }
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return i;
            }
        }
        return -1;
    }
}
