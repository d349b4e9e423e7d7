using BriefingRoom.Conclusions;
using BriefingRoom.Meetings;
using BriefingRoom.Tally;
using BriefingRoom.Tests.Coalitions;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Tally;

/// <summary>The room's fidelity to the Treaties and to what a delegate needs to know (issue 14, point 9).</summary>
public class FidelityTests
{
    private const string M = "/api/meetings/1";

    private static async Task<int> VersionOfAsync(HttpClient client, int itemId, string code) =>
        (await client.GetJsonAsync<MeetingSnapshot>(M)).Positions.SingleOrDefault(p => p.ItemId == itemId && p.DelegationCode == code)?.Version ?? 0;

    [Fact]
    public async Task ConstructiveAbstentionIsRefusedOnAUnanimityItemOutsideArticle31AndAcceptedUnderIt()
    {
        await using var app = new BriefingApp();
        using var hungary = await app.SignInAsync("hu");

        var refused = await Fingerprint.AssertUnchangedAsync(app, async () =>
            await hungary.PutJsonAsync($"{M}/items/1/positions/HU", new { stance = "abstainConstructively", expectedVersion = await VersionOfAsync(hungary, 1, "HU") }));

        await refused.ShouldBeAsync(400);
        Assert.Contains("Article 31(1) TEU", (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("stance")[0].GetString(), StringComparison.Ordinal);
        // Item IV (military support) is decided under Art. 31(1) TEU.
        var accepted = await hungary.PutJsonAsync($"{M}/items/4/positions/HU", new { stance = "abstainConstructively", expectedVersion = await VersionOfAsync(hungary, 4, "HU") });
        await accepted.ShouldBeAsync(200);
    }

    [Fact]
    public async Task ACoalitionItemShowsNoWhatIfLines()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        Assert.NotEmpty((await chair.GetJsonAsync<ItemTallyDto>($"{M}/items/1/tally")).Flips);
        await using var france = await RoomClient.JoinAsync(app, "fr");

        await CoalitionApiTests.FormAsync(chair, 1);

        Assert.Empty((await chair.GetJsonAsync<ItemTallyDto>($"{M}/items/1/tally")).Flips);
        Assert.Empty((await chair.GetJsonAsync<MeetingSnapshot>(M)).Tallies.Single(t => t.ItemId == 1).Flips);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "coalition.created"), "France hears of the coalition");
        var live = france.Events.Last(e => e.Type == TallyService.ChangedEvent && e.ItemId == 1);
        Assert.Equal(0, live.Payload.GetProperty("tally").GetProperty("flips").GetArrayLength());
    }

    [Fact]
    public async Task TheConclusionsExportNamesTheItemsItLeftOut()
    {
        await using var app = new BriefingApp();
        using var secretariat = await app.SignInAsync("secretariat");

        var pdf = await BriefingRoom.Tests.Conclusions.Exports.ConclusionsAsync(secretariat);

        Assert.Equal("1:underDiscussion,2:underDiscussion,3:underDiscussion,4:underDiscussion", pdf.Response.Headers.GetValues(ConclusionsApi.LeftOutHeader).Single());
        var listed = await BriefingRoom.Tests.Conclusions.Exports.ConclusionsAsync(secretariat, query: "?noAgreement=list");
        Assert.False(listed.Response.Headers.Contains(ConclusionsApi.LeftOutHeader));
    }
}
