using System.Text.Json;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Tally;

/// <summary>POST /api/voting/evaluate: any rule, any stances, a year's table; answers like a tally, stores nothing.</summary>
public class CalculatorTests
{
    private const string Url = "/api/voting/evaluate";

    private static List<Dictionary<string, object?>> All27(string stance = "support") =>
        [.. MemberStates.All.Select(s => new Dictionary<string, object?> { ["code"] = s.Code, ["stance"] = stance })];

    private static async Task<JsonElement> ProblemAsync(BriefingApp app, HttpClient client, string json)
    {
        var response = await Fingerprint.AssertUnchangedAsync(app, () => client.SendRawAsync(HttpMethod.Post, Url, json));
        await response.ShouldBeAsync(400);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.ReadJsonAsync()).GetProperty("errors");
    }

    private static Task<JsonElement> ProblemAsync(BriefingApp app, HttpClient client, object body) =>
        ProblemAsync(app, client, JsonSerializer.Serialize(body, BriefingRoom.Api.BriefingJson.Options));

    [Fact]
    public async Task ItEvaluatesAQualifiedMajorityAndStoresNothing()
    {
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true");
        using var outsider = await app.RegisterOutsiderAsync();
        var members = All27();
        foreach (var code in new[] { "DE", "FR", "IT", "ES" })
        {
            members.Single(m => (string)m["code"]! == code)["stance"] = "oppose";
        }

        var response = await Fingerprint.AssertUnchangedAsync(app, () => outsider.PostJsonAsync(Url, new { rule = "qualifiedMajority", year = 2025, members }));

        await response.ShouldBeAsync(200);
        var result = await response.ReadAsync<DecisionResult>();
        // Four member states holding 57.67% of the population form a blocking minority.
        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal(["DE", "FR", "IT", "ES"], result.Blockers.Select(b => b.Code));
        Assert.Equal((2025, PopulationFigureOrigin.DerivedFromPublishedShares), (result.Population.Year, result.Population.Origin));
        Assert.Contains(result.Notes, n => n.StartsWith("Population figures for 2025 are derived from published shares", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ItAnswersWithTheTallysFieldsWithoutTheItemId()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var tally = await france.GetJsonAsync<JsonElement>("/api/meetings/1/items/1/tally");
        var members = All27();
        members.Single(m => (string)m["code"]! == "HU")["stance"] = "oppose";

        var answer = await (await france.PostJsonAsync(Url, new { rule = "unanimity", year = 2025, members })).ReadJsonAsync();

        Assert.Equal(tally.EnumerateObject().Select(p => p.Name).Where(n => n is not "itemId" and not "positionsWithheld"), answer.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Hungary opposes: unanimity requires no objection.", answer.GetProperty("reason").GetString());
        Assert.Equal("notAdopted", answer.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ASuspendedMemberIsNotCountedAndGuestsAreListed()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var members = All27();
        members.Single(m => (string)m["code"]! == "HU")["stance"] = "oppose";
        members.Single(m => (string)m["code"]! == "HU")["votingRightsSuspended"] = true;
        members.Single(m => (string)m["code"]! == "AT")["stance"] = "supportWithReservation";
        members.Single(m => (string)m["code"]! == "AT")["reservationKind"] = "parliamentary";
        members.Single(m => (string)m["code"]! == "AT")["reservationText"] = "Subject to the Nationalrat.";

        var result = await (await france.PostJsonAsync(Url, new { rule = "unanimity", year = 2025, members, guests = new[] { new { code = "NO", name = "Norway", stance = "support" } } })).ReadAsync<DecisionResult>();

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal(26, result.Thresholds.ParticipatingMembers);
        Assert.Equal(["HU", "NO"], result.NotCounted.Select(n => n.Code).Order(StringComparer.Ordinal));
        Assert.Equal(("AT", ReservationKind.Parliamentary, "Subject to the Nationalrat."), (result.Reservations.Single().Code, result.Reservations.Single().Kind, result.Reservations.Single().Text));
    }

    [Fact]
    public async Task AnUnknownMemberStateCodeIsNamedByItsPlaceInTheList()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var members = All27();
        members[3]["code"] = "GR";

        var errors = await ProblemAsync(app, france, new { rule = "unanimity", year = 2025, members });

        Assert.Equal("'GR' is not a member state code (Greece is EL).", errors.GetProperty("members[3].code")[0].GetString());
    }

    [Fact]
    public async Task AMemberStateListedTwiceIsRefused()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var members = All27();
        members[5]["code"] = "BG";

        var errors = await ProblemAsync(app, france, new { rule = "unanimity", year = 2025, members });

        Assert.Equal("BG is listed twice (first as members[1]).", errors.GetProperty("members[5].code")[0].GetString());
    }

    /// <summary>
    /// 40,000 entries of France were answered with an error for each but the first: 4.4 MB handed back for 1.5 MB sent.
    /// More members than there are member states is one mistake, said once.
    /// </summary>
    [Fact]
    public async Task MoreMembersThanTheMemberStatesAreRefusedInOneMessageNotOnePerEntry()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var members = Enumerable.Repeat(new { code = "FR", stance = "support" }, 40_000);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => france.PostJsonAsync(Url, new { rule = "unanimity", year = 2025, members }));

        await response.ShouldBeAsync(400);
        var answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(answer.Length < 2_000, $"The answer is {answer.Length:N0} characters long.");
        var errors = JsonDocument.Parse(answer).RootElement.GetProperty("errors");
        Assert.Equal("At most the 27 member states, each once: 40,000 were listed.", errors.GetProperty("members")[0].GetString());
    }

    [Fact]
    public async Task AnUnknownRuleIsRefusedNamingTheRuleField()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var errors = await ProblemAsync(app, france, """{"rule":"majorityOfTheLoudest","year":2025,"members":[{"code":"BE","stance":"support"}]}""");

        Assert.StartsWith("'majorityOfTheLoudest' is not one of: consensus, unanimity", errors.GetProperty("rule")[0].GetString());
    }

    [Fact]
    public async Task AnUnknownStanceIsRefusedNamingTheMembersStanceField()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var errors = await ProblemAsync(app, france, """{"rule":"unanimity","year":2025,"members":[{"code":"BE","stance":"support"},{"code":"BG","stance":"support"},{"code":"CZ","stance":"grumble"}]}""");

        Assert.StartsWith("'grumble' is not one of: noPosition, support", errors.GetProperty("members[2].stance")[0].GetString());
    }

    [Fact]
    public async Task AYearWithoutATableIsRefused()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var errors = await ProblemAsync(app, france, new { rule = "qualifiedMajority", year = 2019, members = All27() });

        Assert.Equal("There is no population table for 2019; there are tables for 2025.", errors.GetProperty("year")[0].GetString());
    }

    [Fact]
    public async Task AReservationOnAStanceThatIsNotSupportWithReservationIsRefused()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var members = All27();
        members[0]["stance"] = "abstain";
        members[0]["reservationKind"] = "scrutiny";
        members[1]["reservationText"] = "pending parliament";

        var errors = await ProblemAsync(app, france, new { rule = "unanimity", year = 2025, members });

        Assert.Equal("Only a support with a reservation carries a reservation; BE's stance is abstain.", errors.GetProperty("members[0].reservationKind")[0].GetString());
        Assert.Equal("Only a support with a reservation carries a reservation; BG's stance is support.", errors.GetProperty("members[1].reservationText")[0].GetString());
    }

    [Fact]
    public async Task ASupportWithReservationMustNameItsKind()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var members = All27();
        members[4]["stance"] = "supportWithReservation";

        var errors = await ProblemAsync(app, france, new { rule = "unanimity", year = 2025, members });

        Assert.True(errors.TryGetProperty("members[4].reservationKind", out _));
    }

    [Fact]
    public async Task MissingRuleYearAndMembersAreEachNamed()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var errors = await ProblemAsync(app, france, "{}");

        Assert.True(errors.TryGetProperty("rule", out _));
        Assert.True(errors.TryGetProperty("year", out _));
        Assert.True(errors.TryGetProperty("members", out _));
    }

    [Fact]
    public async Task AMemberWithoutAStanceIsNamed()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var errors = await ProblemAsync(app, france, """{"rule":"unanimity","year":2025,"members":[{"code":"BE","stance":"support"},{"code":"BG"}]}""");

        Assert.True(errors.TryGetProperty("members[1].stance", out _), errors.ToString());
    }

    [Fact]
    public async Task AnEmptyVotingBodyAndDuplicateGuestsAreRefused()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var errors = await ProblemAsync(app, france, new { rule = "unanimity", year = 2025, members = Array.Empty<object>(), guests = new[] { new { code = "NO", stance = "support" }, new { code = "no", stance = "oppose" } } });

        Assert.True(errors.TryGetProperty("members", out _));
        Assert.Equal("NO is listed twice (first as guests[0]).", errors.GetProperty("guests[1].code")[0].GetString());
    }

    /// <summary>A guest listed under a member state's code was counted beside that member state's own vote, under the same code.</summary>
    [Fact]
    public async Task AGuestUnderAMemberStatesCodeIsRefusedNamingTheGuest()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");

        var errors = await ProblemAsync(app, france, new
        {
            rule = "unanimity", year = 2025,
            members = new[] { new { code = "FR", stance = "support" } },
            guests = new[] { new { code = "UA", stance = "support" }, new { code = " fr", stance = "oppose" }, new { code = "GR", stance = "support" } },
        });

        Assert.Equal("FR is a member state: list it under members, not guests.", errors.GetProperty("guests[1].code")[0].GetString());
        Assert.Equal("GR is Greece (EL), a member state: list it under members, not guests.", errors.GetProperty("guests[2].code")[0].GetString());
        Assert.False(errors.TryGetProperty("guests[0].code", out _));
    }
}
