using BriefingRoom.Conclusions.Word;
using BriefingRoom.Drafting;
using BriefingRoom.Tests.Infrastructure;
using DocumentFormat.OpenXml.CustomProperties;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Vml = DocumentFormat.OpenXml.Vml;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>The same conclusions as a Word file, read back with the Open XML SDK.</summary>
public class WordExportTests
{
    /// <summary>A paragraph as Word shows it: its runs' text joined, a tab where Word has one, and its footnote references.</summary>
    private sealed class WordParagraph(Paragraph paragraph)
    {
        public Paragraph Paragraph { get; } = paragraph;

        public string Text => string.Concat(Paragraph.Descendants().Select(e => e switch
        {
            Text t => t.Text,
            TabChar => "\t",
            _ => "",
        }));

        public IReadOnlyList<long> Footnotes => [.. Paragraph.Descendants<FootnoteReference>().Select(r => r.Id!.Value)];
    }

    private static Dictionary<long, string> FootnotesOf(WordprocessingDocument word) =>
        word.MainDocumentPart!.FootnotesPart!.Footnotes!.Elements<Footnote>().Where(f => f.Id!.Value > 0)
            .ToDictionary(f => f.Id!.Value, f => string.Concat(f.Descendants<Text>().Select(t => t.Text)).Trim());

    [Fact]
    public async Task TheWordFileHoldsTheSameConclusionsWithFootnotesMarkingAndTheRecipientsWatermark()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        await Exports.UkraineBecomesTheStatementOf26Async(chair);
        await Exports.ReserveOnDefenceAsync(app, chair, ("HU", "parliamentary", null, 3), ("CZ", "scrutiny", null, null));

        var docx = await Exports.ConclusionsAsync(secretariat, "docx", $"?recipient={Exports.MembershipOf(app, "fr")}");
        var pdf = await Exports.ConclusionsAsync(secretariat);

        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("EUCO-6-25-conclusions.docx", docx.Response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        // The same text in PDF and in Word: the same content hash.
        Assert.Equal(pdf.ContentSha256, docx.ContentSha256);

        using var word = WordprocessingDocument.Open(new MemoryStream(docx.Bytes), isEditable: false);
        Assert.Empty(new OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2019).Validate(word, TestHttp.Ct).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        var paragraphs = word.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().Select(p => new WordParagraph(p)).ToList();
        var texts = paragraphs.Select(p => p.Text).ToList();
        Assert.Equal(["EUROPEAN COUNCIL", "Brussels, 6 March 2025", "EUCO 6/25", "Special meeting of the European Council (6 March 2025)", "Conclusions"], texts.Take(5));

        var ukraine = texts.IndexOf("I.\tUKRAINE: STRATEGIC INTERESTS AND THE UNION'S NEGOTIATING POSITION");
        Assert.True(ukraine > 0, string.Join('\n', texts));
        Assert.Equal("1.\tThe text set out in document EUCO 10/25 was firmly supported by 26 Heads of State or Government.", texts[ukraine + 1]);
        Assert.Equal("II.\tEUROPEAN DEFENCE", texts[ukraine + 2]);
        var defence = DraftParagraphs.Of(app.WithDb(db => db.Items.Single(i => i.Id == 5).DraftText));
        Assert.Equal(defence.Select((p, i) => $"{i + 2}.\t{p}"), texts.Skip(ukraine + 3).Take(defence.Count));

        // Footnotes are Word's own, referenced from the heading (whole text) and from paragraph 3 of the item, printed as 4.
        var notes = FootnotesOf(word);
        Assert.Equal(["CZ: scrutiny reservation."], paragraphs[ukraine + 2].Footnotes.Select(id => notes[id]));
        Assert.Equal(["HU: parliamentary scrutiny reservation."], paragraphs[ukraine + 5].Footnotes.Select(id => notes[id]));
        Assert.Equal(2, paragraphs.Sum(p => p.Footnotes.Count));

        // The header (on every page: the section's default) carries the marking and, behind the text, the recipient's watermark.
        var section = word.MainDocumentPart.Document.Body.Elements<SectionProperties>().Single();
        var headerId = section.Elements<HeaderReference>().Single(r => r.Type!.Value == HeaderFooterValues.Default).Id!.Value!;
        var header = ((HeaderPart)word.MainDocumentPart.GetPartById(headerId)).Header!;
        Assert.Equal("LIMITE", string.Concat(header.Descendants<Text>().Select(t => t.Text)));
        var watermark = header.Descendants<Vml.TextPath>().Single(t => t.String is not null).String!.Value!;
        Assert.StartsWith("France delegate · France · ", watermark, StringComparison.Ordinal);
        var footerId = section.Elements<FooterReference>().Single(r => r.Type!.Value == HeaderFooterValues.Default).Id!.Value!;
        var footer = ((FooterPart)word.MainDocumentPart.GetPartById(footerId)).Footer!;
        var footerText = string.Concat(footer.Descendants<Text>().Select(t => t.Text));
        Assert.Contains("EUCO 6/25", footerText, StringComparison.Ordinal);
        Assert.Contains("Copy for France delegate (France), issued ", footerText, StringComparison.Ordinal);
        Assert.Equal([" PAGE \\* MERGEFORMAT ", " NUMPAGES \\* MERGEFORMAT "], footer.Descendants<SimpleField>().Select(f => f.Instruction!.Value));
        // The identifier: in the document's custom properties, and as hidden text.
        var property = word.CustomFilePropertiesPart!.Properties!.Elements<CustomDocumentProperty>().Single(p => p.Name == OpenXmlConclusionsWriter.CopyProperty);
        Assert.Equal(docx.CopyId, property.VTLPWSTR!.Text);
        Assert.Contains(footer.Descendants<Run>(), r => r.RunProperties?.Vanish is not null && r.InnerText.Contains(docx.CopyId, StringComparison.Ordinal));
        Assert.Equal("Special meeting of the European Council (6 March 2025) – Conclusions", word.PackageProperties.Title);
    }

    [Fact]
    public void TheSameDocumentAndCopyGiveTheSameWordBytesAndAnotherRecipientOnlyOtherMarks()
    {
        var writer = new OpenXmlConclusionsWriter();
        var document = SampleConclusions.Demo();

        var first = writer.Write(document, SampleConclusions.Copy());
        var again = writer.Write(document, SampleConclusions.Copy());
        var other = writer.Write(document, SampleConclusions.Copy("Maria Schmidt", "Germany", "BR-1111-2222-3333-4444"));

        Assert.Equal(first, again);
        using var a = WordprocessingDocument.Open(new MemoryStream(first), false);
        using var b = WordprocessingDocument.Open(new MemoryStream(other), false);
        Assert.Equal(a.MainDocumentPart!.Document!.OuterXml, b.MainDocumentPart!.Document!.OuterXml);
        Assert.Equal(a.MainDocumentPart.FootnotesPart!.Footnotes!.OuterXml, b.MainDocumentPart.FootnotesPart!.Footnotes!.OuterXml);
        Assert.NotEqual(a.MainDocumentPart.HeaderParts.Single().Header!.OuterXml, b.MainDocumentPart.HeaderParts.Single().Header!.OuterXml);
    }

    [Fact]
    public async Task AStatementGoesOutInWordWithItsNumberAndSignatories()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await Exports.UkraineBecomesTheStatementOf26Async(chair);

        var docx = await Exports.StatementAsync(chair, 1, "docx");

        using var word = WordprocessingDocument.Open(new MemoryStream(docx.Bytes), false);
        var texts = word.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().Select(p => new WordParagraph(p).Text).ToList();
        Assert.Equal("EUCO 10/25", texts[2]);
        Assert.Equal("Ukraine", texts[4]);
        Assert.StartsWith("1.\tThe European Council held an in-depth discussion", texts[5], StringComparison.Ordinal);
        Assert.StartsWith("Firmly supported by 26 heads of state or government: Belgium, Bulgaria, ", texts[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("Hungary", texts[^1], StringComparison.Ordinal);
        Assert.Equal("", string.Concat(word.MainDocumentPart.HeaderParts.Single().Header!.Descendants<Text>().Select(t => t.Text)));
    }
}
