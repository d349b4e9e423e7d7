using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class TallyTests : RoomTest
{
    /// <summary>Item I of the demo is decided by unanimity and Hungary opposes it: the tally says so, and what would change it.</summary>
    [Fact]
    public async Task TheTallySaysFromTheSnapshotWhetherItPassesWhoBlocksAndWhatWouldChangeIt()
    {
        var france = await OpenAsync("fr", 1);
        var tallyRequests = 0;
        france.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/", StringComparison.Ordinal) && request.Url.EndsWith("/tally", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref tallyRequests);
            }
        };
        await france.Page.ReloadAsync();

        var tally = france.Page.Locator(".tally");
        await Expect(tally.Locator(".tally-verdict")).ToHaveAttributeAsync("data-outcome", "notAdopted");
        await Expect(tally.Locator(".tally-verdict")).ToContainTextAsync("Not adopted");
        await Expect(tally.Locator(".tally-verdict")).ToContainTextAsync("Hungary opposes: unanimity requires no objection.");
        await Expect(tally.Locator(".tally-blockers")).ToContainTextAsync("Hungary opposes");
        await Expect(tally.Locator(".tally-flips")).ToContainTextAsync("If Hungary abstains: adopted");
        await Expect(tally.Locator("[data-bar='members']")).ToHaveAttributeAsync("aria-valuetext", new Regex("^26 in favour, 1 against"));

        var agenda = france.Page.Locator(".agenda-list > li");
        await Expect(agenda.Nth(0).Locator(".tally-badge")).ToHaveTextAsync("Tally: not adopted");
        await Expect(agenda.Nth(1).Locator(".tally-badge")).ToHaveTextAsync("Tally: pending");
        await Expect(agenda.Nth(4).Locator(".tally-badge")).ToHaveTextAsync("Tally: adopted");
        Assert.Equal(0, tallyRequests);
    }

    [Fact]
    public async Task AStanceChangeMovesTheTallyBarInAnotherBrowser()
    {
        var observer = await OpenAsync("observer", 1);
        var chair = await OpenAsync("chair", 1);
        var verdict = observer.Page.Locator(".tally .tally-verdict");
        var bar = observer.Page.Locator(".tally [data-bar='members']");
        await Expect(verdict).ToHaveAttributeAsync("data-outcome", "notAdopted");
        await Expect(bar.Locator("[data-segment='against']")).ToHaveAttributeAsync("data-value", "1");

        // The chair's tour de table: Hungary abstains.
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Record stance of Hungary" }).ClickAsync();
        var form = chair.Page.GetByRole(AriaRole.Form, new() { Name = "Record the stance of Hungary" });
        await form.GetByLabel("Stance of Hungary").SelectOptionAsync("abstain");
        await form.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true }).ClickAsync();

        await Expect(verdict).ToHaveAttributeAsync("data-outcome", "adopted");
        await Expect(verdict).ToContainTextAsync("Adopted");
        await Expect(bar).ToHaveAttributeAsync("aria-valuetext", new Regex("^26 in favour, 1 abstaining"));
        await Expect(bar.Locator("[data-segment='against']")).ToHaveCountAsync(0);
        await Expect(bar.Locator("[data-segment='abstaining']")).ToHaveAttributeAsync("data-value", "1");
        await Expect(observer.Page.Locator(".tally .tally-blockers")).ToHaveCountAsync(0);
        await Expect(observer.Page.Locator(".agenda-list > li").Nth(0).Locator(".tally-badge")).ToHaveTextAsync("Tally: adopted");
        await Expect(observer.Page.Locator(".positions tr[data-key='HU']")).ToHaveAttributeAsync("data-stance", "abstain");
        await Expect(chair.Page.Locator(".tally .tally-verdict")).ToHaveAttributeAsync("data-outcome", "adopted");
    }

    /// <summary>
    /// Under unanimity the one member state that abstains or has not spoken matters as much as the count, and which it was
    /// lived only in a tooltip: out of reach of the keyboard, a screen reader and a finger. Each stance's count now opens
    /// to name its member states, and stays open while the tally moves.
    /// </summary>
    [Fact]
    public async Task EachStancesCountNamesItsMemberStatesForTheKeyboardAndStaysOpenAsTheTallyMoves()
    {
        var france = await OpenAsync("fr", 1);
        var chair = await OpenAsync("chair", 1);
        var counts = france.Page.GetByRole(AriaRole.List, new() { Name = "Member states by stance" });
        var against = counts.Locator("summary").Filter(new() { HasText = "Oppose" });
        await against.FocusAsync();
        await france.Page.Keyboard.PressAsync("Enter");
        await Expect(counts.Locator(".tally-who[open] .tally-who-names")).ToHaveTextAsync("Hungary");

        // Slovakia's stance moves the tally (a redraw): what France opened, and the focus on it, stay.
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Record stance of Slovakia" }).ClickAsync();
        var form = chair.Page.GetByRole(AriaRole.Form, new() { Name = "Record the stance of Slovakia" });
        await form.GetByLabel("Stance of Slovakia").SelectOptionAsync("oppose");
        await form.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true }).ClickAsync();

        await Expect(counts.Locator(".tally-who[open] .tally-who-names")).ToHaveTextAsync("Hungary, Slovakia");
        await Expect(counts.Locator(".tally-who[open] summary")).ToBeFocusedAsync();
    }
}
