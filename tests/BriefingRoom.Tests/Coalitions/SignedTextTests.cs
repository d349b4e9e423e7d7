using BriefingRoom.Agenda;
using BriefingRoom.Coalitions;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Conclusions;
using BriefingRoom.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Coalitions;

/// <summary>
/// Signatures bind a text (issue 14): a statement open for signature is frozen; only the chair changes it, with a
/// reason, which withdraws every signature and tells each signatory; a document prints only the signatures given to
/// its exact text; and ending a coalition is confirmed, archived and restorable.
/// </summary>
public class SignedTextTests
{
    private const string M = "/api/meetings/1";
    private const string Draft = "draft:1";

    private static Task<HttpResponseMessage> ReviseAsync(HttpClient chair, int itemId, string reason) =>
        chair.PostJsonAsync($"{M}/items/{itemId}/coalition/revision", new { reason });

    [Fact]
    public async Task HungarysTypingIntoASignedStatementIsRefusedAndFrancesTextIsUnchanged()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var hungaryHttp = await app.SignInAsync("hu");
        var formed = await CoalitionApiTests.FormAsync(chair, 1);
        Assert.Equal(26, formed.MemberStates);
        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var signed = app.ServerText(Draft);

        hungary.Insert(Draft, 0, "NOT ");
        await hungary.WaitUntilAsync(c => c.Errors.Count > 0, "Hungary's edit is refused");

        Assert.Contains("frozen", hungary.Errors[0], StringComparison.Ordinal);
        var rest = await Fingerprint.AssertUnchangedAsync(app, () => hungaryHttp.PostJsonAsync($"{M}/texts/{Draft}/operations",
            new { documentId = Draft, baseRevision = app.ServerRevision(Draft), clientOpId = "hu-not", operation = new object[] { "NOT ", signed.Length } }));
        await rest.ShouldBeAsync(409);
        Assert.Contains("text is frozen", (await rest.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Not even the chair types into it without opening a revision.
        var byChair = await chair.PostJsonAsync($"{M}/texts/{Draft}/operations",
            new { documentId = Draft, baseRevision = app.ServerRevision(Draft), clientOpId = "chair-x", operation = new object[] { "X", signed.Length } });
        await byChair.ShouldBeAsync(409);
        Assert.Equal(signed, app.ServerText(Draft));
        Assert.Equal(signed, france.TextOf(Draft));
        Assert.DoesNotContain(france.Events, e => e.Type == "text.edited" && e.ItemId == 1);
        var snapshot = await chair.GetJsonAsync<MeetingSnapshot>(M);
        Assert.All(Assert.Single(snapshot.Coalitions).Signatories, s => Assert.Equal(TextHash.Of(signed), s.TextSha256));
    }

    [Fact]
    public async Task TheChairsChangeWithAReasonWithdrawsEverySignatureAndFranceIsToldWhy()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var franceHttp = await app.SignInAsync("fr");
        await CoalitionApiTests.FormAsync(chair, 1);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        await using var costa = await RoomClient.JoinAsync(app, "chair");

        var missingReason = await Fingerprint.AssertUnchangedAsync(app, () => ReviseAsync(chair, 1, "  "));
        await missingReason.ShouldBeAsync(400);
        var notChair = await Fingerprint.AssertUnchangedAsync(app, () => ReviseAsync(franceHttp, 1, "I prefer my words"));
        await notChair.ShouldBeAsync(403);

        var response = await ReviseAsync(chair, 1, "Paragraph 2 corrected after the legal service's review");
        await response.ShouldBeAsync(200);
        var withdrawn = await response.ReadAsync<SignaturesWithdrawnDto>();
        Assert.Equal(26, withdrawn.Withdrawn.Count);
        Assert.Empty(withdrawn.Coalition.Signatories);

        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "coalition.signaturesWithdrawn"), "France hears its signature was withdrawn");
        var told = france.Events.Single(e => e.Type == "coalition.signaturesWithdrawn").Payload;
        Assert.Equal("Paragraph 2 corrected after the legal service's review", told.GetProperty("reason").GetString());
        Assert.Contains(told.GetProperty("withdrawn").EnumerateArray(), s => s.GetProperty("code").GetString() == "FR");
        var history = app.WithDb(db => db.Events.Where(e => e.Type == "coalition.signaturesWithdrawn").Select(e => e.Payload).Single());
        Assert.Contains("legal service", history, StringComparison.Ordinal);

        // During the revision only the chair edits, and nobody signs.
        hungary.Insert(Draft, 0, "NOT ");
        await hungary.WaitUntilAsync(c => c.Errors.Count > 0, "Hungary's edit is refused");
        Assert.Contains("only the chair edits", hungary.Errors[0], StringComparison.Ordinal);
        costa.Append(Draft, "\n\nRevised by the chair.");
        await france.WaitUntilAsync(c => c.TextOf(Draft).EndsWith("Revised by the chair.", StringComparison.Ordinal), "France sees the chair's revision");
        var early = await Fingerprint.AssertUnchangedAsync(app, () => franceHttp.PostJsonAsync($"{M}/items/1/coalition/signatories/FR", null));
        await early.ShouldBeAsync(409);

        await (await chair.DeleteAsync($"{M}/items/1/coalition/revision", TestHttp.Ct)).ShouldBeAsync(200);
        var signed = await franceHttp.PostJsonAsync($"{M}/items/1/coalition/signatories/FR", null);
        await signed.ShouldBeAsync(200);
        var france1 = Assert.Single((await signed.ReadAsync<CoalitionDto>()).Signatories);
        Assert.Equal(TextHash.Of(app.ServerText(Draft)), france1.TextSha256);
        Assert.EndsWith("Revised by the chair.", app.ServerText(Draft), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDocumentsPrintOnlyTheSignaturesGivenToTheirExactText()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var franceHttp = await app.SignInAsync("fr");
        await Exports.UkraineBecomesTheStatementOf26Async(chair);
        await (await chair.PutJsonAsync($"{M}/items/1/statement", new { documentNumber = "EUCO 10/25", title = "Ukraine" })).ShouldBeAsync(200);
        var before = Squeeze(string.Join(" ", BodyLines((await Exports.StatementAsync(chair, 1)).Bytes).Select(l => l.Text)));
        Assert.Contains(Squeeze("Firmly supported by 26 heads of state or government"), before, StringComparison.Ordinal);

        await (await ReviseAsync(chair, 1, "A sentence added at the request of the Presidency")).ShouldBeAsync(200);
        await using (var costa = await RoomClient.JoinAsync(app, "chair"))
        {
            costa.Append(Draft, "\n\nA sentence the signatories have not seen.");
            await costa.WaitUntilAsync(c => c.IsSynchronized(Draft), "the chair's change is acknowledged");
        }

        await (await chair.DeleteAsync($"{M}/items/1/coalition/revision", TestHttp.Ct)).ShouldBeAsync(200);
        await (await franceHttp.PostJsonAsync($"{M}/items/1/coalition/signatories/FR", null)).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/1/coalition/signatories/DE", null)).ShouldBeAsync(200);
        // A signature given to another text (as one recorded before texts were hashed) is never printed above this one.
        app.WithDb(db =>
        {
            db.CoalitionSignatories.Single(s => s.ItemId == 1 && s.DelegationCode == "DE").TextSha256 = TextHash.Of("an earlier text");
            return db.SaveChanges();
        });

        var pdf = await Exports.StatementAsync(chair, 1);
        var text = Squeeze(string.Join(" ", BodyLines(pdf.Bytes).Select(l => l.Text)));
        Assert.Contains(Squeeze("A sentence the signatories have not seen."), text, StringComparison.Ordinal);
        Assert.EndsWith(Squeeze("Firmly supported by 1 head of state or government: France."), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Germany", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Belgium", text, StringComparison.Ordinal);

        var docx = await Exports.StatementAsync(chair, 1, "docx");
        using var word = WordprocessingDocument.Open(new MemoryStream(docx.Bytes), false);
        var body = word.MainDocumentPart!.Document!.Body!.InnerText;
        Assert.Contains("Firmly supported by 1 head of state or government", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Germany", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeavingTheCoalitionStateWithoutConfirmationIsRefusedSayingWhatWouldHappen()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        await CoalitionApiTests.FormAsync(chair, 1);

        var refused = await Fingerprint.AssertUnchangedAsync(app, () => chair.PutJsonAsync($"{M}/items/1/status", new { status = "underDiscussion" }));

        await refused.ShouldBeAsync(409);
        var detail = (await refused.ReadJsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("ends its coalition statement", detail, StringComparison.Ordinal);
        Assert.Contains("26 signatures", detail, StringComparison.Ordinal);
        Assert.Contains("\"confirm\": true", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfirmedStatusChangeArchivesTheCoalitionAndTheChairRestoresItWithItsSignatures()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var france = await app.SignInAsync("fr");
        await CoalitionApiTests.FormAsync(chair, 1);

        await (await chair.PutJsonAsync($"{M}/items/1/status", new { status = "underDiscussion", confirm = true })).ShouldBeAsync(200);

        var snapshot = await chair.GetJsonAsync<MeetingSnapshot>(M);
        Assert.Empty(snapshot.Coalitions);
        var archive = await france.GetJsonAsync<List<ArchivedCoalitionDto>>($"{M}/items/1/coalition/archive");
        var archived = Assert.Single(archive);
        Assert.Equal(26, archived.Signatories.Count);
        Assert.Equal("Status set to under discussion", archived.Reason);
        Assert.Single(app.WithDb(db => db.Events.Where(e => e.Type == "coalition.archived").ToList()));
        var notChair = await Fingerprint.AssertUnchangedAsync(app, () => france.PostJsonAsync($"{M}/items/1/coalition/restore", null));
        await notChair.ShouldBeAsync(403);

        var restore = await chair.PostJsonAsync($"{M}/items/1/coalition/restore", null);
        await restore.ShouldBeAsync(200);
        var restored = await restore.ReadAsync<CoalitionRestoredDto>();
        Assert.Equal(26, restored.Coalition.MemberStates);
        Assert.Empty(restored.NotRestored);
        var after = await chair.GetJsonAsync<MeetingSnapshot>(M);
        Assert.Equal(ItemStatus.Coalition, after.Items.Single(i => i.Id == 1).Status);
        Assert.Equal(26, Assert.Single(after.Coalitions).MemberStates);
    }

    [Fact]
    public async Task ARestoredCoalitionGetsNoSignatureBackOnceItsTextChanged()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        await CoalitionApiTests.FormAsync(chair, 1);
        await (await chair.PutJsonAsync($"{M}/items/1/status", new { status = "notAgreed", confirm = true })).ShouldBeAsync(200);
        await using (var hungary = await RoomClient.JoinAsync(app, "hu"))
        {
            hungary.Insert(Draft, 0, "NOT ");
            await hungary.WaitUntilAsync(c => c.IsSynchronized(Draft), "Hungary's edit of the draft under discussion is acknowledged");
        }

        var restore = await chair.PostJsonAsync($"{M}/items/1/coalition/restore", null);

        await restore.ShouldBeAsync(200);
        var restored = await restore.ReadAsync<CoalitionRestoredDto>();
        Assert.Empty(restored.Coalition.Signatories);
        Assert.Equal(26, restored.NotRestored.Count);
        Assert.Contains("no longer the one signed", restored.Message, StringComparison.Ordinal);
        var again = await Fingerprint.AssertUnchangedAsync(app, () => chair.PostJsonAsync($"{M}/items/1/coalition/restore", null));
        await again.ShouldBeAsync(409);
    }
}
