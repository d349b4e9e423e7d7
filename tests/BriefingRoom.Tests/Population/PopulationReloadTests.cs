using BriefingRoom.Population;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Population;

/// <summary>
/// A population table loaded anew is retallied in every meeting whose year uses it, one meeting at a time: one
/// meeting that cannot take the change must neither keep the others on the old table nor be passed over in silence.
/// </summary>
public class PopulationReloadTests
{
    private const string TallyChanged = "tally.changed";

    private static object OfficialTable() => new { source = "official (test)", origin = "official", csv = PopulationTablesApiTests.SyntheticCsv() };

    /// <summary>A second meeting of 2025 (after the demo, meeting 1) with one item, so that its retally writes an event.</summary>
    private static async Task<int> SecondMeetingAsync(HttpClient admin)
    {
        var id = (await (await admin.PostJsonAsync("/api/meetings", new { title = "European Council", kind = "europeanCouncil", date = "2025-03-20", place = "Brussels", documentNumber = "EUCO 1/25" }))
            .ReadJsonAsync()).GetProperty("id").GetInt32();
        (await admin.PostJsonAsync($"/api/meetings/{id}/items", new { title = "Middle East", rule = "qualifiedMajority" })).EnsureSuccessStatusCode();
        return id;
    }

    private static int TalliesStored(BriefingApp app, int meetingId) => app.WithDb(db => db.Events.Count(e => e.MeetingId == meetingId && e.Type == TallyChanged));

    [Fact]
    public async Task AMeetingWhoseRetallyFailsOnceIsRetalliedAndDoesNotStopTheNext()
    {
        var fault = new ChangeFailsIn<Retally>(meetingId: 1, times: 1);
        await using var app = new BriefingApp().WithServices(s => s.AddSingleton<IIncomingGrainCallFilter>(fault));
        using var admin = await app.SignInAsync("admin");
        var second = await SecondMeetingAsync(admin);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var secondBefore = TalliesStored(app, second);

        var loaded = await admin.PutJsonAsync("/api/population-tables/2025", OfficialTable());

        Assert.Equal(1, fault.Failed);
        await loaded.ShouldBeAsync(200);
        Assert.False(loaded.Headers.Contains(PopulationTablesApi.NotRetalliedHeader), "every meeting was retallied in the end");
        Assert.True(TalliesStored(app, second) > secondBefore, "the meeting after the one that failed was retallied");
        await france.WaitUntilAsync(c => c.Events.Count(e => e.Type == TallyChanged) == 7, "France's page hears its items' new tallies after all");
        // With them, the open proposals of item II, whose "would the backers alone carry it" counts with the table too.
        Assert.All(france.Events, e => Assert.Contains(e.Type, new[] { TallyChanged, "proposal.reassessed" }));
        Assert.All(france.Events.Where(e => e.Type == TallyChanged), e => Assert.Equal("official", e.Payload.GetProperty("tally").GetProperty("population").GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task TheAdminIsToldWhichMeetingsKeepTheirOldTallies()
    {
        var fault = new ChangeFailsIn<Retally>(meetingId: 1);
        await using var app = new BriefingApp().WithServices(s => s.AddSingleton<IIncomingGrainCallFilter>(fault));
        using var admin = await app.SignInAsync("admin");
        var second = await SecondMeetingAsync(admin);
        var secondBefore = TalliesStored(app, second);

        var loaded = await admin.PutJsonAsync("/api/population-tables/2025", OfficialTable());

        // The table is loaded (that is what the call did); the meeting whose tallies still count with the old one is named.
        await loaded.ShouldBeAsync(200);
        Assert.Equal(["1"], loaded.Headers.GetValues(PopulationTablesApi.NotRetalliedHeader));
        Assert.Equal(2, fault.Failed);
        Assert.True(TalliesStored(app, second) > secondBefore, "the other meeting was retallied");
        Assert.Equal(PopulationFigureOrigin.Official, (await admin.GetJsonAsync<PopulationTableDto>("/api/population-tables/2025")).Origin);
    }
}
