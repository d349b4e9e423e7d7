using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>Issue 14, point 4: the page says "offline" as soon as the browser knows, and never "Saving…" under "Live" over a dead link.</summary>
public class ConnectionTruthTests : RoomTest
{
    /// <summary>
    /// The page says "offline" from the browser's own event, at once: not from the server's silence (SILENCE_MS) nor from
    /// SignalR's timeout. The page's clock stands still while the browser goes offline, so no timer of the page (its
    /// watchdog, SignalR's) can be what says so; the test once timed it against two seconds instead.
    /// </summary>
    [Fact]
    public async Task ABrowserThatGoesOfflineSaysSoAtOnceKeepsWhatIsTypedAndSendsItWhenBack()
    {
        var france = await OpenAsync("fr", 3, ownClock: true);
        var ireland = await OpenAsync("ie", 3);
        var status = france.Page.Locator(".editor-draft .status-text");

        await france.Page.Clock.PauseAtAsync(DateTime.Now.AddSeconds(1));
        await france.Page.Context.SetOfflineAsync(true);
        await Expect(france.Banner).ToContainTextAsync("Connection lost", new() { Timeout = 10_000 });
        await Expect(france.Connection).ToContainTextAsync("Offline");
        await france.Page.Clock.ResumeAsync();

        await france.TypeAtEndAsync(3, " Typed during the drop.");
        await Expect(status).ToHaveTextAsync("Not saved yet — offline, will send when back.");
        await Expect(france.Connection).Not.ToContainTextAsync("Live");
        await Expect(france.Page.Locator(".editor-draft .status-text", new() { HasText = "Saving" })).ToHaveCountAsync(0);
        Assert.DoesNotContain("Typed during the drop.", Server.StoredDraft(3), StringComparison.Ordinal);

        await france.Page.Context.SetOfflineAsync(false);
        await Expect(france.Banner).ToContainTextAsync("Back online and up to date", new() { Timeout = 15_000 });
        await Expect(france.Connection).ToContainTextAsync("Live");
        await france.ExpectSavedAsync(3);
        Assert.EndsWith(" Typed during the drop.", Server.StoredDraft(3));
        await ireland.ExpectDraftAsync(3, new Regex("Typed during the drop\\.$"));
    }

    /// <summary>
    /// Offline, the "In the room" panel went on saying "2 online" and listing who was there as if it were current, so a
    /// delegate could not tell that the person they were about to call over had left meanwhile. It now says it is who was
    /// here when the connection went, and is current again once the page is back.
    /// </summary>
    [Fact]
    public async Task OfflineTheInTheRoomPanelSaysItIsWhoWasHereWhenTheConnectionWentAndIsCurrentOnceBack()
    {
        var france = await OpenFirstAsync("fr", 3);
        var ireland = await OpenAsync("ie", 3);
        var panel = france.Page.Locator(".presence");
        await Expect(panel.Locator(".presence-person")).ToHaveCountAsync(2);
        await Expect(panel.Locator(".count")).ToHaveTextAsync("2 online");

        await france.Page.Context.SetOfflineAsync(true);
        await Expect(france.Banner).ToContainTextAsync("Connection lost", new() { Timeout = 10_000 });
        await Expect(panel.Locator(".count")).ToHaveTextAsync("2 when last connected");
        await Expect(panel.Locator(".presence-list")).ToHaveAccessibleDescriptionAsync(new Regex("who was here when the connection was lost"));
        await ireland.Page.CloseAsync();

        await france.Page.Context.SetOfflineAsync(false);
        await Expect(france.Banner).ToContainTextAsync("Back online and up to date", new() { Timeout = 15_000 });
        await Expect(panel.Locator(".count")).ToHaveTextAsync("1 online");
        await Expect(panel.Locator(".presence-person")).ToHaveCountAsync(1);
        await Expect(panel.Locator(".presence-stale")).ToBeHiddenAsync();
        await Expect(panel.Locator(".presence-list")).Not.ToHaveAttributeAsync("aria-describedby", new Regex("."));
    }

    /// <summary>
    /// Back online over the same connection, the page catches up before it says so. When the catch-up could not be had
    /// just then (the server busy), it said "Back online and up to date" all the same, over a room missing what happened
    /// meanwhile, and sent the typing held while offline before catching up. It now says "Catching up" until a catch-up
    /// succeeds, and only then is back.
    /// </summary>
    [Fact]
    public async Task BackOnlineTheBannerSaysUpToDateOnlyOnceTheCatchUpHasSucceeded()
    {
        var tab = await NewPageAsync();
        var failing = 0;
        var refused = new SemaphoreSlim(0);
        await tab.RouteWebSocketAsync("**/hubs/**", socket =>
        {
            var server = socket.ConnectToServer();
            server.OnMessage(frame =>
            {
                if (frame.Text is { } text)
                {
                    socket.Send(text);
                }
                else
                {
                    socket.Send(frame.Binary!);
                }
            });
            socket.OnMessage(frame =>
            {
                if (frame.Text is not { } text)
                {
                    server.Send(frame.Binary!);
                }
                else if (Volatile.Read(ref failing) == 1 && text.Contains("\"target\":\"GetEventsSince\"", StringComparison.Ordinal))
                {
                    var id = Regex.Match(text, "\"invocationId\":\"([^\"]+)\"").Groups[1].Value;
                    socket.Send($"{{\"type\":3,\"invocationId\":\"{id}\",\"error\":\"An unexpected error occurred invoking 'GetEventsSince' on the server. HubException: Busy: the meeting is busy; try again in a moment.\"}}\u001e");
                    refused.Release();
                }
                else
                {
                    server.Send(text);
                }
            });
        });
        var france = new RoomPage(tab, Server);
        await france.SignInAsync("fr");
        await tab.GotoAsync(new Uri(Server.BaseAddress, $"/#/meetings/{RoomServer.DemoMeetingId}/items/3").ToString());
        await Expect(france.Draft(3)).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(france.Connection).ToContainTextAsync("Live", new() { Timeout = 60_000 });

        Volatile.Write(ref failing, 1);
        await tab.Context.SetOfflineAsync(true);
        await Expect(france.Banner).ToContainTextAsync("Connection lost");
        await tab.Context.SetOfflineAsync(false);
        // Refused twice: the page asked again after the first, and has had all the time it needs to draw what it thinks.
        Assert.True(await refused.WaitAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.True(await refused.WaitAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.Contains("Catching up", await france.Banner.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Catching up", await france.Connection.TextContentAsync(), StringComparison.Ordinal);

        Volatile.Write(ref failing, 0);
        await Expect(france.Banner).ToContainTextAsync("Back online and up to date", new() { Timeout = 15_000 });
        await Expect(france.Connection).ToContainTextAsync("Live");
    }
}
