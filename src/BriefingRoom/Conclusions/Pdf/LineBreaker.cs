using System.Globalization;

namespace BriefingRoom.Conclusions.Pdf;

public enum TextAlignment
{
    Left,
    Justify,
    Center,
    Right,
}

/// <summary>
/// Greedy line breaking: at spaces, after a hyphen inside a word, and inside a word that is wider
/// than a whole line (it could not be placed otherwise). Justifies every line but a paragraph's last.
/// </summary>
public static class LineBreaker
{
    // Spaces that must not break a line (e.g. "€ 200", "6 March").
    internal static bool IsBreakingSpace(char c) => char.IsWhiteSpace(c) && c is not ('\u00A0' or '\u202F' or '\u2007');

    private static bool IsHyphen(char c) => c is '-' or '\u2010';

    /// <summary>
    /// Breaks <paramref name="text"/> into lines no wider than <paramref name="width"/>, placed
    /// from <paramref name="x"/>. Runs of white space collapse into one word gap.
    /// <paramref name="reserveAtEnd"/> keeps that much room after the last word (for footnote marks),
    /// carrying the word to a new line rather than letting the mark run into the margin.
    /// </summary>
    public static List<List<LaidOutRun>> Break(string text, FontMetrics metrics, double size, double x, double width, TextAlignment alignment, double reserveAtEnd = 0)
    {
        var source = text;
        text = metrics.Drawable(source, out var sourceStarts);
        var textEnd = text.Length;
        while (textEnd > 0 && IsBreakingSpace(text[textEnd - 1])) textEnd--;
        var scale = size / metrics.UnitsPerEm;
        var space = metrics.Advance(" ") * scale;
        var lines = new List<List<Piece>>();
        var current = new List<Piece>();
        var currentWidth = 0.0;

        void Flush()
        {
            lines.Add(current);
            current = [];
            currentWidth = 0;
        }

        var span = text.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            while (i < span.Length && IsBreakingSpace(span[i])) i++;
            if (i == span.Length) break;
            var wordStart = i;
            while (i < span.Length && !IsBreakingSpace(span[i])) i++;
            var wordEnd = i;

            var segmentStart = wordStart;
            while (segmentStart < wordEnd)
            {
                var segmentEnd = NextSegmentEnd(span, segmentStart, wordStart, wordEnd);
                var joinsPrevious = segmentStart != wordStart;
                var segmentWidth = metrics.Advance(span[segmentStart..segmentEnd]) * scale;
                var gap = current.Count > 0 && !joinsPrevious ? space : 0;
                var reserve = segmentEnd == textEnd ? reserveAtEnd : 0;

                if (current.Count > 0 && currentWidth + gap + segmentWidth + reserve > width + Epsilon)
                {
                    Flush();
                    gap = 0;
                }

                var start = segmentStart;
                // A piece wider than a whole line is cut where the line is full; the text's last piece is cut so that
                // the room kept for its marks stays free too (a word that alone fills the line would push them into the margin).
                while (segmentWidth + reserve > width + Epsilon)
                {
                    var cut = FittingPrefix(span, start, segmentEnd, metrics, scale, segmentWidth > width + Epsilon ? width : width - reserve);
                    if (cut == segmentEnd) break;
                    current.Add(new Piece(start, cut - start, metrics.Advance(span[start..cut]) * scale, JoinsPrevious: false));
                    Flush();
                    start = cut;
                    segmentWidth = metrics.Advance(span[start..segmentEnd]) * scale;
                    joinsPrevious = false;
                }

                current.Add(new Piece(start, segmentEnd - start, segmentWidth, joinsPrevious && current.Count > 0));
                currentWidth += gap + segmentWidth;
                segmentStart = segmentEnd;
            }
        }
        if (current.Count > 0) Flush();

        var result = new List<List<LaidOutRun>>(lines.Count);
        for (var l = 0; l < lines.Count; l++)
            result.Add(Place(text, lines[l], x, width, space, l == lines.Count - 1 ? LastLine(alignment) : alignment, new Source(source, sourceStarts)));
        return result;
    }

    private const double Epsilon = 1e-6;

    private static TextAlignment LastLine(TextAlignment alignment) =>
        alignment == TextAlignment.Justify ? TextAlignment.Left : alignment;

    private readonly record struct Piece(int Start, int Length, double Width, bool JoinsPrevious);

    /// <summary>A word's segments end after each hyphen that has a letter or digit on both sides.</summary>
    private static int NextSegmentEnd(ReadOnlySpan<char> text, int from, int wordStart, int wordEnd)
    {
        for (var k = from; k < wordEnd - 1; k++)
        {
            if (IsHyphen(text[k]) && k > wordStart && char.IsLetterOrDigit(text[k - 1]) && char.IsLetterOrDigit(text[k + 1]))
                return k + 1;
        }
        return wordEnd;
    }

    /// <summary>The end of the longest prefix of text[start..end] that fits, at least one character.</summary>
    private static int FittingPrefix(ReadOnlySpan<char> text, int start, int end, FontMetrics metrics, double scale, double width)
    {
        var used = 0.0;
        var k = start;
        while (k < end)
        {
            var next = NextCharacterBoundary(text, k, end);
            var w = metrics.Advance(text[k..next]) * scale;
            if (used + w > width + Epsilon && k > start) break;
            used += w;
            k = next;
        }
        return k;
    }

    /// <summary>Keeps surrogate pairs and combining marks with their base character.</summary>
    private static int NextCharacterBoundary(ReadOnlySpan<char> text, int k, int end)
    {
        k += char.IsHighSurrogate(text[k]) && k + 1 < end && char.IsLowSurrogate(text[k + 1]) ? 2 : 1;
        while (k < end && CharUnicodeInfo.GetUnicodeCategory(text[k]) is UnicodeCategory.NonSpacingMark
                   or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            k++;
        return k;
    }

    /// <summary>The text as written and, when some of it cannot be drawn as it is, where each drawn character comes from.</summary>
    private readonly record struct Source(string Text, int[]? Starts)
    {
        /// <summary>What drawn characters [start, end) stand for, when that is not what is drawn: the run's ActualText.</summary>
        public string? ActualText(string drawn, int start, int end, bool spaceAfter)
        {
            if (Starts is null) return null;
            var actual = Text[Starts[start]..Starts[end]] + (spaceAfter ? " " : "");
            return actual == drawn + (spaceAfter ? " " : "") ? null : actual;
        }
    }

    private static List<LaidOutRun> Place(string text, List<Piece> pieces, double x, double width, double space, TextAlignment alignment, Source source)
    {
        // Join hyphen-split segments that stayed on one line back into words.
        var words = new List<(string Text, double Width, int Start, int End)>(pieces.Count);
        foreach (var p in pieces)
        {
            var s = text.Substring(p.Start, p.Length);
            if (p.JoinsPrevious && words.Count > 0)
                words[^1] = (words[^1].Text + s, words[^1].Width + p.Width, words[^1].Start, p.Start + p.Length);
            else
                words.Add((s, p.Width, p.Start, p.Start + p.Length));
        }

        var natural = words.Sum(w => w.Width) + space * (words.Count - 1);
        if (alignment == TextAlignment.Justify && words.Count > 1)
        {
            var gap = space + (width - natural) / (words.Count - 1);
            var runs = new List<LaidOutRun>(words.Count);
            var at = x;
            for (var w = 0; w < words.Count; w++)
            {
                var spaceAfter = w < words.Count - 1;
                runs.Add(new LaidOutRun(words[w].Text, at, words[w].Width, spaceAfter,
                    ActualText: source.ActualText(words[w].Text, words[w].Start, words[w].End, spaceAfter)));
                at += words[w].Width + gap;
            }
            return runs;
        }

        // Unjustified lines are drawn as one string: fewer drawing operations, same positions.
        var left = alignment switch
        {
            TextAlignment.Center => x + (width - natural) / 2,
            TextAlignment.Right => x + width - natural,
            _ => x,
        };
        var joined = words.Count == 1 ? words[0].Text : string.Join(' ', words.Select(w => w.Text));
        return [new LaidOutRun(joined, left, natural, SpaceAfter: false, ActualText: source.ActualText(joined, words[0].Start, words[^1].End, spaceAfter: false))];
    }
}
