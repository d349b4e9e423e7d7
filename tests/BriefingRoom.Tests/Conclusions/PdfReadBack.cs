using BriefingRoom.Conclusions.Pdf;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Util;
using UglyToad.PdfPig.Tokens;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>One line of text as PdfPig reads it back: words on one baseline, left to right.</summary>
public sealed record PdfLine(int Page, double Baseline, double Left, double Right, double FontSize, string Text);

/// <summary>Reads a rendered PDF back with PdfPig, the way a reader's tools would see it.</summary>
public static class PdfReadBack
{
    /// <summary>A copy's marks are drawn in Liberation Sans, the text never is.</summary>
    public static bool IsCopyMark(Letter letter) => letter.FontName?.Contains(ConclusionsFonts.SansFontName, StringComparison.Ordinal) == true;

    /// <summary>Lines of every page, top to bottom (y in PDF space, growing upwards), without a copy's marks.</summary>
    public static List<PdfLine> Lines(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var lines = new List<PdfLine>();
        foreach (var page in document.GetPages())
        {
            var letters = page.Letters.Where(l => !IsCopyMark(l)).ToList();
            var words = DefaultWordExtractor.Instance.GetWords(letters).Where(w => !string.IsNullOrWhiteSpace(w.Text));
            foreach (var group in words.GroupBy(w => Math.Round(w.Letters[0].StartBaseLine.Y, 1)).OrderByDescending(g => g.Key))
            {
                var ordered = group.OrderBy(w => w.BoundingBox.Left).ToList();
                lines.Add(new PdfLine(
                    page.Number,
                    group.Key,
                    ordered[0].BoundingBox.Left,
                    ordered.Max(w => w.BoundingBox.Right),
                    ordered[0].Letters[0].PointSize,
                    string.Join(' ', ordered.Select(w => w.Text))));
            }
        }
        return lines;
    }

    /// <summary>
    /// The flowing text without page furniture: footers and the marking stand in the margins, footnotes and their
    /// marks are set below 10 pt.
    /// </summary>
    public static List<PdfLine> BodyLines(byte[] pdf) => Lines(pdf).Where(l => l.FontSize >= 10 && InBody(l)).ToList();

    private static bool InBody(PdfLine line) =>
        line.Baseline > PageGeometry.A4.Bottom && line.Baseline < PageGeometry.A4.Height - PageGeometry.A4.Top;

    /// <summary>The lines in the top margin of each page: where the distribution marking stands.</summary>
    public static List<PdfLine> TopMarginLines(byte[] pdf) => Lines(pdf).Where(l => l.Baseline >= PageGeometry.A4.Height - PageGeometry.A4.Top).ToList();

    /// <summary>Footnote marks: small raised text inside the body.</summary>
    public static List<PdfLine> Marks(byte[] pdf) => Lines(pdf).Where(l => l.FontSize < 8 && InBody(l)).ToList();

    /// <summary>Footnotes at the foot of the body: 9 pt lines, each opening with its number.</summary>
    public static List<PdfLine> NoteLines(byte[] pdf) => Lines(pdf).Where(l => l.FontSize is > 8 and < 10 && InBody(l)).ToList();

    /// <summary>
    /// Footnote <paramref name="mark"/> as the reader finds it: the mark after the last line of the paragraph numbered
    /// <paramref name="paragraph"/>, and the note with that number on the same page. Null when there is no such mark.
    /// </summary>
    public static (int Page, string Text)? NoteAtParagraph(byte[] pdf, int paragraph, string mark)
    {
        var lines = Lines(pdf);
        var body = lines.Where(l => l.FontSize >= 10 && InBody(l)).ToList();
        var start = body.FindIndex(l => l.Text.StartsWith($"{paragraph}. ", StringComparison.Ordinal));
        if (start < 0) return null;
        // The paragraph runs until the next numbered paragraph or heading.
        var end = body.FindIndex(start + 1, l => System.Text.RegularExpressions.Regex.IsMatch(l.Text, @"^([0-9]+|[IVXLC]+)\. "));
        var last = body[(end < 0 ? body.Count : end) - 1];
        var found = lines.FirstOrDefault(l => l.Page == last.Page && l.FontSize < 8 && Math.Abs(l.Left - last.Right) < 3
            && l.Baseline > last.Baseline && l.Baseline < last.Baseline + 8 && l.Text.Split(',').Contains(mark));
        if (found is null) return null;
        var note = lines.FirstOrDefault(l => l.Page == last.Page && l.FontSize is > 8 and < 10 && InBody(l) && l.Text.StartsWith(mark + " ", StringComparison.Ordinal));
        if (note is null) return null;
        // A note may wrap: its following lines until the next note.
        var notes = lines.Where(l => l.Page == last.Page && l.FontSize is > 8 and < 10 && InBody(l)).ToList();
        var at = notes.IndexOf(note);
        var text = new List<string> { note.Text[(mark.Length + 1)..] };
        for (var k = at + 1; k < notes.Count && !System.Text.RegularExpressions.Regex.IsMatch(notes[k].Text, "^[0-9]+ "); k++) text.Add(notes[k].Text);
        return (last.Page, string.Join(' ', text));
    }

    /// <summary>The text of a copy's marks on each page (watermark, copy line, hidden identifier), in drawing order.</summary>
    public static List<string> CopyMarkText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(p => string.Concat(p.Letters.Where(IsCopyMark).Select(l => l.Value)))];
    }

    /// <summary>
    /// Every letter of the text (not of a copy's marks) with its font, size and position: two copies of one document
    /// must agree on all of it.
    /// </summary>
    public static List<string> TextLetters(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().SelectMany(p => p.Letters.Where(l => !IsCopyMark(l))
            .Select(l => FormattableString.Invariant($"{p.Number}|{l.Value}|{l.FontName}|{l.PointSize:F2}|{l.StartBaseLine.X:F2}|{l.StartBaseLine.Y:F2}")))];
    }

    /// <summary>Text with all white space removed: compares content regardless of where lines broke.</summary>
    public static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>
    /// Every letter of every page in drawing order, where a marked-content span's /ActualText replaces the glyphs it
    /// holds (what a □ or a dropped mark stands for), as a reader's copy and search see it: the agreed text, character
    /// for character. Read from the spans rather than with PdfPig's UseActualText, which drops soft hyphens.
    /// </summary>
    public static string ActualText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var text = new System.Text.StringBuilder();
        foreach (var page in document.GetPages())
        {
            var spanOf = new Dictionary<UglyToad.PdfPig.Content.Letter, UglyToad.PdfPig.Content.MarkedContentElement>(ReferenceEqualityComparer.Instance);
            foreach (var span in page.GetMarkedContents().Where(m => m.ActualText is not null))
            {
                foreach (var letter in span.Letters)
                {
                    spanOf[letter] = span;
                }
            }

            var written = new HashSet<UglyToad.PdfPig.Content.MarkedContentElement>(ReferenceEqualityComparer.Instance);
            foreach (var letter in page.Letters)
            {
                if (!spanOf.TryGetValue(letter, out var span))
                {
                    text.Append(letter.Value);
                }
                else if (written.Add(span))
                {
                    text.Append(span.ActualText);
                }
            }
        }

        return text.ToString();
    }

    public static int PageCount(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.NumberOfPages;
    }

    /// <summary>Each font used on any page: its /BaseFont and whether a FontFile2 stream (embedded TrueType) with data hangs under it.</summary>
    public static List<(string BaseFont, string Subtype, int EmbeddedBytes)> Fonts(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var found = new Dictionary<string, (string, string, int)>();
        foreach (var page in document.GetPages())
        {
            var resources = Resolve<DictionaryToken>(document, page.Dictionary.Data["Resources"]);
            var fonts = Resolve<DictionaryToken>(document, resources.Data["Font"]);
            foreach (var entry in fonts.Data.Values)
            {
                var font = Resolve<DictionaryToken>(document, entry);
                var baseFont = Resolve<NameToken>(document, font.Data["BaseFont"]).Data;
                var subtype = Resolve<NameToken>(document, font.Data["Subtype"]).Data;
                var descriptorOwner = font;
                if (subtype == "Type0")
                {
                    var descendants = Resolve<ArrayToken>(document, font.Data["DescendantFonts"]);
                    descriptorOwner = Resolve<DictionaryToken>(document, descendants.Data[0]);
                }
                var descriptor = Resolve<DictionaryToken>(document, descriptorOwner.Data["FontDescriptor"]);
                var size = descriptor.Data.TryGetValue("FontFile2", out var file)
                    ? Resolve<StreamToken>(document, file).Data.Length
                    : 0;
                found[baseFont] = (baseFont, subtype, size);
            }
        }
        return [.. found.Values];
    }

    private static T Resolve<T>(PdfDocument document, IToken token) where T : IToken
    {
        while (token is IndirectReferenceToken reference)
            token = document.Structure.GetObject(reference.Data).Data;
        return (T)token;
    }
}
