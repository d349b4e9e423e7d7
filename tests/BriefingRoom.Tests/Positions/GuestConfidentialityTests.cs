using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using BriefingRoom.Tally;
using BriefingRoom.Tests.Infrastructure;

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
