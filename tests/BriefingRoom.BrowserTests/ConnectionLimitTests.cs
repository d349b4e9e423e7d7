using System.Text.Json;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>
/// One person may hold <c>Briefing:MaxConnectionsPerUser</c> open connections, tabs and devices together (one here). The
/// tab over it was turned away at the negotiation and tried again and again under "Joining the meeting…", never saying why.
/// </summary>
public class ConnectionLimitTests : RoomTest
{
    protected override IReadOnlyDictionary<string, string>? ServerSettings => new Dictionary<string, string> { ["Briefing:MaxConnectionsPerUser"] = "1" };

    [Fact]
    public async Task ATabOverThePersonsLimitSaysWhyAndGetsInOnceAnotherCloses()
    {
        var france = await OpenAsync("fr", 3);
        var second = await france.Page.Context.NewPageAsync();
        var again = new RoomPage(second, Server);

        await second.GotoAsync(new Uri(Server.BaseAddress, $"/#/meetings/{RoomServer.DemoMeetingId}/items/3").ToString());
        await Expect(again.Banner).ToContainTextAsync("Too many connections: you have 1 open to BriefingRoom already");
        await Expect(again.Banner).ToContainTextAsync("This page connects by itself once one is closed.");

        await france.Page.CloseAsync();
        await Expect(again.Draft(3)).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(again.Connection).ToContainTextAsync("Live");
        await Expect(again.Banner).ToBeHiddenAsync();
    }

    /// <summary>
    /// The meetings list's own connection was closed without waiting as a room opened from it: at a limit of one, the room
    /// was turned away by it ("Too many connections: you have 1 open") and got in only at its retry, a second or more
    /// later, and on a busy machine not within five.
    /// </summary>
    [Fact]
    public async Task ARoomOpenedFromTheMeetingsListIsNotTurnedAwayByTheListsOwnConnection()
    {
        var france = new RoomPage(await NewPageAsync(), Server);
        await france.SignInAsync("fr");
        await france.Page.EvaluateAsync("""
            () => {
              window.bannersSeen = [];
              new MutationObserver(() => {
                const text = document.querySelector('#banner')?.textContent ?? '';
                if (text) window.bannersSeen.push(text);
              }).observe(document.body, { subtree: true, childList: true, characterData: true });
            }
            """);

        await france.OpenItemAsync(3);

        var seen = await france.Page.EvaluateAsync<string[]>("() => window.bannersSeen");
        Assert.DoesNotContain(seen, text => text.Contains("Too many connections", StringComparison.Ordinal));
    }

    /// <summary>
    /// The server went away and came back; meanwhile the same person opened the room on another device, which took the one
    /// connection allowed. The first page's automatic reconnect was turned away with the reason, and said only
    /// "Reconnecting…" for ever: SignalR's retries keep their errors to themselves.
    /// </summary>
    [Fact]
    public async Task APageTurnedAwayByTheLimitWhileReconnectingSaysWhy()
    {
        var france = await OpenAsync("fr", 3);
        var held = true;
        await france.Page.RouteAsync("**/hubs/briefing/negotiate**", route => held ? route.AbortAsync() : route.ContinueAsync());
        await Server.StopAsync();
        await Expect(france.Connection).Not.ToContainTextAsync("Live", new() { Timeout = 15_000 });
        Server.Restart();

        var tablet = await OpenAsync("fr", 3);
        await Expect(tablet.Connection).ToContainTextAsync("Live");
        held = false;

        await Expect(france.Banner).ToContainTextAsync("Too many connections: you have 1 open to BriefingRoom already", new() { Timeout = 15_000 });
        await Expect(france.Banner).ToContainTextAsync("This page connects by itself once one is closed.");
    }

    /// <summary>
    /// The meetings page keeps its list live over a connection of its own, which counts toward the limit too. Turned away,
    /// it went on showing the list as loaded, said nothing, and never tried again: a delegate waiting there for the summit
    /// to start missed every change until they reloaded.
    /// </summary>
    [Fact]
    public async Task AMeetingsPageOverThePersonsLimitSaysItIsNotLiveAndBecomesLiveOnceAnotherCloses()
    {
        var france = await OpenAsync("fr", 3);
        var second = await france.Page.Context.NewPageAsync();
        var list = new RoomPage(second, Server);

        await second.GotoAsync(new Uri(Server.BaseAddress, "/#/meetings").ToString());
        var link = second.Locator(".meeting-link");
        await Expect(link).ToBeVisibleAsync();
        var note = second.Locator(".meetings .not-live");
        await Expect(note).ToContainTextAsync("This list is not updating by itself: Too many connections: you have 1 open to BriefingRoom already");
        await Expect(note).ToContainTextAsync("It updates by itself again once one is closed.");
        await list.ListenToAnnouncementsAsync();

        await france.Page.CloseAsync();
        await Expect(note).ToBeHiddenAsync(new() { Timeout = 20_000 });
        await list.AnnouncedAsync("This list is updating by itself again.");

        var chair = new RoomPage(await NewPageAsync(), Server);
        await chair.SignInAsync("chair");
        var (_, room) = await chair.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}", null);
        var meeting = JsonDocument.Parse(room).RootElement.GetProperty("meeting");
        var (renamed, why) = await chair.FetchAsync("PUT", $"/api/meetings/{RoomServer.DemoMeetingId}", new
        {
            title = "European Council (resumed)", date = meeting.GetProperty("date").GetString(), place = meeting.GetProperty("place").GetString(),
            documentNumber = meeting.GetProperty("documentNumber").GetString(), status = meeting.GetProperty("status").GetString(),
            expectedVersion = meeting.GetProperty("version").GetInt32(),
        });
        Assert.True(renamed == 200, why);
        await Expect(link).ToContainTextAsync("European Council (resumed)");
    }
}
