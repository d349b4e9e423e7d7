using BriefingRoom.Drafting;
using BriefingRoom.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>The demo, played to its end as on 6 March 2025 and exported as the secretariat: EUCO 6/25 and, apart, EUCO 10/25.</summary>
public class DemoOutcomeTests
{
    [Fact]
    public async Task TheDemoExportedAsTheSecretariatShowsTheOutcomeOf6March2025()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        // Hungary blocks the Ukraine text; the 26 who support it sign it as a statement, whose number the secretariat had ready.
        await Exports.UkraineBecomesTheStatementOf26Async(chair);

        var conclusions = await Exports.ConclusionsAsync(secretariat);
        var statement = await Exports.StatementAsync(secretariat, 1);

        var body = BodyLines(conclusions.Bytes);
        Assert.Equal("EUCO 6/25", body.Single(l => l.FontSize == 16).Text);
        var text = Squeeze(string.Join(" ", body.Select(l => l.Text))).Replace('’', '\'');
        var defence = DraftParagraphs.Of(app.WithDb(db => db.Items.Single(i => i.Id == 5).DraftText));
        var expected = Squeeze(
            "Special meeting of the European Council (6 March 2025) Conclusions "
            + "I. UKRAINE: STRATEGIC INTERESTS AND THE UNION'S NEGOTIATING POSITION "
            + "1. The text set out in document EUCO 10/25 was firmly supported by 26 Heads of State or Government. "
            + "II. EUROPEAN DEFENCE "
            + string.Join(" ", defence.Select((p, i) => $"{i + 2}. {p}")));
        Assert.EndsWith(expected.Replace('’', '\''), text, StringComparison.Ordinal);
        var pages = PageCount(conclusions.Bytes);
        Assert.All(Enumerable.Range(1, pages), p => Assert.Contains(TopMarginLines(conclusions.Bytes), l => l.Page == p && l.Text == "LIMITE"));
        Assert.All(CopyMarkText(conclusions.Bytes), marks => Assert.StartsWith("General Secretariat · Secretariat · ", marks, StringComparison.Ordinal));

        var separate = BodyLines(statement.Bytes);
        Assert.Equal("EUCO 10/25", separate.Single(l => l.FontSize == 16).Text);
        var statementText = Squeeze(string.Join(" ", separate.Select(l => l.Text)));
        Assert.Contains(Squeeze("Special meeting of the European Council (6 March 2025) Ukraine 1. The European Council held an in-depth discussion"), statementText, StringComparison.Ordinal);
        var signatories = BriefingRoom.Voting.MemberStates.All.Where(m => m.Code != "HU").Select(m => m.Name);
        Assert.EndsWith(Squeeze($"Firmly supported by 26 heads of state or government: {string.Join(", ", signatories)}."), statementText, StringComparison.Ordinal);

        // In Word too.
        var docx = await Exports.ConclusionsAsync(secretariat, "docx");
        using var word = WordprocessingDocument.Open(new MemoryStream(docx.Bytes), false);
        Assert.Contains("The text set out in document EUCO 10/25 was firmly supported by 26 Heads of State or Government.", word.MainDocumentPart!.Document!.Body!.InnerText, StringComparison.Ordinal);
    }
}
