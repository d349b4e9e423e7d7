using System.Buffers;
using System.Globalization;

namespace BriefingRoom.Drafting;

/// <summary>
/// The characters a text may hold, wherever it enters (an operation's inserts, every REST and hub field): every
/// Unicode character that real texts use (every script, emoji and their modifiers, combining marks, joiners, bidi
/// marks and isolates, private use, characters not yet assigned), but none that storage, export or another
/// client could change or misread:
/// <list type="bullet">
/// <item>control characters (U+0000–U+001F, U+007F–U+009F) other than tab and line feed: U+0000 cut stored texts
/// short, and the rest have no place in a document. Carriage return is refused rather than silently dropped or
/// turned into a line feed: a line ends with a line feed alone, as browsers send it;</item>
/// <item>noncharacters (U+FDD0–U+FDEF and the last two code points of every plane, such as U+FFFE and U+FFFF):
/// Unicode reserves them for a program's internal use, never for interchange;</item>
/// <item>unpaired surrogates, which are not characters at all and which UTF-8 storage cannot hold.</item>
/// </list>
/// A refused text changes nothing; nothing is ever removed or replaced silently.
/// </summary>
public static class TextRules
{
    // Every UTF-16 code unit that may start a refused character, so that the common case (nothing refused) is one
    // vectorised scan. Surrogates are in it only to check their pairing and the astral noncharacters.
    private static readonly SearchValues<char> Suspects = SearchValues.Create(
        [.. Range(0x00, 0x08), .. Range(0x0B, 0x1F), .. Range(0x7F, 0x9F), .. Range(0xD800, 0xDFFF), .. Range(0xFDD0, 0xFDEF), '\uFFFE', '\uFFFF']);

    /// <summary>The first character <paramref name="text"/> may not hold, or null when it may be stored as it is.</summary>
    public static RefusedCharacter? FindRefused(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var found = text[offset..].IndexOfAny(Suspects);
            if (found < 0)
            {
                return null;
            }

            var at = offset + found;
            var c = text[at];
            if (char.IsHighSurrogate(c) && at + 1 < text.Length && char.IsLowSurrogate(text[at + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, text[at + 1]);
                if ((codePoint & 0xFFFE) == 0xFFFE)
                {
                    return new RefusedCharacter(at, codePoint, RefusedKind.Noncharacter);
                }

                offset = at + 2;
                continue;
            }

            return new RefusedCharacter(at, c, c switch
            {
                >= '\uD800' and <= '\uDFFF' => RefusedKind.UnpairedSurrogate,
                >= '\uFDD0' and <= '\uFDEF' or '\uFFFE' or '\uFFFF' => RefusedKind.Noncharacter,
                _ => RefusedKind.ControlCharacter,
            });
        }
    }

    /// <summary>What is wrong, for a refusal that names the character and where it is: "U+0000 (a control character) at position 10 ...".</summary>
    public static string Describe(RefusedCharacter refused, int positionOffset = 0)
    {
        var code = refused.CodePoint.ToString(refused.CodePoint > 0xFFFF ? "X5" : "X4", CultureInfo.InvariantCulture);
        var at = (refused.Index + positionOffset).ToString(CultureInfo.InvariantCulture);
        return refused.CodePoint switch
        {
            '\r' => $"U+000D (carriage return) at position {at}: a line ends with U+000A (line feed) alone",
            _ => refused.Kind switch
            {
                RefusedKind.ControlCharacter => $"U+{code} (a control character) at position {at}: a text may hold no control character but tab and line feed",
                RefusedKind.Noncharacter => $"U+{code} (a noncharacter) at position {at}: Unicode keeps noncharacters out of texts",
                _ => $"U+{code} (half of a surrogate pair, without its other half) at position {at}: a text must be well-formed UTF-16",
            },
        };
    }

    /// <summary>The words of a refusal for <paramref name="text"/>, or null when it may be stored.</summary>
    public static string? Problem(ReadOnlySpan<char> text) => FindRefused(text) is { } refused ? Describe(refused) + "." : null;

    private static IEnumerable<char> Range(int first, int last) => Enumerable.Range(first, last - first + 1).Select(i => (char)i);
}

public enum RefusedKind
{
    ControlCharacter,
    Noncharacter,
    UnpairedSurrogate,
}

/// <summary>A character a text may not hold: where it is (UTF-16 index, as lengths are counted everywhere) and what it is.</summary>
public readonly record struct RefusedCharacter(int Index, int CodePoint, RefusedKind Kind);
