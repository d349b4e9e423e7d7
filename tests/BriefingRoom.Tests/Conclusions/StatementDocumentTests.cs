using BriefingRoom.Agenda;
using BriefingRoom.Drafting;
using BriefingRoom.Tests.Infrastructure;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>The statement of the willing goes out as a document of its own, with its number, title, marking and signatories.</summary>
public class StatementDocumentTests
{
    private const string M = Exports.M;

    [Fact]
    public async Task TheSecretariatOrTheChairNumbersAStatementAndTheRoomHearsOfIt()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        var france = await app.SignInAsync("fr");
        var uk = await app.SignInAsync("uk");
        await using var room = await RoomClient.JoinAsync(app, "hu");
        var request = new { documentNumber = "EUCO 11/25", title = "Security guarantees", distributionMarking = "LIMITE" };

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            await (await france.PutJsonAsync($"{M}/items/2/statement", request)).ShouldBeAsync(403);
            await (await uk.PutJsonAsync($"{M}/items/1/statement", request)).ShouldBeAsync(404);
            // The conclusions' own number, or another statement's, is not this statement's.
            var own = await secretariat.PutJsonAsync($"{M}/items/2/statement", new { documentNumber = "euco 6/25" });
            await own.ShouldBeAsync(400);
            Assert.Contains("number of the meeting's conclusions", (await own.ReadJsonAsync()).GetProperty("errors").GetProperty("documentNumber")[0].GetString(), StringComparison.Ordinal);
            var taken = await secretariat.PutJsonAsync($"{M}/items/2/statement", new { documentNumber = "EUCO 10/25" });
            await taken.ShouldBeAsync(400);
            Assert.Contains("item I's statement", (await taken.ReadJsonAsync()).GetProperty("errors").GetProperty("documentNumber")[0].GetString(), StringComparison.Ordinal);
            await (await secretariat.PutJsonAsync($"{M}/items/2/statement", new { documentNumber = " " })).ShouldBeAsync(400);
        });

        var response = await secretariat.PutJsonAsync($"{M}/items/2/statement", request);
        await response.ShouldBeAsync(200);
        Assert.Equal(new StatementDocumentDto("EUCO 11/25", "Security guarantees", "LIMITE"), (await response.ReadAsync<AgendaItemDto>()).Statement);
        await room.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.updated" && e.ItemId == 2
            && e.Payload.GetProperty("statement").GetProperty("documentNumber").GetString() == "EUCO 11/25"), "the number reaches the room");

        // Locked: nothing about the item moves, its statement's number included.
        var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync($"{M}/items/2/lock", new { reason = "pause" })).ShouldBeAsync(200);
        await (await secretariat.PutJsonAsync($"{M}/items/2/statement", request with { documentNumber = "EUCO 12/25" })).ShouldBeAsync(409);
    }

    /// <summary>
    /// A double click on "Save" in the documents panel sends the same number, title and marking again: nothing moves, so
    /// no event, no new version of the item (which turned the chair's edit of it, made at the version before, into a conflict).
    /// </summary>
    [Fact]
    public async Task SavingAStatementsNumberAgainUnchangedChangesNothing()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        var request = new { documentNumber = "EUCO 11/25", title = "Security guarantees", distributionMarking = "LIMITE" };
        await (await secretariat.PutJsonAsync($"{M}/items/2/statement", request)).ShouldBeAsync(200);

        var again = await Fingerprint.AssertUnchangedAsync(app, () => secretariat.PutJsonAsync($"{M}/items/2/statement", new { documentNumber = " EUCO 11/25 ", title = "Security guarantees", distributionMarking = "LIMITE" }));
        await again.ShouldBeAsync(200);
        Assert.Equal(new StatementDocumentDto("EUCO 11/25", "Security guarantees", "LIMITE"), (await again.ReadAsync<AgendaItemDto>()).Statement);
    }

    [Fact]
    public async Task AStatementIsADocumentOfItsOwnWithItsNumberTitleMarkingTextAndSignatories()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        await Exports.UkraineBecomesTheStatementOf26Async(chair);
        await (await secretariat.PutJsonAsync($"{M}/items/1/statement", new { documentNumber = "EUCO 10/25", title = "Ukraine", distributionMarking = "RESTREINT UE" })).ShouldBeAsync(200);

        var statement = await Exports.StatementAsync(secretariat, 1);

        Assert.Equal("EUCO-10-25-statement.pdf", statement.Response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var body = BodyLines(statement.Bytes);
        Assert.Equal("EUCO 10/25", body.Single(l => l.FontSize == 16).Text);
        Assert.Contains(body, l => l.Text == "Special meeting of the European Council (6 March 2025)");
        Assert.Contains(body, l => l.Text == "Ukraine");
        var text = Squeeze(string.Join(" ", body.Select(l => l.Text)));
        var paragraphs = DraftParagraphs.Of(app.WithDb(db => db.Items.Single(i => i.Id == 1).DraftText));
        var at = 0;
        for (var n = 0; n < paragraphs.Count; n++)
        {
            var expected = Squeeze($"{n + 1}.{paragraphs[n]}");
            var found = text.IndexOf(expected, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"paragraph {n + 1} of the statement is missing or out of order");
            at = found + expected.Length;
        }

        var signatories = BriefingRoom.Voting.MemberStates.All.Where(m => m.Code != "HU").Select(m => m.Name);
        Assert.EndsWith(Squeeze($"Firmly supported by 26 heads of state or government: {string.Join(", ", signatories)}."), text, StringComparison.Ordinal);
        var pages = PageCount(statement.Bytes);
        var top = TopMarginLines(statement.Bytes);
        Assert.All(Enumerable.Range(1, pages), p => Assert.Contains(top, l => l.Page == p && l.Text == "RESTREINT UE"));
        Assert.DoesNotContain(Lines(statement.Bytes), l => l.Text.Contains("LIMITE", StringComparison.Ordinal));
        Assert.Contains(Lines(statement.Bytes), l => l.Text == $"EUCO 10/25 page 1 / {pages}");

        // The statement is not in the conclusions; the reference to it is, under the meeting's own marking.
        var conclusions = await Exports.ConclusionsAsync(secretariat);
        var referring = Squeeze(string.Join(" ", BodyLines(conclusions.Bytes).Select(l => l.Text)));
        Assert.Contains(Squeeze("1. The text set out in document EUCO 10/25 was firmly supported by 26 Heads of State or Government."), referring, StringComparison.Ordinal);
        Assert.DoesNotContain(Squeeze(paragraphs[1]), referring, StringComparison.Ordinal);
        Assert.All(TopMarginLines(conclusions.Bytes), l => Assert.Equal("LIMITE", l.Text));
        Assert.NotEqual(statement.ContentSha256, conclusions.ContentSha256);
    }

    [Fact]
    public async Task AStatementExportsTheSameBytesForTheSameCopyAndItsSequenceIgnoresTheRestOfTheRoom()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await Exports.UkraineBecomesTheStatementOf26Async(chair);

        var first = await Exports.StatementAsync(chair, 1);
        await (await chair.PutJsonAsync($"{M}/items/3/positions/HU", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(200);
        var second = await Exports.StatementAsync(chair, 1, "docx");

        Assert.Equal(first.ContentSha256, second.ContentSha256);
        Assert.Equal(first.Seq, second.Seq);
    }

    [Fact]
    public async Task AnItemThatIsNotAStatementHasNoStatementToExport()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => secretariat.GetAsync($"{M}/items/1/statement.pdf", TestHttp.Ct));

        await response.ShouldBeAsync(409);
        Assert.Contains("not a coalition statement", (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
    /// <summary>
    /// A statement numbered with all the references the secretariat gives it (up to 200 characters) printed only the
    /// first line's worth of its number at the foot of every page, the rest dropped, and that line ran under "page 1 / 1".
    /// The footer prints the whole number, left of the page number.
    /// </summary>
    [Fact]
    public async Task ALongStatementNumberIsPrintedWholeInTheFooterLeftOfThePageNumber()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        await Exports.UkraineBecomesTheStatementOf26Async(chair);
        var number = "EUCO 10/25 + COR 1 + ADD 1 REV 2 – Statement of the Heads of State or Government of 26 member states on Ukraine (final, as signed)";
        await (await secretariat.PutJsonAsync($"{M}/items/1/statement", new { documentNumber = number })).ShouldBeAsync(200);

        var pdf = (await Exports.StatementAsync(secretariat, 1)).Bytes;

        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        foreach (var page in document.GetPages())
        {
            var words = UglyToad.PdfPig.Util.DefaultWordExtractor.Instance.GetWords(page.Letters.Where(l => !IsCopyMark(l)).ToList())
                .Where(w => w.Letters[0].StartBaseLine.Y < BriefingRoom.Conclusions.Pdf.PageGeometry.A4.Bottom)
                .ToList();
            // The sequence line under them is not the number.
            var sequence = words.Single(w => w.Text == "Reflects").Letters[0].StartBaseLine.Y;
            words = [.. words.Where(w => Math.Abs(w.Letters[0].StartBaseLine.Y - sequence) > 1)];
            var pageWord = words.Single(w => w.Text == "page");
            var footer = words.Where(w => w.Letters[0].StartBaseLine.Y > pageWord.Letters[0].StartBaseLine.Y - 20).ToList();
            var numberWords = footer.Where(w => w.BoundingBox.Left < pageWord.BoundingBox.Left - 1).ToList();
            Assert.Equal(Squeeze(number), Squeeze(string.Concat(numberWords.OrderByDescending(w => Math.Round(w.Letters[0].StartBaseLine.Y, 1)).ThenBy(w => w.BoundingBox.Left).Select(w => w.Text))));
            Assert.All(numberWords, w => Assert.True(w.BoundingBox.Right < pageWord.BoundingBox.Left || Math.Abs(w.Letters[0].StartBaseLine.Y - pageWord.Letters[0].StartBaseLine.Y) > 1,
                $"On page {page.Number} \"{w.Text}\" runs into the page number."));
        }
    }
}
