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

        var rightToLeft = Bidi.IsRightToLeftParagraph(text);
        // A right-to-left paragraph's lines start at the right.
        if (rightToLeft && alignment == TextAlignment.Left) alignment = TextAlignment.Right;
        var result = new List<List<LaidOutRun>>(lines.Count);
        for (var l = 0; l < lines.Count; l++)
            result.Add(Place(text, lines[l], x, width, space, l == lines.Count - 1 ? LastLine(alignment, rightToLeft) : alignment, new Source(source, sourceStarts), metrics, scale, rightToLeft));
        return result;
    }

    private const double Epsilon = 1e-6;

    /// <summary>A justified paragraph's last line stands at the side where its lines start: the right for a right-to-left one.</summary>
    private static TextAlignment LastLine(TextAlignment alignment, bool rightToLeft) =>
        alignment == TextAlignment.Justify ? rightToLeft ? TextAlignment.Right : TextAlignment.Left : alignment;

    /// <summary>
    /// Whether the text is a right-to-left paragraph (its first strong character is Hebrew or Arabic): its lines then
    /// read from the right, its last line stands at the right, and a mark after its last word goes at that line's left end.
    /// </summary>
    public static bool IsRightToLeft(string text) => Bidi.IsRightToLeftParagraph(text);

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

        /// <summary>The text as written that drawn characters [start, end) come from.</summary>
        public string Written(string drawn, int start, int end) => Starts is null ? drawn[start..end] : Text[Starts[start]..Starts[end]];
    }

    private static List<LaidOutRun> Place(string text, List<Piece> pieces, double x, double width, double space, TextAlignment alignment, Source source,
        FontMetrics metrics, double scale, bool rightToLeft)
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
        var justify = alignment == TextAlignment.Justify && words.Count > 1;
        if (rightToLeft || Bidi.HasRightToLeft(text.AsSpan(pieces[0].Start, pieces[^1].Start + pieces[^1].Length - pieces[0].Start)))
        {
            var start = justify ? x : Left(alignment, x, width, natural);
            return PlaceVisually(text, words, start, justify ? space + (width - natural) / (words.Count - 1) : space, source, metrics, scale, rightToLeft);
        }

        if (justify)
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
        var left = Left(alignment, x, width, natural);
        var joined = words.Count == 1 ? words[0].Text : string.Join(' ', words.Select(w => w.Text));
        return [new LaidOutRun(joined, left, natural, SpaceAfter: false, ActualText: source.ActualText(joined, words[0].Start, words[^1].End, spaceAfter: false))];
    }

    private static double Left(TextAlignment alignment, double x, double width, double natural) => alignment switch
    {
        TextAlignment.Center => x + (width - natural) / 2,
        TextAlignment.Right => x + width - natural,
        _ => x,
    };

    private readonly record struct Cluster(string Text, double Width, int Start, int End)
    {
        public bool IsGap => Start < 0;
    }

    /// <summary>
    /// A line that holds right-to-left text, in the order the eye reads it (<see cref="Bidi"/>): its words and gaps
    /// keep their widths and the line its width, but right-to-left runs are laid out from right to left. Left-to-right
    /// words are runs as on any line. A right-to-left run (with the gaps and numbers inside it) is one run whose
    /// <see cref="LaidOutRun.Parts"/> are drawn in visual order, and whose text is the logical text, which the PDF
    /// carries as its ActualText: copying and searching give the words as typed.
    /// </summary>
    private static List<LaidOutRun> PlaceVisually(string text, List<(string Text, double Width, int Start, int End)> words, double left, double gap,
        Source source, FontMetrics metrics, double scale, bool rightToLeft)
    {
        var clusters = new List<Cluster>();
        foreach (var word in words)
        {
            if (clusters.Count > 0) clusters.Add(new Cluster(" ", gap, -1, -1));
            for (var k = word.Start; k < word.End;)
            {
                var next = NextCharacterBoundary(text, k, word.End);
                clusters.Add(new Cluster(text[k..next], metrics.Advance(text.AsSpan(k, next - k)) * scale, k, next));
                k = next;
            }
        }

        var order = Bidi.VisualOrder([.. clusters.Select(c => c.IsGap ? null : c.Text)], rightToLeft, out var levels);
        var at = new double[clusters.Count];
        var x = left;
        foreach (var i in order)
        {
            at[i] = x;
            x += clusters[i].Width;
        }

        var runs = new List<LaidOutRun>();
        for (var v = 0; v < order.Length;)
        {
            if (clusters[order[v]].IsGap && levels[order[v]] == 0)
            {
                v++;
                continue;
            }

            var from = v;
            var reversed = levels[order[v]] > 0;
            while (v < order.Length && (reversed ? levels[order[v]] > 0 : levels[order[v]] == 0 && !clusters[order[v]].IsGap)) v++;
            var spaceAfter = v < order.Length && clusters[order[v]].IsGap;
            var first = clusters[order[from]];
            var width = at[order[v - 1]] + clusters[order[v - 1]].Width - at[order[from]];
            if (!reversed)
            {
                var (start, end) = (first.Start, clusters[order[v - 1]].End);
                var drawn = text[start..end];
                runs.Add(new LaidOutRun(drawn, at[order[from]], width, spaceAfter, ActualText: source.ActualText(drawn, start, end, spaceAfter)));
                continue;
            }

            // A right-to-left run is contiguous in the text too: its logical text is its clusters in their first order.
            var logical = new System.Text.StringBuilder();
            var typed = order[from..v];
            for (var i = typed.Min(); i <= typed.Max(); i++)
                logical.Append(clusters[i].IsGap ? " " : source.Written(text, clusters[i].Start, clusters[i].End));
            var parts = new List<LaidOutPart>();
            var part = new System.Text.StringBuilder();
            var partX = 0.0;
            for (var k = from; k < v; k++)
            {
                var c = clusters[order[k]];
                if (c.IsGap)
                {
                    if (part.Length > 0) parts.Add(new LaidOutPart(part.ToString(), partX));
                    part.Clear();
                    continue;
                }
                if (part.Length == 0) partX = at[order[k]];
                part.Append(levels[order[k]] % 2 == 1 ? Bidi.Mirrored(c.Text) : c.Text);
            }
            if (part.Length > 0) parts.Add(new LaidOutPart(part.ToString(), partX));
            var written = logical.ToString();
            runs.Add(new LaidOutRun(written, at[order[from]], width, spaceAfter, ActualText: spaceAfter ? written + " " : written, Parts: parts));
        }
        return runs;
    }
}
