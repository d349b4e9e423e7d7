using BriefingRoom.Positions;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>A reservation names the paragraph it applies to; the conclusions print it there as a footnote, and the room shows the same words.</summary>
public class ReservationFootnoteTests
{
    private const string M = Exports.M;

    [Fact]
    public async Task AParagraphTheDraftDoesNotHaveIsRefusedOverRestAndTheHubInTheSameWords()
    {
        await using var app = new BriefingApp();
        var franceRest = await app.SignInAsync("fr");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var version = app.PositionVersion(2, "FR");

        // Item II's draft has three paragraphs.
        var response = await Fingerprint.AssertUnchangedAsync(app, () => franceRest.PutJsonAsync($"{M}/items/2/positions/FR",
            new { stance = "supportWithReservation", reservationKind = "general", reservationParagraph = 4, expectedVersion = version }));
        await response.ShouldBeAsync(400);
        var problem = await response.ReadJsonAsync();
        var detail = problem.GetProperty("errors").GetProperty("reservationParagraph")[0].GetString()!;
        Assert.Equal("Item II's draft has 3 paragraphs: name one from 1 to 3, or none to reserve on the whole text.", detail);

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeAsync<PositionDto>(
                "SetPosition", 1, 2, "FR", new PutPositionRequest(Stance.SupportWithReservation, ReservationKind.General, null, version, 4), TestHttp.Ct));
            Assert.Contains(detail, refused.Message, StringComparison.Ordinal);
            refused = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeAsync<PositionDto>(
                "SetPosition", 1, 2, "FR", new PutPositionRequest(Stance.SupportWithReservation, ReservationKind.General, null, version, 0), TestHttp.Ct));
            Assert.Contains("name one from 1 to 3", refused.Message, StringComparison.Ordinal);
            refused = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeAsync<PositionDto>(
                "SetPosition", 1, 2, "FR", new PutPositionRequest(Stance.Support, null, null, version, 2), TestHttp.Ct));
            Assert.Contains("Only a support with a reservation names a paragraph.", refused.Message, StringComparison.Ordinal);
        });

        var saved = await france.Hub.InvokeAsync<PositionDto>(
            "SetPosition", 1, 2, "FR", new PutPositionRequest(Stance.SupportWithReservation, ReservationKind.Parliamentary, null, version, 3), TestHttp.Ct);
        Assert.Equal(3, saved.ReservationParagraph);
        Assert.Equal(3, app.WithDb(db => db.Positions.Single(p => p.ItemId == 2 && p.DelegationCode == "FR").ReservationParagraph));
    }

    [Fact]
    public async Task TheConclusionsPrintEachReservationAsAFootnoteAtTheParagraphItNames()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        // Item I goes out as a statement and the conclusions refer to it in paragraph 1: item V's paragraph 3 is printed as 4.
        await Exports.UkraineBecomesTheStatementOf26Async(chair);
        await Exports.ReserveOnDefenceAsync(app, chair,
            ("HU", "parliamentary", null, 3),
            ("PL", "general", "Poland asks that the new instrument be open to all member states on equal terms", 3),
            ("CZ", "scrutiny", null, null));

        var pdf = (await Exports.ConclusionsAsync(secretariat)).Bytes;

        Assert.Equal((1, "HU: parliamentary scrutiny reservation."), NoteAtParagraph(pdf, 4, "2"));
        Assert.Equal((1, "PL: general reservation. Poland asks that the new instrument be open to all member states on equal terms."), NoteAtParagraph(pdf, 4, "3"));
        // A reservation on the whole text is marked at the item's heading.
        var lines = Lines(pdf);
        var heading = lines.Single(l => l.Text == "II. EUROPEAN DEFENCE");
        Assert.Contains(lines, l => l.Page == heading.Page && l.FontSize < 8 && l.Text == "1" && Math.Abs(l.Left - heading.Right) < 3);
        Assert.Contains(NoteLines(pdf), l => l.Text == "1 CZ: scrutiny reservation.");
        // No other paragraph carries a mark.
        Assert.Equal(2, Marks(pdf).Count);
        Assert.Null(NoteAtParagraph(pdf, 3, "2"));
    }

    [Fact]
    public async Task AMeetingThatKeepsReservationsAnonymousSaysOneMemberStateOrSomeMemberStates()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await Exports.SetMeetingAsync(app, chair, "LIMITE", "anonymous");
        await Exports.ReserveOnDefenceAsync(app, chair,
            ("HU", "parliamentary", "Hungary's parliament must approve joint borrowing", 2),
            ("PL", "general", "Poland's own words", 5),
            ("CZ", "general", "Czechia's own words", 5));

        var pdf = (await Exports.ConclusionsAsync(chair)).Bytes;

        Assert.Equal((1, "One member state has entered a parliamentary scrutiny reservation."), NoteAtParagraph(pdf, 2, "1"));
        Assert.Equal((1, "Some member states have entered a general reservation."), NoteAtParagraph(pdf, 5, "2"));
        var all = string.Join(" ", Lines(pdf).Select(l => l.Text));
        foreach (var giveaway in new[] { "HU:", "PL", "CZ", "Hungary's parliament", "own words" })
        {
            Assert.DoesNotContain(giveaway, all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheRoomShowsBesideTheDraftTheFootnotesTheConclusionsPrint()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");

        // The demo's neutral states reserve on paragraph 1 of item II, each in its own words.
        var item2 = Assert.Single(france.Snapshot!.Footnotes, f => f.ItemId == 2);
        Assert.Equal(
            [
                new FootnoteDto(1, "IE: general reservation. Subject to Ireland's policy of military neutrality."),
                new FootnoteDto(1, "MT: general reservation. Subject to Malta's constitutional neutrality."),
                new FootnoteDto(1, "AT: general reservation. Subject to Austria's constitutional neutrality."),
            ],
            item2.Footnotes);

        await Exports.ReserveOnDefenceAsync(app, chair, ("HU", "parliamentary", null, 3), ("CZ", "scrutiny", null, null));
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == ReservationFootnotes.ChangedEvent && e.ItemId == 5
            && e.Payload.GetProperty("footnotes").GetArrayLength() == 2), "item V's footnotes reach the room");
        var pushed = france.Events.Last(e => e.Type == ReservationFootnotes.ChangedEvent && e.ItemId == 5).Payload.GetProperty("footnotes")
            .EnumerateArray().Select(f => (Paragraph: f.GetProperty("paragraph").ValueKind == System.Text.Json.JsonValueKind.Null ? (int?)null : f.GetProperty("paragraph").GetInt32(), Text: f.GetProperty("text").GetString()!)).ToList();

        var pdf = (await Exports.ConclusionsAsync(chair)).Bytes;
        Assert.Equal([(null, "CZ: scrutiny reservation."), (3, "HU: parliamentary scrutiny reservation.")], pushed);
        Assert.Equal(pushed.Select((f, i) => $"{i + 1} {f.Text}"), NoteLines(pdf).Select(l => l.Text));

        // The chair keeps reservations anonymous: the room hears the new words at once.
        await Exports.SetMeetingAsync(app, chair, "LIMITE", "anonymous");
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == ReservationFootnotes.ChangedEvent && e.ItemId == 2
            && e.Payload.GetProperty("footnotes")[0].GetProperty("text").GetString() == "Some member states have entered a general reservation."),
            "item II's footnotes are worded anonymously");
    }

    [Fact]
    public async Task AReservationOnAParagraphTheAgreedTextNoLongerHasStopsTheExportWithWhatToDo()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await Exports.ReserveOnDefenceAsync(app, chair, ("HU", "parliamentary", null, 6));
        // The last paragraph is then taken out of the draft, and the item agreed again.
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        var draft = app.WithDb(db => db.Items.Single(i => i.Id == 5).DraftText);
        var cut = draft.LastIndexOf('\n');
        await (await chair.PostJsonAsync($"{M}/texts/draft:5/operations", new BriefingRoom.Drafting.SubmitOperationRequest("draft:5", 0, "cut",
            BriefingRoom.Drafting.Ot.TextOperation.Builder().Retain(cut).Delete(draft.Length - cut).Build()))).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.GetAsync($"{M}/conclusions.pdf", TestHttp.Ct));

        await response.ShouldBeAsync(409);
        // The reservation followed its words out of the draft (Positions/ReservationAnchorTests).
        Assert.Equal("On item V, Hungary reserved on a paragraph whose words have all been deleted since: the chair reopens the item so that the reservation is restated on the text as agreed.",
            (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }
}
