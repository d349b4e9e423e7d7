using System.Text.Json;
using BriefingRoom.BrowserTests.Infrastructure;
using BriefingRoom.Data;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.BrowserTests;

public class TallyTests : RoomTest
{
    [Fact]
    public async Task TheTallySaysUnavailableWhileTheServerHasNoTallyEndpoint()
    {
        var france = await OpenAsync("fr", 1);
        await Expect(france.Page.Locator(".tally .tally-unavailable")).ToContainTextAsync("Tally unavailable");
    }

    /// <summary>
    /// PENDING THE TALLY API (built in another branch). Until it lands, the observer's browser is answered by a stand-in
    /// for GET .../items/1/tally that counts the stored stances into the shape wwwroot/js/tally.js expects; the page,
    /// the hub event and the stance change are all real. When the API lands: delete <see cref="ServeStandInTallyAsync"/>
    /// and its call, and the assertions should hold against the real endpoint (item 1 is decided by unanimity).
    /// </summary>
    [Fact]
    public async Task AStanceChangeMovesTheTallyBarInAnotherBrowser()
    {
        var observer = await OpenAsync("observer", 1);
        await ServeStandInTallyAsync(observer.Page);
        await observer.Page.ReloadAsync();
        var bar = observer.Page.Locator(".tally [data-bar='members']");
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "26");
        await Expect(observer.Page.Locator(".tally-blockers")).ToContainTextAsync("Hungary");

        var hungary = await OpenAsync("hu", 1);
        var stance = hungary.Page.GetByLabel("Your stance");
        await stance.SelectOptionAsync("support");
        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Save stance" }).ClickAsync();

        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "27");
        await Expect(observer.Page.Locator(".tally-blockers")).ToHaveCountAsync(0);
        await Expect(observer.Page.Locator(".positions tr[data-key='HU']")).ToHaveAttributeAsync("data-stance", "support");
    }

    private async Task ServeStandInTallyAsync(IPage page)
    {
        await page.RouteAsync("**/api/meetings/1/items/1/tally", async route =>
        {
            using var scope = Server.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
            var members = db.Participants.Where(p => p.MeetingId == 1 && p.Delegation!.Kind == Meetings.DelegationKind.MemberState).Select(p => p.DelegationCode).ToList();
            var stances = db.Positions.Where(p => p.ItemId == 1).ToDictionary(p => p.DelegationCode, p => p.Stance.ToString());
            var inFavour = members.Count(m => stances.GetValueOrDefault(m) is "Support" or "SupportWithReservation");
            var opposing = members.Where(m => stances.GetValueOrDefault(m) == "Oppose").ToList();
            var body = new
            {
                rule = "unanimity",
                basis = "Art. 238(4) TFEU",
                outcome = opposing.Count == 0 ? "adopted" : "notAdopted",
                reason = opposing.Count == 0 ? "Adopted: no member state opposes." : $"Not adopted: {string.Join(", ", opposing)} opposes.",
                thresholds = new { participatingMembers = members.Count, participatingPopulation = 449_000_000L, allMemberStatesTakePart = true, description = "no member state opposes" },
                tallies = new object[]
                {
                    new { stance = "support", members = inFavour, codes = Array.Empty<string>(), population = 0L },
                    new { stance = "oppose", members = opposing.Count, codes = opposing, population = 0L },
                },
                blockers = opposing.Select(code => new { code, name = code == "HU" ? "Hungary" : code, stance = "oppose", population = 0L }),
                notes = Array.Empty<string>(),
            };
            await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = JsonSerializer.Serialize(body) });
        });
    }
}
