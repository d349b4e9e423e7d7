using System.Security.Cryptography;
using BriefingRoom.Conclusions.Pdf;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Outline;

namespace BriefingRoom.Tests.Conclusions;

public class ConclusionsPdfTests
{
    private readonly PdfSharpConclusionsRenderer _renderer = new();

    private static ConclusionsDocument With(params ConclusionsSection[] sections) =>
        SampleConclusions.Demo() with { Sections = sections };

    private static string BodyText(byte[] pdf) =>
        string.Join(' ', PdfReadBack.BodyLines(pdf).Select(l => l.Text));

    [Fact]
    public void EveryParagraphAppearsInOrderWithItsNumber()
    {
        var document = SampleConclusions.Generated(6);
        var pdf = _renderer.Render(document);

        var text = PdfReadBack.Squeeze(BodyText(pdf));
        var expected = document.Sections.SelectMany(s => s.Paragraphs).ToList();
        var at = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            var numbered = PdfReadBack.Squeeze($"{i + 1}.{expected[i]}");
            var found = text.IndexOf(numbered, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"paragraph {i + 1} missing or out of order");
            at = found + numbered.Length;
        }
        // Numbers hang at the left margin, each opening its paragraph's first line.
        var numbers = PdfReadBack.BodyLines(pdf)
            .Select(l => l.Text.Split(' ')[0])
            .Where(w => w.Length > 1 && w[^1] == '.' && w[..^1].All(char.IsAsciiDigit))
            .Select(w => int.Parse(w[..^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, expected.Count), numbers);
    }

    [Fact]
    public void SectionWithoutAgreementSaysSoUnderItsHeading()
    {
        var pdf = _renderer.Render(SampleConclusions.Demo());

        var lines = PdfReadBack.BodyLines(pdf).Select(l => l.Text).ToList();
        var heading = lines.IndexOf("III. FROZEN RUSSIAN ASSETS AND SANCTIONS");
        Assert.True(heading >= 0, string.Join('\n', lines));
        Assert.Equal(ConclusionsSection.NoAgreementText, lines[heading + 1]);
        Assert.Equal(3, lines.Count(l => l == ConclusionsSection.NoAgreementText));
        // Items without agreement use no numbers: after item I's one paragraph, the agreed item's start at 2.
        Assert.StartsWith("2. ", lines[lines.IndexOf("V. EUROPEAN DEFENCE") + 1]);
    }

    [Fact]
    public void AStatementPrintsItsOwnNumberItsTextAndEverySignatoryAfterIt()
    {
        var document = SampleConclusions.Statement();
        var pdf = _renderer.Render(document);

        var body = PdfReadBack.BodyLines(pdf);
        Assert.Contains(body, l => l.Page == 1 && l.Text == "EUCO 10/25");
        Assert.DoesNotContain(body, l => l.Text.StartsWith("I. ", StringComparison.Ordinal));
        var text = BodyText(pdf);
        var support = text.IndexOf("Firmly supported by 26 heads of state or government:", StringComparison.Ordinal);
        Assert.True(support > text.IndexOf(document.Sections[0].Paragraphs[^1][..20], StringComparison.Ordinal));
        Assert.Equal(PdfReadBack.Squeeze(document.Support!.SupportLine()), PdfReadBack.Squeeze(text[support..]));
        Assert.DoesNotContain("Hungary", text[support..]);
        Assert.Equal(26, document.Support.Signatories.Count);
        Assert.All(PdfReadBack.Lines(pdf).Where(l => l.FontSize < 10 && l.Text.Contains("page ", StringComparison.Ordinal)),
            footer => Assert.StartsWith("EUCO 10/25 page", footer.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryPageFooterSaysPageXOfYWithNumberAndSequence()
    {
        var document = SampleConclusions.Generated(5) with { Sequence = 4711 };
        var pdf = _renderer.Render(document);

        var pages = PdfReadBack.PageCount(pdf);
        Assert.True(pages >= 5);
        var lines = PdfReadBack.Lines(pdf);
        for (var p = 1; p <= pages; p++)
        {
            var footer = lines.Where(l => l.Page == p && l.FontSize < 10).Select(l => l.Text).ToList();
            Assert.Contains($"EUCO 6/25 page {p} / {pages}", footer);
            Assert.Contains("Reflects meeting sequence 4711", footer);
        }
    }

    [Fact]
    public void FontsAreEmbeddedSubsetsOfTheShippedSerif()
    {
        var pdf = _renderer.Render(SampleConclusions.Demo());

        var fonts = PdfReadBack.Fonts(pdf);
        Assert.Equal(3, fonts.Count);
        Assert.All(fonts, f =>
        {
            Assert.Equal("Type0", f.Subtype);
            Assert.Matches("^[A-Z]{6}\\+Liberation Serif", f.BaseFont);
            Assert.True(f.EmbeddedBytes > 1000, $"{f.BaseFont} has no FontFile2 data");
            // A subset, not the whole 380 kB face.
            Assert.True(f.EmbeddedBytes < 120_000, $"{f.BaseFont} embeds {f.EmbeddedBytes} bytes");
        });
        Assert.True(pdf.Length < 150_000, $"{pdf.Length} bytes");
    }

    [Fact]
    public void NamesInEveryEuropeanScriptExtractExactly()
    {
        string[] names =
        [
            "Orbán", "Łódź", "Ελλάδα", "България", "București", "Timișoara", "Țară", "Ħal", "Ġgantija", "Żebbuġ",
            "Klaipėda", "Šiaulių", "Ąžuolas", "Čapek", "Ďakujem", "Ľubica", "Ňa", "Ŕ", "Őrség", "Űrhajó", "Ærø",
            "Øresund", "Åland", "Straße", "Köln", "Ķekava", "Ēriks", "Ģirts", "Ņina", "Tõnu", "Äänekoski",
            "Coimbra ã õ ç", "Ørsted", "Éire", "Ó Súilleabháin", "Sørensen", "Иван", "Ἀθῆναι",
        ];
        var paragraph = "Delegations named: " + string.Join(", ", names) + ".";
        var document = With(new ConclusionsSection { Title = "Ελλάδα and България", Paragraphs = [paragraph] });
        var pdf = _renderer.Render(document);

        var text = BodyText(pdf);
        foreach (var name in names)
            Assert.Contains(name, text);
        Assert.Contains("ΕΛΛΆΔΑ AND БЪЛГАРИЯ", text);
    }

    [Fact]
    public void ParagraphCrossingAPageBreakLosesNoLineAndNoWord()
    {
        var words = Enumerable.Range(1, 1200).Select(i => $"word{i}");
        var longParagraph = string.Join(' ', words);
        var document = With(new ConclusionsSection
        {
            Title = "Long",
            Paragraphs = ["A short opening paragraph.", longParagraph, "A closing paragraph."],
        });
        var pdf = _renderer.Render(document);

        var lines = PdfReadBack.BodyLines(pdf);
        var first = lines.FindIndex(l => l.Text.StartsWith("2. word1 ", StringComparison.Ordinal));
        var last = lines.FindIndex(l => l.Text.Contains("word1200", StringComparison.Ordinal));
        Assert.True(lines[last].Page > lines[first].Page, "the paragraph should cross a page break");
        var extracted = string.Join(' ', lines[first..(last + 1)].Select(l => l.Text));
        Assert.Equal("2. " + longParagraph, extracted);
    }

    [Fact]
    public void WordOf300CharactersWrapsWithinTheMargins()
    {
        var word = string.Concat(Enumerable.Repeat("Rechtsstaatlichkeitsmechanismus", 10))[..300];
        var document = With(new ConclusionsSection { Title = "Long word", Paragraphs = [$"Before {word} after."] });
        var pdf = _renderer.Render(document);

        var lines = PdfReadBack.BodyLines(pdf);
        Assert.Contains(PdfReadBack.Squeeze($"1. Before {word} after."), PdfReadBack.Squeeze(BodyText(pdf)));
        var geometry = PageGeometry.A4;
        Assert.All(lines, l => Assert.True(l.Right <= geometry.Width - geometry.Right + 0.5, $"'{l.Text}' ends at {l.Right}"));
        Assert.True(lines.Count(l => l.Text.Contains("Rechtsstaat", StringComparison.Ordinal)) >= 3);
    }

    [Fact]
    public void HeadingIsNeverTheLastLineOfAPage()
    {
        var document = ConclusionsLayoutTests.DocumentThatWouldStrandAHeading(out var heading);
        var pdf = _renderer.Render(document);

        var lines = PdfReadBack.BodyLines(pdf);
        var at = lines.FindIndex(l => l.Text == heading);
        Assert.True(at > 0);
        Assert.Equal(lines[at].Page, lines[at + 1].Page);
        Assert.NotEqual(lines[at].Page, lines[at - 1].Page);
    }

    [Fact]
    public void SameDocumentRendersToIdenticalBytes()
    {
        var first = _renderer.Render(SampleConclusions.Demo());
        var second = new PdfSharpConclusionsRenderer().Render(SampleConclusions.Demo());

        Assert.Equal(first, second);
    }

    [Fact]
    public void ConcurrentRendersGiveTheSameBytes()
    {
        var document = SampleConclusions.Generated(3);
        var results = new byte[8][];
        Parallel.For(0, results.Length, i => results[i] = _renderer.Render(document));

        Assert.All(results, r => Assert.Equal(results[0], r));
    }

    [Fact]
    public void OneChangedCharacterChangesTheHashAndTheDocumentId()
    {
        var document = SampleConclusions.Demo();
        var paragraphs = document.Sections[4].Paragraphs.ToArray();
        paragraphs[3] = paragraphs[3].Replace("€150 billion", "€151 billion", StringComparison.Ordinal);
        var changed = document with
        {
            Sections = [.. document.Sections.Take(4), document.Sections[4] with { Paragraphs = paragraphs }],
        };

        var before = _renderer.Render(document);
        var after = _renderer.Render(changed);

        Assert.NotEqual(Convert.ToHexString(SHA256.HashData(before)), Convert.ToHexString(SHA256.HashData(after)));
        Assert.NotEqual(TrailerId(before), TrailerId(after));
        Assert.Contains("€151 billion", BodyText(after));
    }

    [Fact]
    public void CharactersTheFontLacksShowAsSquaresAndInvisibleOnesVanish()
    {
        var document = With(new ConclusionsSection
        {
            Title = "Guests",
            Paragraphs = ["Japan (日本) and the Republic of Korea (대한민국) took part 🤝 in the dis\u00ADcus\u200Bsion.\tTabs\nand new lines are spaces."],
        });

        var text = BodyText(_renderer.Render(document));

        Assert.Contains("1. Japan (□□) and the Republic of Korea (□□□□) took part □ in the discussion. Tabs and new lines are spaces.", text);
    }

    [Fact]
    public void AppGetsOneSharedRendererBehindTheInterface()
    {
        using var services = new ServiceCollection().AddConclusionsPdf().BuildServiceProvider();

        var renderer = services.GetRequiredService<IConclusionsRenderer>();

        Assert.Same(renderer, services.GetRequiredService<IConclusionsRenderer>());
        Assert.Equal(_renderer.Render(SampleConclusions.Demo()), renderer.Render(SampleConclusions.Demo()));
    }

    private static string TrailerId(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.Structure.Trailer.Identifier[0].Data;
    }

    [Fact]
    public void MetadataAndBookmarksComeFromTheModel()
    {
        var document = SampleConclusions.Demo();
        var pdf = _renderer.Render(document);

        using var read = PdfDocument.Open(pdf);
        var info = read.Information;
        Assert.Equal(document.Metadata.Title, info.Title);
        Assert.Equal(document.Metadata.Subject, info.Subject);
        Assert.Equal(document.Metadata.Author, info.Author);
        Assert.Equal("BriefingRoom", info.Creator);
        Assert.Equal(document.Metadata.CreationDate, info.GetCreatedDateTimeOffset());

        Assert.True(read.TryGetBookmarks(out var bookmarks));
        var nodes = bookmarks.Roots.Cast<DocumentBookmarkNode>().ToList();
        Assert.Equal(
            ["I. Ukraine", "II. Security guarantees for Ukraine", "III. Frozen Russian assets and sanctions",
             "IV. Military support to Ukraine", "V. European defence"],
            nodes.Select(n => n.Title));
        Assert.Equal(1, nodes[0].PageNumber);
        Assert.InRange(nodes[^1].PageNumber, 1, read.NumberOfPages);
    }
}
