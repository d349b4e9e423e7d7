using BriefingRoom.Meetings;
using BriefingRoom.Tally;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Tally;

/// <summary>The tallies of the demo meeting (SCENARIO.md) through the API, as the room would show them.</summary>
public class DemoMeetingTallyTests
{
    private const string M = "/api/meetings/1";

    internal static Task<ItemTallyDto> TallyAsync(HttpClient client, int itemId) => client.GetJsonAsync<ItemTallyDto>($"{M}/items/{itemId}/tally");

    internal static async Task SetStanceAsync(BriefingApp app, HttpClient client, int itemId, string code, string stance)
    {
        var version = app.PositionVersion(itemId, code);
        await (await client.PutJsonAsync($"{M}/items/{itemId}/positions/{code}", new { stance, expectedVersion = version })).ShouldBeAsync(200);
    }

    [Fact]
    public async Task ItemOneIsBlockedByHungaryUnderUnanimityAndWouldBeAdoptedIfHungaryAbstained()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var tally = await TallyAsync(france, 1);

        Assert.Equal((1, DecisionRule.Unanimity, DecisionOutcome.NotAdopted), (tally.ItemId, tally.Rule, tally.Outcome));
        Assert.Equal("Hungary opposes: unanimity requires no objection.", tally.Reason);
        Assert.Equal(["HU"], tally.Blockers.Select(b => b.Code));
        var flip = Assert.Single(tally.Flips);
        Assert.Equal(("if Hungary abstains: adopted", DecisionOutcome.Adopted), (flip.Description, flip.Outcome));
        Assert.Equal(26, tally.Tallies.Single(t => t.Stance == Stance.Support).Members);
        // The institutions and the one guest invited to item 1 are listed, never counted; the other guests are not there.
        Assert.Equal(["COM", "HRVP", "UA"], tally.NotCounted.Select(n => n.Code).Order(StringComparer.Ordinal));
        Assert.Equal((2025, PopulationFigureOrigin.DerivedFromPublishedShares), (tally.Population.Year, tally.Population.Origin));
    }

    [Fact]
    public async Task ItemOneIsAdoptedOnceHungaryAbstains()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");

        await SetStanceAsync(app, chair, 1, "HU", "abstain");

        var tally = await TallyAsync(chair, 1);
        Assert.Equal(DecisionOutcome.Adopted, tally.Outcome);
        Assert.Empty(tally.Blockers);
    }

    [Fact]
    public async Task ItemFourIsDecidedByHungarysOppositionNotByIrelandsConstructiveAbstention()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");

        var blocked = await TallyAsync(chair, 4);
        Assert.Equal((DecisionRule.UnanimityWithConstructiveAbstention, DecisionOutcome.NotAdopted), (blocked.Rule, blocked.Outcome));
        Assert.Equal(["HU"], blocked.Blockers.Select(b => b.Code));
        Assert.DoesNotContain(blocked.Blockers, b => b.Code == "IE");
        Assert.Equal(["IE"], blocked.Tallies.Single(t => t.Stance == Stance.AbstainConstructively).Codes);

        await SetStanceAsync(app, chair, 4, "HU", "abstain");

        var adopted = await TallyAsync(chair, 4);
        Assert.Equal(DecisionOutcome.Adopted, adopted.Outcome);
        Assert.Contains("Ireland abstains constructively and is not bound", adopted.Reason);
        Assert.Contains(adopted.Notes, n => n.StartsWith("Ireland abstains with a formal declaration: not bound", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ItemFiveIsAdoptedByAll27()
    {
        await using var app = new BriefingApp();
        using var observer = await app.SignInAsync("observer");

        var tally = await TallyAsync(observer, 5);

        Assert.Equal(DecisionOutcome.Adopted, tally.Outcome);
        Assert.Equal("No member state opposes: 27 of 27 member states support.", tally.Reason);
    }

    [Fact]
    public async Task ItemTwoIsPendingWhileHungaryAndSlovakiaHaveNotSaid()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var uk = await app.SignInAsync("uk");

        var tally = await TallyAsync(france, 2);

        Assert.Equal(DecisionOutcome.Pending, tally.Outcome);
        // The guest sees where the item stands, in words, and not who has not said (issue 14).
        var guests = await TallyAsync(uk, 2);
        Assert.Equal((DecisionOutcome.Pending, "Not yet decided: the positions are still being given"), (guests.Outcome, guests.Reason));
        Assert.Empty(guests.Tallies);
        Assert.Equal(["HU", "SK"], tally.Tallies.Single(t => t.Stance == Stance.NoPosition).Codes);
        Assert.Equal(["IE", "MT", "AT"], tally.Reservations.Select(r => r.Code)); // protocol order
        Assert.Equal(["COM", "HRVP", "JP", "KR", "NO", "TR", "UA", "UK"], tally.NotCounted.Select(n => n.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SuspendingHungarysVotingRightsAdoptsItemOneByTheRemaining26()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");

        await (await chair.PutJsonAsync($"{M}/participants/HU", new { headOfDelegation = "Viktor Orbán", votingRightsSuspended = true, expectedVersion = 0 })).ShouldBeAsync(200);

        var tally = await TallyAsync(chair, 1);
        Assert.Equal(DecisionOutcome.Adopted, tally.Outcome);
        Assert.Equal(26, tally.Thresholds.ParticipatingMembers);
        Assert.Contains("Art. 7(3) TEU", tally.Basis);
        Assert.Contains(tally.NotCounted, n => n.Code == "HU" && n.Kind == DelegationKind.MemberState);
    }

    [Fact]
    public async Task TheTallySpeaksTheApisJsonWithCamelCaseEnums()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var response = await france.GetAsync($"{M}/items/1/tally", TestHttp.Ct);
        await response.ShouldBeAsync(200);
        var json = await response.ReadJsonAsync();

        Assert.Equal(1, json.GetProperty("itemId").GetInt32());
        Assert.Equal("unanimity", json.GetProperty("rule").GetString());
        Assert.Equal("notAdopted", json.GetProperty("outcome").GetString());
        Assert.Equal("oppose", json.GetProperty("blockers")[0].GetProperty("stance").GetString());
        Assert.Equal("abstain", json.GetProperty("flips")[0].GetProperty("changes")[0].GetProperty("to").GetString());
        Assert.Equal("noPosition", json.GetProperty("tallies")[0].GetProperty("stance").GetString());
        Assert.Equal("derivedFromPublishedShares", json.GetProperty("population").GetProperty("origin").GetString());
        Assert.Equal("institution", json.GetProperty("notCounted")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task TheSnapshotCarriesTheTallyOfEveryItemTheCallerSees()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var uk = await app.SignInAsync("uk");

        var all = await chair.GetJsonAsync<MeetingSnapshot>(M);
        var guests = await uk.GetJsonAsync<MeetingSnapshot>(M);

        Assert.Equal(all.Items.Select(i => i.Id), all.Tallies.Select(t => t.ItemId));
        Assert.Equal(
            [DecisionOutcome.NotAdopted, DecisionOutcome.Pending, DecisionOutcome.NotAdopted, DecisionOutcome.NotAdopted, DecisionOutcome.Adopted],
            all.Tallies.Select(t => t.Outcome));
        Assert.Equal([2], guests.Tallies.Select(t => t.ItemId));
    }

    [Fact]
    public async Task AGuestGetsNotFoundForTheTallyOfAnItemItIsNotInvitedTo()
    {
        await using var app = new BriefingApp();
        using var uk = await app.SignInAsync("uk");

        await (await uk.GetAsync($"{M}/items/1/tally", TestHttp.Ct)).ShouldBeAsync(404);
        await (await uk.GetAsync($"{M}/items/99/tally", TestHttp.Ct)).ShouldBeAsync(404);
    }

    [Fact]
    public async Task AMeetingInAYearWithoutATableUsesTheLatestEarlierOneAndSaysSo()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        await MoveMeetingAsync(app, admin, "2026-03-06");

        var fallback = await TallyAsync(admin, 4);
        Assert.Equal(2025, fallback.Population.Year);
        Assert.Equal("There is no population table for 2026: the 2025 table, the latest before it, is used.", fallback.Notes[0]);

        await (await admin.PutJsonAsync("/api/population-tables/2026", new { source = "Council Decision (test)", origin = "official", csv = Population.PopulationTablesApiTests.SyntheticCsv() })).ShouldBeAsync(200);

        var own = await TallyAsync(admin, 4);
        Assert.Equal((2026, PopulationFigureOrigin.Official), (own.Population.Year, own.Population.Origin));
        Assert.DoesNotContain(own.Notes, n => n.StartsWith("There is no population table", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMeetingBeforeEveryTableUsesTheEarliestAndSaysSo()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        await MoveMeetingAsync(app, admin, "2015-06-25");

        var tally = await TallyAsync(admin, 1);

        Assert.Equal(2025, tally.Population.Year);
        Assert.Equal("There is no population table for 2015 or any earlier year: the 2025 table, the earliest held, is used.", tally.Notes[0]);
    }

    internal static async Task MoveMeetingAsync(BriefingApp app, HttpClient admin, string date)
    {
        var version = app.WithDb(db => db.Meetings.Single(m => m.Id == 1).Version);
        await (await admin.PutJsonAsync(M, new { title = "Special meeting of the European Council", date, place = "Brussels", documentNumber = "EUCO 1/25", status = "inSession", expectedVersion = version })).ShouldBeAsync(200);
    }
}
