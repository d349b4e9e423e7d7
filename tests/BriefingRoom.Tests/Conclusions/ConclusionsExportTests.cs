using System.Diagnostics;
using System.Security.Cryptography;
using BriefingRoom.Conclusions;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Tests.Infrastructure;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>The secretariat's export through the real endpoint, read back with PdfPig.</summary>
public class ConclusionsExportTests
{
    private const string Url = "/api/meetings/1/conclusions.pdf";

    private static async Task<(byte[] Pdf, HttpResponseMessage Response)> ExportAsync(HttpClient client, string url = Url)
    {
        var response = await client.GetAsync(url, TestHttp.Ct);
        await response.ShouldBeAsync(200);
        return (await response.Content.ReadAsByteArrayAsync(TestHttp.Ct), response);
    }

    private static string DraftOf(BriefingApp app, int itemId) => app.ServerText($"draft:{itemId}");

    [Fact]
    public async Task TheExportHoldsEveryAgreedParagraphInOrderWithItsNumberAndNothingElse()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");

        var (pdf, response) = await ExportAsync(secretariat);

        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var body = BodyLines(pdf);
        var text = Squeeze(string.Join(" ", body.Select(l => l.Text)));
        Assert.Contains(Squeeze("Special meeting of the European Council (6 March 2025)"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("I. EUROPEAN DEFENCE"), text, StringComparison.Ordinal);

        var paragraphs = DraftParagraphs.Of(DraftOf(app, 5));
        var at = 0;
        for (var n = 0; n < paragraphs.Count; n++)
        {
            var expected = Squeeze($"{n + 1}.{paragraphs[n]}");
            var found = text.IndexOf(expected, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"Paragraph {n + 1} is missing or out of order: {paragraphs[n]}");
            at = found + expected.Length;
        }

        // Drafts of the items that are not agreed are not in the conclusions.
        foreach (var item in new[] { 1, 2, 3, 4 })
        {
            Assert.DoesNotContain(Squeeze(DraftParagraphs.Of(DraftOf(app, item))[0]), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheSecretariatCanListTheItemsWithoutAgreement()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");

        var (pdf, _) = await ExportAsync(secretariat, Url + "?noAgreement=list");

        var text = string.Join("\n", BodyLines(pdf).Select(l => l.Text));
        // Headings may wrap, and the typographic apostrophe may come back as either form: compare squeezed.
        var squeezed = Squeeze(text).Replace('’', '\'');
        Assert.Contains(Squeeze("I. UKRAINE: STRATEGIC INTERESTS AND THE UNION'S NEGOTIATING POSITION"), squeezed, StringComparison.Ordinal);
        Assert.Contains(Squeeze("V. EUROPEAN DEFENCE"), squeezed, StringComparison.Ordinal);
        Assert.Equal(4, text.Split("No agreement was reached on this item.").Length - 1);
    }

    [Fact]
    public async Task TheConclusionsReferToAStatementByItsNumberAndNoLongerPrintItsText()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        var norway = await app.SignInAsync("no");
        await (await chair.PutJsonAsync("/api/meetings/1/items/2/status", new { status = "notAgreed" })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync("/api/meetings/1/items/2/coalition", null)).ShouldBeAsync(200);
        await (await norway.PostJsonAsync("/api/meetings/1/items/2/coalition/signatories/NO", null)).ShouldBeAsync(200);
        await (await secretariat.PutJsonAsync("/api/meetings/1/items/2/statement", new { documentNumber = "EUCO 11/25" })).ShouldBeAsync(200);

        var (pdf, _) = await ExportAsync(chair);

        var text = Squeeze(string.Join(" ", BodyLines(pdf).Select(l => l.Text)));
        // Item 2's supporters in the demo: every member state but Hungary and Slovakia, who have not said; and Norway, who joined.
        // Printed sections are numbered I., II., ... in agenda order: item 2 is the first printed.
        Assert.Contains(Squeeze("I. SECURITY GUARANTEES FOR UKRAINE 1. The text set out in document EUCO 11/25 was firmly supported by 25 Heads of State or Government and by Norway."),
            text, StringComparison.Ordinal);
        foreach (var paragraph in DraftParagraphs.Of(DraftOf(app, 2)))
        {
            Assert.DoesNotContain(Squeeze(paragraph), text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("ANNEX", text, StringComparison.Ordinal);
        // Item V's paragraphs follow on from the cross reference.
        Assert.Contains(Squeeze("II. EUROPEAN DEFENCE 2."), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStatementWithoutANumberCannotBeReferredToAndTheAnswerSaysWhoNumbersIt()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await (await chair.PutJsonAsync("/api/meetings/1/items/2/status", new { status = "notAgreed" })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync("/api/meetings/1/items/2/coalition", null)).ShouldBeAsync(200);

        foreach (var url in new[] { Url, "/api/meetings/1/items/2/statement.pdf", "/api/meetings/1/conclusions.docx" })
        {
            var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.GetAsync(url, TestHttp.Ct));
            await response.ShouldBeAsync(409);
            Assert.Contains("document number", (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryPageSaysPageXOfYAndTheSequenceItReflects()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var (pdf, response) = await ExportAsync(chair);

        var pages = PageCount(pdf);
        var footers = Lines(pdf).Where(l => l.Text.StartsWith("page ", StringComparison.Ordinal) || l.Text.Contains(" page ", StringComparison.Ordinal)).ToList();
        for (var page = 1; page <= pages; page++)
        {
            Assert.Contains(footers, l => l.Page == page && l.Text.EndsWith($"page {page} / {pages}", StringComparison.Ordinal));
            Assert.Contains(Lines(pdf), l => l.Page == page && l.Text.Contains($"sequence {response.Headers.GetValues(ConclusionsApi.SeqHeader).Single()}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TheFontIsEmbeddedAndNamesInEveryAlphabetExtractExactly()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var names = "Viktor Orbán, Łódź, Ελλάδα, България, Iași, Ħal Għargħur, Šiauliai, Tallinn–Tartu";
        var version = app.WithDb(db => db.Items.Single(i => i.Id == 5).Version);
        await (await chair.PutJsonAsync("/api/meetings/1/items/5/status", new { status = "underDiscussion", expectedVersion = version })).ShouldBeAsync(200);
        var draft = DraftOf(app, 5);
        await (await chair.PostJsonAsync("/api/meetings/1/texts/draft:5/operations",
            new SubmitOperationRequest("draft:5", 0, "names", TextOperation.Builder().Retain(draft.Length).Insert("\nThe European Council thanks " + names + ".").Build()))).ShouldBeAsync(200);
        await (await chair.PutJsonAsync("/api/meetings/1/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);

        var (pdf, _) = await ExportAsync(chair);

        Assert.Contains(names, string.Join(" ", Lines(pdf).Select(l => l.Text)), StringComparison.Ordinal);
        Assert.All(Fonts(pdf), f => Assert.True(f.EmbeddedBytes > 0, $"{f.BaseFont} is not embedded"));
    }

    [Fact]
    public async Task TheSameAgreedContentGivesTheSameContentHashInEveryCopyAndAChangedTextAnotherHash()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        var chair = await app.SignInAsync("chair");

        var first = await Exports.ConclusionsAsync(secretariat);
        // Changes elsewhere in the meeting do not change what is printed, nor its hash or sequence number.
        await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(200);
        var second = await Exports.ConclusionsAsync(chair);

        Assert.Equal(first.ContentSha256, second.ContentSha256);
        Assert.Equal(first.Seq, second.Seq);
        Assert.Equal(TextLetters(first.Bytes), TextLetters(second.Bytes));
        // Two copies: each file has its own hash, which is the SHA-256 of its bytes.
        Assert.NotEqual(first.CopySha256, second.CopySha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first.Bytes)), first.CopySha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(second.Bytes)), second.CopySha256);
        Assert.NotEqual(first.CopyId, second.CopyId);

        // One character of the agreed text changes: another content hash, and a later sequence number.
        await (await chair.PutJsonAsync("/api/meetings/1/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        var draft = DraftOf(app, 5);
        await (await chair.PostJsonAsync("/api/meetings/1/texts/draft:5/operations",
            new SubmitOperationRequest("draft:5", 0, "one-char", TextOperation.Builder().Retain(draft.Length - 1).Delete(1).Insert("!").Build()))).ShouldBeAsync(200);
        await (await chair.PutJsonAsync("/api/meetings/1/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
        var third = await Exports.ConclusionsAsync(secretariat);

        Assert.NotEqual(first.ContentSha256, third.ContentSha256);
        Assert.True(third.Seq > first.Seq);
    }

    [Fact]
    public async Task EachExportIsRecordedInTheMeetingsHistoryWithWhoExportedIt()
    {
        await using var app = new BriefingApp();
        await using var chairRoom = await RoomClient.JoinAsync(app, "chair");
        var secretariat = await app.SignInAsync("secretariat");

        var (_, response) = await ExportAsync(secretariat);

        await chairRoom.WaitUntilAsync(c => c.Events.Any(e => e.Type == "conclusions.exported"), "the export appears in the history");
        var recorded = chairRoom.Events.Single(e => e.Type == "conclusions.exported");
        Assert.Equal(response.Headers.GetValues(ConclusionsApi.Sha256Header).Single(), recorded.Payload.GetProperty("sha256").GetString());
        Assert.Equal(response.Headers.GetValues(ConclusionsApi.CopySha256Header).Single(), recorded.Payload.GetProperty("copySha256").GetString());
        Assert.Equal("General Secretariat", recorded.Payload.GetProperty("recipient").GetString());
        Assert.Equal("General Secretariat", recorded.Actor);
        // The event does not carry the copy's identifier: every member hears of it.
        Assert.DoesNotContain(response.Headers.GetValues(ConclusionsApi.CopyIdHeader).Single(), recorded.Payload.GetRawText(), StringComparison.Ordinal);

        var stored = app.WithDb(db => db.ExportedCopies.Single());
        Assert.Equal(response.Headers.GetValues(ConclusionsApi.CopyIdHeader).Single(), stored.Id);
        Assert.Equal(recorded.Payload.GetProperty("sha256").GetString(), stored.ContentSha256);
        Assert.Equal(recorded.Payload.GetProperty("copySha256").GetString(), stored.CopySha256);
        Assert.Equal(("General Secretariat", "Secretariat", ExportFormat.Pdf, ExportedDocument.Conclusions), (stored.RecipientName, stored.RecipientDelegation, stored.Format, stored.Document));
    }

    [Fact]
    public async Task OnlyTheSecretariatAndTheChairExport()
    {
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true");
        foreach (var (who, status) in new[] { ("hu", 403), ("observer", 403), ("uk", 403), ("admin", 200) })
        {
            var client = await app.SignInAsync(who);
            await (await client.GetAsync(Url, TestHttp.Ct)).ShouldBeAsync(status);
        }

        var outsider = await app.RegisterOutsiderAsync();
        await (await outsider.GetAsync(Url, TestHttp.Ct)).ShouldBeAsync(404);
        await (await app.CreateClient().GetAsync(Url, TestHttp.Ct)).ShouldBeAsync(401);
    }

    [Fact]
    public async Task AMeetingWithNothingAgreedGivesAProblemDetailNotAnEmptyPdf()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await (await chair.PutJsonAsync("/api/meetings/1/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);

        var response = await chair.GetAsync(Url, TestHttp.Ct);

        await response.ShouldBeAsync(409);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Nothing is agreed", (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDemoMeetingsFirstPageRendersAsAnImage()
    {
        if (!File.Exists("/usr/bin/pdftoppm"))
        {
            Assert.Skip("pdftoppm (Debian package poppler-utils) is not installed; .ci/run installs it.");
        }

        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        var (pdf, _) = await ExportAsync(secretariat, Url + "?noAgreement=list");
        var folder = Directory.CreateTempSubdirectory("conclusions-");
        var file = Path.Combine(folder.FullName, "demo.pdf");
        await File.WriteAllBytesAsync(file, pdf, TestHttp.Ct);

        using var pdftoppm = Process.Start(new ProcessStartInfo("pdftoppm", ["-r", "60", "-png", "-f", "1", "-l", "1", file, Path.Combine(folder.FullName, "page")]))!;
        await pdftoppm.WaitForExitAsync(TestHttp.Ct);

        var png = Assert.Single(Directory.GetFiles(folder.FullName, "page*.png"));
        var bytes = await File.ReadAllBytesAsync(png, TestHttp.Ct);
        // A4 (595 x 842 points) at 60 dpi is 497 x 702 pixels (PNG stores width and height big-endian at bytes 16 and 20).
        Assert.Equal((497, 702), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
        folder.Delete(recursive: true);
    }
}
