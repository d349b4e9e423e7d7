using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using BriefingRoom.Tally;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Positions;

/// <summary>
/// Guests see what guests should (issue 14): on the items it is invited to, a third country sees the text, the status,
/// its own position and the outcome in words, never a member state's stance, reservation or name as a blocker, in the
/// snapshot, the events, the catch-up, the REST reads and the tally, until the chair opens the item's positions to it.
/// </summary>
public class GuestConfidentialityTests
{
    private const string M = "/api/meetings/1";

    private static string Json(object value) => JsonSerializer.Serialize(value, BriefingJson.Options);

    [Fact]
    public async Task AGuestsSnapshotAndRestReadsCarryNoMemberStanceReservationOrBlocker()
    {
        await using var app = new BriefingApp();
        using var ukraine = await app.SignInAsync("ua");
        using var uk = await app.SignInAsync("uk");
        using var france = await app.SignInAsync("fr");

        var theirs = await ukraine.GetJsonAsync<MeetingSnapshot>(M);
        var ukView = await uk.GetJsonAsync<MeetingSnapshot>(M);
        var members = await france.GetJsonAsync<MeetingSnapshot>(M);

        Assert.Contains(members.Tallies.Single(t => t.ItemId == 1).Blockers, b => b.Code == "HU");
        Assert.Contains(members.Positions, p => p.ItemId == 2 && p.DelegationCode == "AT");
        foreach (var guest in new[] { theirs, ukView })
        {
            var own = guest.You!.DelegationCode;
            Assert.All(guest.Positions, p => Assert.Equal(own, p.DelegationCode));
            Assert.All(guest.Texts.Where(t => t.Id.StartsWith("position:", StringComparison.Ordinal)), t => Assert.EndsWith($":{own}", t.Id, StringComparison.Ordinal));
            Assert.Empty(guest.Footnotes);
            foreach (var tally in guest.Tallies)
            {
                Assert.True(tally.PositionsWithheld);
                Assert.Empty(tally.Blockers);
                Assert.Empty(tally.Tallies);
                Assert.Empty(tally.Flips);
                Assert.Empty(tally.Reservations);
            }

            var everythingAboutPositions = Json(new { guest.Positions, guest.Tallies, guest.Footnotes, guest.Texts });
            foreach (var secret in new[] { "Hungary", "\"HU\"", "Austria", "neutrality", "Blocking" })
            {
                Assert.DoesNotContain(secret, everythingAboutPositions, StringComparison.Ordinal);
            }
        }

        Assert.Contains(ukView.Positions, p => p.ItemId == 2 && p.DelegationCode == "UK");
        var item1 = theirs.Tallies.Single(t => t.ItemId == 1);
        Assert.StartsWith(item1.Outcome == BriefingRoom.Voting.DecisionOutcome.Pending ? "Not yet decided" : "Not adopted: unanimity not reached", item1.Reason, StringComparison.Ordinal);

        var tallyRead = await ukraine.GetJsonAsync<ItemTallyDto>($"{M}/items/1/tally");
        Assert.True(tallyRead.PositionsWithheld);
        Assert.DoesNotContain("Hungary", Json(tallyRead), StringComparison.Ordinal);
        foreach (var read in new[] { $"{M}/texts/position:1:HU/history", $"{M}/texts/position:1:HU/revisions/0" })
        {
            var refused = await ukraine.GetAsync(read, TestHttp.Ct);
            await refused.ShouldBeAsync(403);
        }
    }

    [Fact]
    public async Task AGuestHearsNoMemberStanceLiveOrOnCatchUpWhileMembersHearTheWholeTally()
    {
        await using var app = new BriefingApp();
        using var hungaryHttp = await app.SignInAsync("hu");
        using var ukraineHttp = await app.SignInAsync("ua");
        await using var ukraine = await RoomClient.JoinAsync(app, "ua");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        var since = france.LastSeq;
        var version = (await hungaryHttp.GetJsonAsync<MeetingSnapshot>(M)).Positions.Single(p => p.ItemId == 1 && p.DelegationCode == "HU").Version;

        await (await hungaryHttp.PutJsonAsync($"{M}/items/1/positions/HU", new { stance = "abstain", expectedVersion = version })).ShouldBeAsync(200);
        hungary.Append("position:1:HU", " Hungary abstains after all.");
        await france.WaitUntilAsync(c => c.TextOf("position:1:HU").EndsWith("after all.", StringComparison.Ordinal), "France sees Hungary's text");
        await ukraine.WaitUntilAsync(c => c.LastSeq >= france.LastSeq, "Ukraine's batches reach France's number");

        var memberTally = france.Events.Last(e => e.Type == TallyService.ChangedEvent && e.ItemId == 1).Payload.GetProperty("tally");
        Assert.False(memberTally.GetProperty("positionsWithheld").GetBoolean());
        Assert.Contains("HU", memberTally.GetRawText(), StringComparison.Ordinal);
        var live = ukraine.Events.Where(e => e.Seq > since).ToList();
        var page = await ukraineHttp.GetJsonAsync<JsonElement>($"{M}/events?since={since}");
        foreach (var heard in new[] { Json(live.Select(e => new { e.Type, e.Payload })), page.GetRawText() })
        {
            Assert.Contains(TallyService.ChangedEvent, heard, StringComparison.Ordinal);
            Assert.DoesNotContain("position.changed", heard, StringComparison.Ordinal);
            Assert.DoesNotContain("position:1:HU", heard, StringComparison.Ordinal);
            Assert.DoesNotContain("Hungary", heard, StringComparison.Ordinal);
            Assert.DoesNotContain("\"HU\"", heard, StringComparison.Ordinal);
        }

        Assert.All(live.Where(e => e.Type == TallyService.ChangedEvent), e => Assert.True(e.Payload.GetProperty("tally").GetProperty("positionsWithheld").GetBoolean()));
    }

    /// <summary>
    /// Backing or objecting to a proposal is a member state's stance on the words, and "would the backers alone carry it" a
    /// tally: a guest sees the proposal (its words, its proposer, its fate), not who backs or objects, until the chair opens
    /// the item's positions to it.
    /// </summary>
    [Fact]
    public async Task AGuestSeesAProposalButNotWhoBacksOrObjectsToItUntilThePositionsAreOpened()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var germany = await app.SignInAsync("de");
        using var austria = await app.SignInAsync("at");
        using var chair = await app.SignInAsync("chair");
        using var ukraineHttp = await app.SignInAsync("ua");
        await using var ukraine = await RoomClient.JoinAsync(app, "ua");
        await using var belgium = await RoomClient.JoinAsync(app, "be");
        var since = belgium.LastSeq;

        // Item II, where Ukraine is a guest and the positions are closed to it.
        var words = app.ServerText("draft:2")[..12];
        var tabled = await france.PostJsonAsync($"{M}/items/2/proposals", new { from = 0, to = words.Length, revision = app.ServerRevision("draft:2"), replacement = "Stronger words" });
        await tabled.ShouldBeAsync(200);
        var id = (await tabled.ReadJsonAsync()).GetProperty("id").GetInt32();
        await (await germany.PutJsonAsync($"{M}/proposals/{id}/support", new { voice = "back" })).ShouldBeAsync(200);
        await (await austria.PutJsonAsync($"{M}/proposals/{id}/support", new { voice = "object" })).ShouldBeAsync(200);
        await belgium.WaitUntilAsync(c => c.Events.Count(e => e.Type == "proposal.supported") == 2, "Belgium hears both voices");
        await ukraine.WaitUntilAsync(c => c.LastSeq >= belgium.LastSeq, "Ukraine's batches reach Belgium's number");

        var member = await belgium.Hub.InvokeAsync<JsonElement>("GetEventsSince", 1, since, TestContext.Current.CancellationToken);
        Assert.Contains("\"DE\"", member.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("\"AT\"", member.GetRawText(), StringComparison.Ordinal);
        var live = Json(ukraine.Events.Where(e => e.Seq > since).Select(e => new { e.Type, e.Payload }));
        var page = (await ukraineHttp.GetJsonAsync<JsonElement>($"{M}/events?since={since}")).GetRawText();
        var list = (await ukraineHttp.GetJsonAsync<JsonElement>($"{M}/items/2/proposals")).GetRawText();
        var room = Json((await ukraineHttp.GetJsonAsync<MeetingSnapshot>(M)).Proposals!);
        foreach (var (where, seen) in new[] { ("live", live), ("catch-up", page), ("the item's proposals", list), ("the room", room) })
        {
            Assert.Contains("Stronger words", seen, StringComparison.Ordinal);
            Assert.False(seen.Contains("\"DE\"", StringComparison.Ordinal) || seen.Contains("\"AT\"", StringComparison.Ordinal) || seen.Contains("\"carry\":{", StringComparison.Ordinal),
                $"Ukraine, a guest on item II with its positions closed, is shown who backs or objects in {where}: {seen}");
        }

        await (await chair.PutJsonAsync($"{M}/items/2/guest-positions", new { share = true })).ShouldBeAsync(200);
        var opened = (await ukraineHttp.GetJsonAsync<JsonElement>($"{M}/items/2/proposals")).GetRawText();
        Assert.Contains("\"DE\"", opened, StringComparison.Ordinal);
        Assert.Contains("\"AT\"", opened, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheChairOpensAnItemsPositionsToItsGuestsAndTheHistorySaysSo()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var hungary = await app.SignInAsync("hu");
        using var ukraineHttp = await app.SignInAsync("ua");
        await using var ukraine = await RoomClient.JoinAsync(app, "ua");

        var notChair = await Fingerprint.AssertUnchangedAsync(app, () => hungary.PutJsonAsync($"{M}/items/1/guest-positions", new { share = true }));
        await notChair.ShouldBeAsync(403);

        var opened = await chair.PutJsonAsync($"{M}/items/1/guest-positions", new { share = true });
        await opened.ShouldBeAsync(200);
        Assert.True((await opened.ReadJsonAsync()).GetProperty("guestsSeePositions").GetBoolean());

        await ukraine.WaitUntilAsync(c => c.Events.Any(e => e.Type == "guests.positions"), "Ukraine hears the item's positions are open");
        var view = await ukraineHttp.GetJsonAsync<MeetingSnapshot>(M);
        Assert.Contains(view.Positions, p => p.ItemId == 1 && p.DelegationCode == "HU");
        Assert.Contains(view.Tallies.Single(t => t.ItemId == 1).Blockers, b => b.Code == "HU");
        Assert.Contains(view.Texts, t => t.Id == "position:1:HU");
        var history = app.WithDb(db => db.Events.Where(e => e.Type == "guests.positions").Select(e => new { e.Payload, e.ActorName }).Single());
        Assert.Contains("\"shared\":true", history.Payload, StringComparison.Ordinal);
        Assert.Equal("António Costa (chair)", history.ActorName);

        await (await chair.PutJsonAsync($"{M}/items/1/guest-positions", new { share = false })).ShouldBeAsync(200);
        var closed = await ukraineHttp.GetJsonAsync<MeetingSnapshot>(M);
        Assert.DoesNotContain(closed.Positions, p => p.DelegationCode == "HU");
    }
}
