using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// Advance widths of a TrueType font, read from its own tables (head, hhea, hmtx, cmap), so that
/// the layout measures text exactly as a PDF viewer will place it without needing a PDF engine.
/// PDFsharp does not kern, so a string's width is the sum of its glyphs' advances.
/// Immutable after construction: one instance per face is shared by all renders and threads.
/// </summary>
public sealed class FontMetrics
{
    // One slot per BMP code unit: measuring is then a table lookup per character, cheaper than
    // hashing a word to look it up in a cache of measured words.
    private readonly ushort[] _bmpAdvance = new ushort[65536];
    private readonly Dictionary<int, ushort> _supplementaryAdvance = [];
    private readonly bool[] _bmpMapped = new bool[65536];
    // Mapped and not an invisible format character; precomputed so Drawable is one lookup per character.
    private readonly bool[] _bmpDrawable = new bool[65536];

    public FontMetrics(ReadOnlySpan<byte> ttf)
    {
        var head = FindTable(ttf, "head");
        var hhea = FindTable(ttf, "hhea");
        var hmtx = FindTable(ttf, "hmtx");
        var cmap = FindTable(ttf, "cmap");

        UnitsPerEm = BinaryPrimitives.ReadUInt16BigEndian(ttf[(head + 18)..]);
        Ascender = BinaryPrimitives.ReadInt16BigEndian(ttf[(hhea + 4)..]);
        Descender = BinaryPrimitives.ReadInt16BigEndian(ttf[(hhea + 6)..]);
        int numberOfHMetrics = BinaryPrimitives.ReadUInt16BigEndian(ttf[(hhea + 34)..]);

        var advances = new ushort[numberOfHMetrics];
        for (var i = 0; i < numberOfHMetrics; i++)
            advances[i] = BinaryPrimitives.ReadUInt16BigEndian(ttf[(hmtx + 4 * i)..]);
        ushort AdvanceOf(int glyph) => advances[Math.Min(glyph, numberOfHMetrics - 1)];

        NotDefAdvance = AdvanceOf(0);
        Array.Fill(_bmpAdvance, NotDefAdvance);
        ReadCmap(ttf, cmap, AdvanceOf);
    }

    public int UnitsPerEm { get; }

    /// <summary>In font units, positive above the baseline.</summary>
    public int Ascender { get; }

    /// <summary>In font units, negative below the baseline.</summary>
    public int Descender { get; }

    public ushort NotDefAdvance { get; }

    public bool HasGlyph(int codePoint) =>
        codePoint < 65536 ? _bmpMapped[codePoint] : _supplementaryAdvance.ContainsKey(codePoint);

    /// <summary>
    /// The text as this font can draw it: invisible format characters (soft hyphens, zero-width
    /// spaces, direction marks) dropped, and each character without a glyph, e.g. an emoji, shown
    /// as a white square. Without this a viewer shows the font's empty .notdef glyph, and text
    /// extraction garbles the whole line, since every such character shares glyph 0.
    /// Returns the same instance when nothing needs replacing.
    /// </summary>
    public string Drawable(string text) => Drawable(text, out _);

    /// <inheritdoc cref="Drawable(string)"/>
    /// <param name="text">The text as written.</param>
    /// <param name="sourceStarts">
    /// Null when nothing was replaced. Otherwise, for each drawn character, where in <paramref name="text"/> the
    /// characters it stands for begin (one more entry, the text's length, closes the last), so that what is drawn
    /// can say which text it shows (the PDF's ActualText). A dropped character belongs to the drawn character after
    /// it, or to the one before it when a breaking space follows, so that it stays with its word.
    /// </param>
    public string Drawable(string text, out int[]? sourceStarts)
    {
        var i = 0;
        while (i < text.Length && IsDrawable(text, i, out var length)) i += length;
        if (i == text.Length)
        {
            sourceStarts = null;
            return text;
        }

        var placeholder = HasGlyph('\u25A1') ? '\u25A1' : '?';
        var result = new StringBuilder(text.Length).Append(text, 0, i);
        var starts = new List<int>(text.Length + 1);
        for (var k = 0; k < i; k++) starts.Add(k);
        var dropped = -1;
        while (i < text.Length)
        {
            var drawable = IsDrawable(text, i, out var length);
            if (!drawable && CharUnicodeInfo.GetUnicodeCategory(text[i]) == UnicodeCategory.Format)
            {
                if (dropped < 0) dropped = i;
                i += length;
                continue;
            }

            var drawn = drawable ? text.AsSpan(i, length) : [char.IsWhiteSpace(text[i]) ? ' ' : placeholder];
            var start = dropped >= 0 && !LineBreaker.IsBreakingSpace(drawn[0]) ? dropped : i;
            dropped = -1;
            for (var k = 0; k < drawn.Length; k++) starts.Add(k == 0 ? start : i + k);
            result.Append(drawn);
            i += length;
        }
        starts.Add(text.Length);
        sourceStarts = [.. starts];
        return result.ToString();
    }

    private bool IsDrawable(string text, int i, out int length)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            length = 2;
            return _supplementaryAdvance.ContainsKey(char.ConvertToUtf32(c, text[i + 1]));
        }
        length = 1;
        // Breaking white space is never drawn: the line breaker turns it into word gaps.
        return _bmpDrawable[c] || (!_bmpMapped[c] && char.IsWhiteSpace(c) && c is not ('\u00A0' or '\u202F' or '\u2007'));
    }

    /// <summary>Width of the text in font units.</summary>
    public int Advance(ReadOnlySpan<char> text)
    {
        var sum = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, text[i + 1]);
                sum += _supplementaryAdvance.GetValueOrDefault(cp, NotDefAdvance);
                i++;
            }
            else
            {
                sum += _bmpAdvance[c];
            }
        }
        return sum;
    }

    /// <summary>Width in points at the given size.</summary>
    public double Measure(ReadOnlySpan<char> text, double size) => Advance(text) * size / UnitsPerEm;

    private static int FindTable(ReadOnlySpan<byte> ttf, string tag)
    {
        int numTables = BinaryPrimitives.ReadUInt16BigEndian(ttf[4..]);
        for (var i = 0; i < numTables; i++)
        {
            var record = ttf.Slice(12 + 16 * i, 16);
            if (record[0] == tag[0] && record[1] == tag[1] && record[2] == tag[2] && record[3] == tag[3])
                return checked((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]));
        }
        throw new InvalidDataException($"The font has no '{tag}' table.");
    }

    private void ReadCmap(ReadOnlySpan<byte> ttf, int cmap, Func<int, ushort> advanceOf)
    {
        int numSubtables = BinaryPrimitives.ReadUInt16BigEndian(ttf[(cmap + 2)..]);
        int format4 = -1, format12 = -1;
        for (var i = 0; i < numSubtables; i++)
        {
            var record = cmap + 4 + 8 * i;
            int platform = BinaryPrimitives.ReadUInt16BigEndian(ttf[record..]);
            int encoding = BinaryPrimitives.ReadUInt16BigEndian(ttf[(record + 2)..]);
            var offset = cmap + checked((int)BinaryPrimitives.ReadUInt32BigEndian(ttf[(record + 4)..]));
            int format = BinaryPrimitives.ReadUInt16BigEndian(ttf[offset..]);
            if (platform == 3 && encoding == 1 && format == 4) format4 = offset;
            if (platform == 3 && encoding == 10 && format == 12) format12 = offset;
        }
        if (format4 < 0)
            throw new InvalidDataException("The font has no Unicode BMP (3,1,4) cmap subtable.");

        int segCount = BinaryPrimitives.ReadUInt16BigEndian(ttf[(format4 + 6)..]) / 2;
        var endCodes = format4 + 14;
        var startCodes = endCodes + 2 * segCount + 2;
        var idDeltas = startCodes + 2 * segCount;
        var idRangeOffsets = idDeltas + 2 * segCount;
        for (var s = 0; s < segCount; s++)
        {
            int end = BinaryPrimitives.ReadUInt16BigEndian(ttf[(endCodes + 2 * s)..]);
            int start = BinaryPrimitives.ReadUInt16BigEndian(ttf[(startCodes + 2 * s)..]);
            int delta = BinaryPrimitives.ReadInt16BigEndian(ttf[(idDeltas + 2 * s)..]);
            var rangeOffsetAt = idRangeOffsets + 2 * s;
            int rangeOffset = BinaryPrimitives.ReadUInt16BigEndian(ttf[rangeOffsetAt..]);
            for (var c = start; c <= end && c != 0xFFFF; c++)
            {
                int glyph;
                if (rangeOffset == 0)
                {
                    glyph = (c + delta) & 0xFFFF;
                }
                else
                {
                    var at = rangeOffsetAt + rangeOffset + 2 * (c - start);
                    glyph = BinaryPrimitives.ReadUInt16BigEndian(ttf[at..]);
                    if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
                }
                if (glyph == 0) continue;
                _bmpAdvance[c] = advanceOf(glyph);
                _bmpMapped[c] = true;
                _bmpDrawable[c] = CharUnicodeInfo.GetUnicodeCategory((char)c) != UnicodeCategory.Format;
            }
        }

        if (format12 < 0) return;
        var groups = checked((int)BinaryPrimitives.ReadUInt32BigEndian(ttf[(format12 + 12)..]));
        for (var g = 0; g < groups; g++)
        {
            var group = format12 + 16 + 12 * g;
            var start = BinaryPrimitives.ReadUInt32BigEndian(ttf[group..]);
            var end = BinaryPrimitives.ReadUInt32BigEndian(ttf[(group + 4)..]);
            var glyph = BinaryPrimitives.ReadUInt32BigEndian(ttf[(group + 8)..]);
            for (var c = Math.Max(start, 0x10000u); c <= end; c++)
                _supplementaryAdvance[(int)c] = advanceOf((int)(glyph + c - start));
        }
    }
}
