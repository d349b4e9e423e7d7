using BriefingRoom.Conclusions.Pdf;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>The layout model on its own: no PDF is written here.</summary>
public class ConclusionsLayoutTests
{
    private static readonly ConclusionsLayoutEngine Engine = new();
    private static readonly PageGeometry A4 = PageGeometry.A4;
    private static FontMetrics Regular => ConclusionsFonts.MetricsOf(FontFace.Regular);

    private static double RightEdge(LaidOutLine line) => line.Runs[^1].X + line.Runs[^1].Width;

    [Fact]
    public void MeasuresWithTheFontsOwnTimesCompatibleWidths()
    {
        // Liberation Serif shares Times New Roman's advance widths (2048 units per em).
        Assert.Equal(2048, Regular.UnitsPerEm);
        Assert.Equal(3.0, Regular.Measure(" ", 12), 6);
        Assert.Equal(909 * 12.0 / 2048, Regular.Measure("a", 12), 6);
        Assert.Equal((1821 + 909) * 10.0 / 2048, Regular.Measure("Ma", 10), 6);
    }

    [Fact]
    public void EveryFaceHasAGlyphForEveryLetterOfTheEuLanguages()
    {
        const string letters = "ÁÉÍÓÚáéíóúÀÈÌÒÙàèìòùÂÊÎÔÛâêîôûÄËÏÖÜäëïöüÿÃÕãõÅåÆæØøÇçÑñßŒœĄąĆćĘęŁłŃńŚśŹźŻżČčĎďĚěŇňŘřŠšŤťŮůŽž"
            + "ĹĺĽľŔŕŐőŰűĀāĒēĢģĪīĶķĻļŅņŪūĖėĮįŲųĦħĠġĊċȘșȚțŞşŢţĂăÐðÞþ€„“”‘’–—"
            + "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψωάέήίόύώςΆΈΉΊΌΎΏ"
            + "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯабвгдежзийклмнопрстуфхцчшщъьюя";
        foreach (var face in Enum.GetValues<FontFace>())
        {
            var metrics = ConclusionsFonts.MetricsOf(face);
            Assert.All(letters, c => Assert.True(metrics.HasGlyph(c), $"{face} lacks {c} (U+{(int)c:X4})"));
        }
    }

    [Fact]
    public void HebrewInsideEnglishKeepsItsNumbersPercentSignsAndBracketsWhereAReaderOfHebrewExpectsThem()
    {
        var space = Regular.Measure(" ", 12);

        var runs = Assert.Single(LineBreaker.Break("Growth עלה ב-5% השנה here", Regular, 12, 0, 400, TextAlignment.Left));
        Assert.Equal(["Growth", "עלה ב-5% השנה", "here"], runs.Select(r => r.Text));
        Assert.Equal(["הנשה", "5%-ב", "הלע"], runs[1].Parts!.Select(p => p.Text));
        Assert.Equal("עלה ב-5% השנה ", runs[1].ActualText);
        // Same widths and gaps as any line: only the order within the run changes.
        Assert.Equal(runs[0].X + runs[0].Width + space, runs[1].X, 6);
        Assert.Equal(Regular.Measure("Growth עלה ב-5% השנה here", 12), runs[2].X + runs[2].Width, 6);
        Assert.Equal(runs[1].X, runs[1].Parts![0].X, 6);

        var bracketed = Assert.Single(LineBreaker.Break("He said אמר (שלום) לו then", Regular, 12, 0, 400, TextAlignment.Left));
        Assert.Equal(["ול", "(םולש)", "רמא"], bracketed.Single(r => r.Parts is not null).Parts!.Select(p => p.Text));
        // A line with nothing right to left is laid out as before: one string, no parts.
        Assert.Null(Assert.Single(Assert.Single(LineBreaker.Break("No Hebrew here", Regular, 12, 0, 400, TextAlignment.Left))).Parts);
    }

    [Fact]
    public void JustifiedLinesFillTheWidthButTheLastLineDoesNot()
    {
        var text = string.Join(' ', SampleConclusions.EuropeanDefence);
        var lines = LineBreaker.Break(text, Regular, 12, 100, 300, TextAlignment.Justify);

        Assert.True(lines.Count > 5);
        foreach (var line in lines[..^1])
        {
            Assert.Equal(400, line[^1].X + line[^1].Width, 6);
            Assert.Equal(100, line[0].X, 6);
        }
        Assert.Single(lines[^1]);
        Assert.True(lines[^1][0].Width < 300);
    }

    [Fact]
    public void BreaksAtSpacesAndAfterAHyphenButNotAtANoBreakSpace()
    {
        const string text = "The co-operation agreement on €\u00A0150\u00A0billion";
        var width = Regular.Measure("The co-operation", 12) - 1;
        var lines = LineBreaker.Break(text, Regular, 12, 0, width, TextAlignment.Left)
            .Select(l => string.Join('|', l.Select(r => r.Text))).ToList();

        Assert.Equal("The co-", lines[0]);
        Assert.Equal("operation", lines[1]);
        Assert.Contains("€\u00A0150\u00A0billion", lines);
    }

    [Fact]
    public void WordWiderThanALineIsCutIntoPiecesThatFit()
    {
        var word = string.Concat(Enumerable.Repeat("Ελλάδα", 50));
        var lines = LineBreaker.Break($"short {word} end", Regular, 12, 0, 200, TextAlignment.Justify);

        Assert.Equal("short", lines[0][0].Text);
        Assert.Equal(word, string.Concat(lines.Skip(1).SelectMany(l => l).Select(r => r.Text)).Replace("end", "", StringComparison.Ordinal).Trim());
        Assert.All(lines, l => Assert.True(l[^1].X + l[^1].Width <= 200 + 1e-6));
    }

    [Fact]
    public void ParagraphNumbersRunOnAcrossItems()
    {
        var document = SampleConclusions.Demo();
        var numbers = Engine.Layout(document).Pages.SelectMany(p => p.Lines)
            .Where(l => l.ParagraphNumber is not null).Select(l => l.ParagraphNumber!.Value).ToList();

        var count = document.Sections.Sum(s => s.Outcome == SectionOutcome.Agreed ? s.Paragraphs.Count : 0);
        Assert.Equal(Enumerable.Range(1, count), numbers);
    }

    [Fact]
    public void HeadingsCarryRomanNumeralsInCapitals()
    {
        var headings = Engine.Layout(SampleConclusions.Demo()).Pages.SelectMany(p => p.Lines)
            .Where(l => l.Role == LineRole.Heading).Select(l => l.Text).ToList();

        Assert.Equal(
            ["I. UKRAINE", "II. SECURITY GUARANTEES FOR UKRAINE", "III. FROZEN RUSSIAN ASSETS AND SANCTIONS",
             "IV. MILITARY SUPPORT TO UKRAINE", "V. EUROPEAN DEFENCE"],
            headings);
        Assert.Equal("XLIV", BriefingRoom.Agenda.ItemNumeral.Of(44));
        Assert.Equal("MCMXCIX", BriefingRoom.Agenda.ItemNumeral.Of(1999));
    }

    [Fact]
    public void NoLineLeavesTheTextAreaAndPagesCarryPageXOfY()
    {
        var layout = Engine.Layout(SampleConclusions.Generated(12));

        Assert.InRange(layout.Pages.Count, 10, 14);
        foreach (var page in layout.Pages)
        {
            foreach (var line in page.Lines.Where(l => l.Runs.Count > 0))
            {
                Assert.True(line.Runs[0].X >= A4.Left - 1e-6);
                Assert.True(RightEdge(line) <= A4.Width - A4.Right + 1e-6, $"'{line.Text}' overflows");
                if (line.Role != LineRole.Footer)
                    Assert.True(line.Bottom <= A4.BodyBottom + 0.01, $"'{line.Text}' runs into the footer");
            }
            var footer = page.Lines.Where(l => l.Role == LineRole.Footer).Select(l => l.Text).ToList();
            Assert.Contains($"page {page.Number} / {layout.Pages.Count}", footer);
        }
    }

    [Fact]
    public void ParagraphSplitAcrossPagesKeepsAtLeastTwoLinesOnEachSide()
    {
        var layout = Engine.Layout(SampleConclusions.Generated(30));

        var splits = 0;
        foreach (var block in layout.Pages.SelectMany(p => p.Lines.Select(l => (Page: p.Number, Line: l)))
                     .Where(x => x.Line.Role == LineRole.Paragraph).GroupBy(x => x.Line.Block))
        {
            var perPage = block.GroupBy(x => x.Page).Select(g => g.Count()).ToList();
            if (perPage.Count < 2) continue;
            splits++;
            Assert.True(perPage[0] >= ConclusionsLayoutEngine.MinLinesAtBreak, $"orphan in block {block.Key}");
            Assert.True(perPage[^1] >= ConclusionsLayoutEngine.MinLinesAtBreak, $"widow in block {block.Key}");
        }
        Assert.True(splits > 5, "the generated document should split paragraphs across pages");
    }

    [Fact]
    public void HeadingIsNeverLeftAloneAtTheFootOfAPage()
    {
        foreach (var pages in new[] { 4, 9, 17 })
        {
            var layout = Engine.Layout(SampleConclusions.Generated(pages));
            foreach (var page in layout.Pages)
            {
                var body = page.Lines.Where(l => !l.IsFurniture).ToList();
                Assert.NotEqual(LineRole.Heading, body[^1].Role);
            }
        }

        // A case built so that a heading alone would fit at the foot of a page: it must move on.
        var document = DocumentThatWouldStrandAHeading(out var heading);
        var lines = Engine.Layout(document).Pages.SelectMany(p => p.Lines.Select(l => (p.Number, Line: l))).ToList();
        var at = lines.FindIndex(x => x.Line.Text == heading);
        Assert.Equal(lines[at].Number, lines[at + 1].Number);
        Assert.Equal(LineRole.Paragraph, lines[at + 1].Line.Role);
    }

    /// <summary>
    /// Short paragraphs fill the first page until the heading of item II, with its spacing, would
    /// still fit at the foot of page 1, but the two opening lines of its paragraph would not.
    /// </summary>
    public static ConclusionsDocument DocumentThatWouldStrandAHeading(out string heading)
    {
        heading = "II. SECOND ITEM";
        var secondItem = new ConclusionsSection
        {
            Title = "Second item",
            Paragraphs = [string.Join(' ', SampleConclusions.EuropeanDefence[..2])],
        };
        for (var filler = 1; filler < 80; filler++)
        {
            var document = SampleConclusions.Demo() with
            {
                Sections =
                [
                    new ConclusionsSection { Title = "First item", Paragraphs = Enumerable.Repeat("One line of text.", filler).ToArray() },
                    secondItem,
                ],
            };
            var layout = Engine.Layout(document);
            if (layout.Pages.Count < 2) continue;
            var lastOnFirstPage = layout.Pages[0].Lines.Where(l => l.Role == LineRole.Paragraph).Max(l => l.Bottom);
            var headingLine = layout.Pages[1].Lines[0];
            // Room left on page 1 for the heading and its spacing (20 pt) but not for two more lines.
            var room = A4.BodyBottom - lastOnFirstPage;
            if (headingLine.Text == heading && room >= 20 + headingLine.Height && room < 20 + headingLine.Height + 8 + 2 * 15)
                return document;
        }
        throw new InvalidOperationException("No filler count moved the heading to the next page: either it was left at the foot of a page, or the layout constants changed.");
    }
}
