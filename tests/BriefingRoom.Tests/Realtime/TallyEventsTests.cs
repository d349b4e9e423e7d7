using BriefingRoom.Positions;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Tests.Population;
using BriefingRoom.Tests.Tally;
using BriefingRoom.Voting;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Realtime;

/// <summary>"tally.changed" follows every change that moves a tally, in the same transaction, to those who may see the item.</summary>
public class TallyEventsTests
{
    private const string M = "/api/meetings/1";
    private const string TallyChanged = "tally.changed";

    private static bool HasTally(RoomClient client, int itemId, string outcome) =>
        client.Events.Any(e => e.Type == TallyChanged && e.ItemId == itemId && e.Payload.GetProperty("tally").GetProperty("outcome").GetString() == outcome);

    private static string[] StoredTypesAfter(BriefingApp app, long seq) =>
        app.WithDb(db => db.Events.Where(e => e.MeetingId == 1 && e.Seq > seq).OrderBy(e => e.Seq).Select(e => e.Type + ":" + e.ItemId).ToArray());

    private static long LastSeq(BriefingApp app) => app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq);

    [Fact]
    public async Task AStanceChangeThroughTheHubDeliversTheNewTallyToAnotherClient()
    {
        await using var app = new BriefingApp();
        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        Assert.Equal(DecisionOutcome.NotAdopted, france.Snapshot!.Tallies.Single(t => t.ItemId == 1).Outcome);

        await hungary.Hub.InvokeAsync<PositionDto>("SetPosition", 1, 1, "HU", new PutPositionRequest(Stance.Abstain, null, null, 1), TestContext.Current.CancellationToken);

        await france.WaitUntilAsync(c => HasTally(c, 1, "adopted"), "France hears that item 1 is now adopted");
        var events = france.Events;
        var position = events.Single(e => e.Type == "position.changed");
        // Item I has a guest (Ukraine): the guests' outcome in words comes first, the members' whole tally after it.
        var tallies = events.Where(e => e.Type == TallyChanged).ToList();
        Assert.Equal(2, tallies.Count);
        Assert.True(tallies[0].Payload.GetProperty("tally").GetProperty("positionsWithheld").GetBoolean());
        var tally = tallies[1];
        Assert.False(tally.Payload.GetProperty("tally").GetProperty("positionsWithheld").GetBoolean());
        Assert.Equal(position.Seq + 2, tally.Seq);
        Assert.Equal(1, tally.Payload.GetProperty("itemId").GetInt32());
        Assert.Empty(tally.Payload.GetProperty("tally").GetProperty("blockers").EnumerateArray());
    }

    [Fact]
    public async Task AGuestHearsTallyChangesOnlyForTheItemsItIsInvitedTo()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        await using var france = await RoomClient.JoinAsync(app, "fr");

        await DemoMeetingTallyTests.SetStanceAsync(app, chair, 1, "HU", "abstain");
        await DemoMeetingTallyTests.SetStanceAsync(app, chair, 2, "HU", "support");
        await DemoMeetingTallyTests.SetStanceAsync(app, chair, 2, "SK", "support");

        await uk.WaitUntilAsync(c => HasTally(c, 2, "adopted"), "the United Kingdom hears that item 2 is adopted");
        await france.WaitUntilAsync(c => HasTally(c, 2, "adopted"), "France hears it too");
        Assert.DoesNotContain(uk.Events, e => e.ItemId == 1);
        Assert.True(HasTally(france, 1, "adopted"));
        Assert.Equal(2, uk.Events.Count(e => e.Type == TallyChanged));
    }

    [Fact]
    public async Task SuspendingHungarysVotingRightsPushesEveryItemsNewTally()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        var before = LastSeq(app);

        await (await chair.PutJsonAsync($"{M}/participants/HU", new { headOfDelegation = "Viktor Orbán", votingRightsSuspended = true, expectedVersion = 0 })).ShouldBeAsync(200);

        await france.WaitUntilAsync(c => HasTally(c, 1, "adopted"), "France hears that item 1 is adopted by the remaining 26");
        // And item II's three open proposals: whether their backers alone carry it counts without Hungary too.
        Assert.Equal(["participant.updated:", "tally.changed:1", "tally.changed:1", "tally.changed:2", "tally.changed:2", "tally.changed:3", "tally.changed:4", "tally.changed:5",
            "proposal.reassessed:2", "proposal.reassessed:2", "proposal.reassessed:2"], StoredTypesAfter(app, before));
        var tally = france.Events.Last(e => e.Type == TallyChanged && e.ItemId == 1).Payload.GetProperty("tally");
        Assert.Equal(26, tally.GetProperty("thresholds").GetProperty("participatingMembers").GetInt32());
        await uk.WaitUntilAsync(c => c.Events.Any(e => e.Type == TallyChanged && e.ItemId == 2), "the United Kingdom hears of item 2");
        Assert.Equal([2], uk.Events.Where(e => e.Type == TallyChanged).Select(e => e.ItemId));
    }

    [Fact]
    public async Task ChangingOnlyAHeadOfDelegationMovesNoTally()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        var before = LastSeq(app);

        await (await chair.PutJsonAsync($"{M}/participants/HU", new { headOfDelegation = "Someone else", votingRightsSuspended = false, expectedVersion = 0 })).ShouldBeAsync(200);

        Assert.Equal(["participant.updated:"], StoredTypesAfter(app, before));
    }

    [Fact]
    public async Task ChangingAnItemsRuleOrGuestsPushesItsTallyButRetitlingItDoesNot()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        int Version() => app.WithDb(db => db.Items.Single(i => i.Id == 3).Version);

        var before = LastSeq(app);
        await (await chair.PutJsonAsync($"{M}/items/3", new { title = "Frozen assets", rule = "unanimity", expectedVersion = Version() })).ShouldBeAsync(200);
        Assert.Equal(["item.updated:3"], StoredTypesAfter(app, before));

        before = LastSeq(app);
        await (await chair.PutJsonAsync($"{M}/items/3", new { title = "Frozen assets", rule = "qualifiedMajority", expectedVersion = Version() })).ShouldBeAsync(200);
        Assert.Equal(["item.updated:3", "tally.changed:3"], StoredTypesAfter(app, before));

        before = LastSeq(app);
        await (await chair.PutJsonAsync($"{M}/items/3", new { title = "Frozen assets", rule = "qualifiedMajority", guests = new[] { "UK" }, expectedVersion = Version() })).ShouldBeAsync(200);
        Assert.Equal(["item.updated:3", "tally.changed:3", "tally.changed:3"], StoredTypesAfter(app, before));
        await uk.WaitUntilAsync(c => c.Events.Any(e => e.Type == TallyChanged && e.ItemId == 3), "the newly invited United Kingdom receives item 3's tally");
        var tally = uk.Events.Single(e => e.Type == TallyChanged).Payload.GetProperty("tally");
        Assert.Equal("qualifiedMajority", tally.GetProperty("rule").GetString());
        // A guest hears the outcome in words, not who is counted how (issue 14).
        Assert.True(tally.GetProperty("positionsWithheld").GetBoolean());
    }

    [Fact]
    public async Task AddingAMemberStateOrAnInstitutionPushesTalliesAndAddingAGuestDoesNot()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        foreach (var (code, name, kind) in new[] { ("CH", "Switzerland", "guest"), ("EIB", "European Investment Bank", "institution") })
        {
            (await admin.PostJsonAsync("/api/delegations", new { code, name, kind })).EnsureSuccessStatusCode();
        }

        var before = LastSeq(app);
        await (await admin.PostJsonAsync($"{M}/participants", new { delegationCode = "CH" })).ShouldBeAsync(200);
        Assert.Equal(["participant.added:"], StoredTypesAfter(app, before));

        before = LastSeq(app);
        await (await admin.PostJsonAsync($"{M}/participants", new { delegationCode = "EIB" })).ShouldBeAsync(200);
        // Items I and II have guests: each gets the guests' outcome in words first, then the members' whole tally (issue 14).
        Assert.Equal(["participant.added:", "tally.changed:1", "tally.changed:1", "tally.changed:2", "tally.changed:2", "tally.changed:3", "tally.changed:4", "tally.changed:5"], StoredTypesAfter(app, before));

        before = LastSeq(app);
        await (await admin.DeleteAsync($"{M}/participants/EIB", TestHttp.Ct)).ShouldBeAsync(204);
        Assert.Equal(["participant.removed:", "tally.changed:1", "tally.changed:1", "tally.changed:2", "tally.changed:2", "tally.changed:3", "tally.changed:4", "tally.changed:5"], StoredTypesAfter(app, before));
    }

    [Fact]
    public async Task LoadingTheMeetingsPopulationTablePushesEveryItemsTally()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        await using var france = await RoomClient.JoinAsync(app, "fr");

        await (await admin.PutJsonAsync("/api/population-tables/2025", new { source = "official (test)", origin = "official", csv = PopulationTablesApiTests.SyntheticCsv() })).ShouldBeAsync(200);

        // Five items, two of them with guests: their guests' outcome in words, then the members' whole tally.
        await france.WaitUntilAsync(c => c.Events.Count(e => e.Type == TallyChanged) == 7, "France hears seven new tallies");
        Assert.All(france.Events, e => Assert.Contains(e.Type, new[] { TallyChanged, "proposal.reassessed" }));
        Assert.All(france.Events.Where(e => e.Type == TallyChanged), e => Assert.Equal("official", e.Payload.GetProperty("tally").GetProperty("population").GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task MovingTheMeetingToAnotherYearPushesEveryItemsTally()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        var before = LastSeq(app);

        await DemoMeetingTallyTests.MoveMeetingAsync(app, admin, "2026-03-06");

        Assert.Equal(["meeting.updated:", "tally.changed:1", "tally.changed:1", "tally.changed:2", "tally.changed:2", "tally.changed:3", "tally.changed:4", "tally.changed:5",
            "proposal.reassessed:2", "proposal.reassessed:2", "proposal.reassessed:2"], StoredTypesAfter(app, before));
    }
}
