using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>One line of text as PdfPig reads it back: words on one baseline, left to right.</summary>
public sealed record PdfLine(int Page, double Baseline, double Left, double Right, double FontSize, string Text);

/// <summary>Reads a rendered PDF back with PdfPig, the way a reader's tools would see it.</summary>
public static class PdfReadBack
{
    /// <summary>Lines of every page, top to bottom (y in PDF space, growing upwards).</summary>
    public static List<PdfLine> Lines(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var lines = new List<PdfLine>();
        foreach (var page in document.GetPages())
        {
            var words = page.GetWords().Where(w => !string.IsNullOrWhiteSpace(w.Text));
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

    /// <summary>The flowing text without page furniture (footers are set below 10 pt).</summary>
    public static List<PdfLine> BodyLines(byte[] pdf) => Lines(pdf).Where(l => l.FontSize >= 10).ToList();

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
