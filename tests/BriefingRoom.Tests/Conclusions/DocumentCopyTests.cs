using BriefingRoom.Conclusions;
using BriefingRoom.Conclusions.Pdf;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>The renderer and the layout on their own: copies, content hashes, footnotes and markings.</summary>
public class DocumentCopyTests
{
    private readonly PdfSharpConclusionsRenderer _renderer = new();
    private static readonly ConclusionsLayoutEngine Engine = new();

    [Fact]
    public void TheSameDocumentAndCopyRenderToTheSameBytesAndAnotherCopyOnlyToOtherMarks()
    {
        var document = SampleConclusions.Generated(3);

        var first = _renderer.Render(document, SampleConclusions.Copy());
        var again = new PdfSharpConclusionsRenderer().Render(document, SampleConclusions.Copy());
        var other = _renderer.Render(document, SampleConclusions.Copy("Κυριάκος Μητσοτάκης", "Greece", "BR-1111-2222-3333-4444"));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(PdfReadBack.TextLetters(first), PdfReadBack.TextLetters(other));
        Assert.All(PdfReadBack.CopyMarkText(other), page => Assert.Contains("Κυριάκος Μητσοτάκης · Greece · 2025-03-06 21:40 UTC", page, StringComparison.Ordinal));
        // Without a copy there are no marks at all.
        Assert.All(PdfReadBack.CopyMarkText(_renderer.Render(document)), page => Assert.Equal("", page));
    }

    [Fact]
    public void TheContentHashIgnoresTheCopyButNotOneCharacterOfTheText()
    {
        var document = SampleConclusions.Demo();
        var paragraphs = document.Sections[4].Paragraphs.ToArray();
        paragraphs[0] = paragraphs[0].Replace("today", "today,", StringComparison.Ordinal);
        var changed = document with { Sections = [.. document.Sections.Take(4), document.Sections[4] with { Paragraphs = paragraphs }] };

        Assert.Equal(document.ContentSha256(), (document with { }).ContentSha256());
        Assert.Equal(SampleConclusions.Demo().ContentSha256(), document.ContentSha256());
        Assert.NotEqual(document.ContentSha256(), changed.ContentSha256());
        Assert.NotEqual(document.ContentSha256(), (document with { DistributionMarking = null }).ContentSha256());
        Assert.Matches("^[0-9a-f]{64}$", document.ContentSha256());
    }

    [Fact]
    public void EveryFootnoteStandsOnThePageOfItsMarkAboveTheFooter()
    {
        // Long paragraphs, each with notes, so that marks fall at the foot of pages.
        var generated = SampleConclusions.Generated(30);
        var document = generated with
        {
            Sections = [.. generated.Sections.Select(s => s with
            {
                Footnotes = [.. Enumerable.Range(1, s.Paragraphs.Count).Where(p => p % 2 == 1)
                    .Select(p => new Footnote(p, $"A reservation on paragraph {p} of this item, long enough to take two lines of the notes area at the foot of the page, as some reservations do."))],
            })],
        };

        var layout = Engine.Layout(document);

        var marks = 0;
        foreach (var page in layout.Pages)
        {
            var marked = page.Lines.SelectMany(l => l.Runs.Where(r => r.Superscript)).SelectMany(r => r.Text.Split(',')).ToList();
            var noted = page.Lines.Where(l => l.Role == LineRole.Footnote && l.Runs.Count > 1 && l.Runs[0].X == PageGeometry.A4.Left)
                .Select(l => l.Runs[0].Text).ToList();
            Assert.Equal(marked, noted);
            marks += marked.Count;
            var notes = page.Lines.Where(l => l.Role == LineRole.Footnote).ToList();
            var text = page.Lines.Where(l => !l.IsFurniture).ToList();
            if (notes.Count > 0)
            {
                Assert.True(text.Max(l => l.Bottom) <= notes.Min(l => l.Top), $"page {page.Number}: text runs into the notes");
                Assert.True(notes.Max(l => l.Bottom) <= PageGeometry.A4.BodyBottom + 0.01, $"page {page.Number}: notes run into the footer");
            }
        }
        Assert.Equal(document.Sections.Sum(s => s.Footnotes.Count), marks);
    }

    [Fact]
    public void TheMarkingStandsInTheTopMarginOfEveryPage()
    {
        var layout = Engine.Layout(SampleConclusions.Generated(12) with { DistributionMarking = "LIMITE" });

        Assert.All(layout.Pages, page =>
        {
            var marking = Assert.Single(page.Lines, l => l.Role == LineRole.Marking);
            Assert.Equal("LIMITE", marking.Text);
            Assert.True(marking.Bottom <= PageGeometry.A4.Top);
        });
        Assert.DoesNotContain(Engine.Layout(SampleConclusions.Generated(2) with { DistributionMarking = null }).Pages.SelectMany(p => p.Lines), l => l.Role == LineRole.Marking);
    }

    [Fact]
    public void CopyIdentifiersAreReadableUniqueAndFoundInText()
    {
        var ids = Enumerable.Range(0, 500).Select(_ => CopyIdentifiers.New()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^BR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", id));
        Assert.Equal(ids[0], CopyIdentifiers.Normalize($"  {ids[0].ToLowerInvariant()} "));
        // The letters left out are read as the digits they are mistaken for (Crockford); U stands for nothing.
        Assert.Equal("BR-1111-0000-1000-0000", CopyIdentifiers.Normalize("BR-IIII-OOOO-lOOO-0000"));
        Assert.Null(CopyIdentifiers.Normalize("BR-UUUU-0000-0000-0000"));
        Assert.Null(CopyIdentifiers.Normalize($"x{ids[0]}"));
        Assert.Equal([ids[1], ids[2]], CopyIdentifiers.In($"…copy {ids[1]} and {ids[2]}, again {ids[1]}."));
    }
}
