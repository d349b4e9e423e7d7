using System.Text.Json;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class MeetingsPageTests : RoomTest
{
    /// <summary>
    /// The meetings page was read once: a delegate who kept it open (waiting for the summit to start, say) went on seeing a
    /// meeting renamed or moved since, and a seat taken away, until they reloaded it. It now hears of every change to their
    /// list, and the keyboard stays where it was.
    /// </summary>
    [Fact]
    public async Task TheMeetingsPageShowsAChangeOfTheMeetingAndASeatTakenAwayWithoutAReload()
    {
        var tab = await NewPageAsync();
        var france = new RoomPage(tab, Server);
        // The page's connection is up once the hub has answered its handshake: changes made before that are in the list it
        // loads; what this test changes after it must come live.
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tab.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            if (frame.Text?.StartsWith("{}", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        await france.SignInAsync("fr");
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        var link = tab.Locator(".meeting-link");
        await Expect(link).ToBeFocusedAsync();
        await france.ListenToAnnouncementsAsync();

        var chair = new RoomPage(await NewPageAsync(), Server);
        await chair.SignInAsync("chair");
        var (_, room) = await chair.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}", null);
        var meeting = JsonDocument.Parse(room).RootElement.GetProperty("meeting");
        var (renamed, why) = await chair.FetchAsync("PUT", $"/api/meetings/{RoomServer.DemoMeetingId}", new
        {
            title = "European Council (resumed)", date = meeting.GetProperty("date").GetString(), place = "Luxembourg",
            documentNumber = meeting.GetProperty("documentNumber").GetString(), status = meeting.GetProperty("status").GetString(),
            expectedVersion = meeting.GetProperty("version").GetInt32(),
        });
        Assert.True(renamed == 200, why);

        await Expect(link).ToContainTextAsync("European Council (resumed)");
        await Expect(link).ToContainTextAsync("Luxembourg");
        await Expect(link).ToBeFocusedAsync();
        // Drawn again in place, the list says nothing by itself to someone who cannot see it: the live region tells them.
        var said = await france.AnnouncedAsync("Luxembourg");
        Assert.Equal($"Your meetings changed. European Council (resumed): renamed from {meeting.GetProperty("title").GetString()}; now in Luxembourg.", said[^1]);

        var (_, seats) = await chair.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships", null);
        var seat = JsonDocument.Parse(seats).RootElement.EnumerateArray().First(m => m.GetProperty("delegationCode").GetString() == "FR").GetProperty("id").GetInt32();
        var (revoked, answer) = await chair.FetchAsync("DELETE", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships/{seat}", null);
        Assert.True(revoked == 204, answer);

        await Expect(tab.Locator(".meetings .empty")).ToContainTextAsync("You have no seat in any meeting yet");
        await Expect(link).ToHaveCountAsync(0);
        // The link the keyboard was on is gone: it is on the page's heading, not lost on the body.
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeFocusedAsync();
        said = await france.AnnouncedAsync("no longer in your meetings");
        Assert.Equal($"Your meetings changed. European Council (resumed) ({meeting.GetProperty("documentNumber").GetString()}) is no longer in your meetings.", said[^1]);
    }

    /// <summary>
    /// The page read its list and then opened its connection: two readings of the page crossing (the meetings, another
    /// screen and the meetings again, the first list slow to come) each opened one, and the first stayed open for as long as
    /// the page did, one more connection for the server to keep alive.
    /// </summary>
    [Fact]
    public async Task TwoReadingsOfTheMeetingsPageThatCrossLeaveOneConnectionOpen()
    {
        var tab = await NewPageAsync();
        var france = new RoomPage(tab, Server);
        // The meetings page shown at sign-in opens a connection of its own, and leaving it stops that connection once it has
        // started: on a slow machine it opens only after the page is left. It is not one of the two readings below.
        var signInSocketClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var opened = new List<IWebSocket>();
        var firstOpened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counting = false;
        tab.WebSocket += (_, socket) =>
        {
            lock (opened)
            {
                if (!counting)
                {
                    socket.Close += (_, _) => signInSocketClosed.TrySetResult();
                    return;
                }

                opened.Add(socket);
                firstOpened.TrySetResult();
            }
        };
        await france.SignInAsync("fr");
        await tab.GotoAsync(new Uri(Server.BaseAddress, "/#/account").ToString());
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
        await signInSocketClosed.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        lock (opened)
        {
            counting = true;
        }

        // Set once the page is done with the reading held below.
        await tab.EvaluateAsync("""
            () => {
              window.heldReadDone = false;
              const json = Response.prototype.json;
              Response.prototype.json = async function () {
                const body = await json.call(this);
                if (this.headers.get('x-held') === '1') setTimeout(() => { window.heldReadDone = true; }, 0);
                return body;
              };
            }
            """);

        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await tab.RouteAsync("**/api/meetings", route => held.TrySetResult(route) ? Task.CompletedTask : route.ContinueAsync());

        await tab.EvaluateAsync("() => { location.hash = '#/meetings'; }");
        var first = await held.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await tab.EvaluateAsync("() => { location.hash = '#/account'; }");
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
        await tab.EvaluateAsync("() => { location.hash = '#/meetings'; }");
        await Expect(tab.Locator(".meeting-link")).ToBeVisibleAsync();
        await firstOpened.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        await tab.EvaluateAsync("() => { document.querySelector('section.meetings').dataset.drawn = 'second'; }");

        // The first reading's list arrives last: the page drawn since stays, with its one connection, and that reading opens none.
        var response = await first.FetchAsync();
        await first.FulfillAsync(new() { Response = response, Headers = new Dictionary<string, string>(response.Headers) { ["x-held"] = "1" } });
        await tab.WaitForFunctionAsync("() => window.heldReadDone");
        await Expect(tab.Locator("section.meetings[data-drawn='second'] .meeting-link")).ToBeVisibleAsync();
        lock (opened)
        {
            Assert.Single(opened);
            Assert.False(opened[0].IsClosed);
        }
    }

    /// <summary>
    /// The meetings, then a meeting chosen before the list came: the list, come last, was drawn over the room, and the
    /// meetings page's connection opened beside the room's, for as long as the room stayed open.
    /// </summary>
    [Fact]
    public async Task AMeetingOpenedBeforeTheListCameStaysOpenWhenTheListArrives()
    {
        var tab = await NewPageAsync();
        var france = new RoomPage(tab, Server);
        await france.SignInAsync("fr");
        await Expect(tab.Locator(".meeting-link")).ToBeVisibleAsync();
        // How many meetings each reading of the list held, once the page was done with it.
        await france.CountListReadsAsync("/api/meetings");
        await tab.EvaluateAsync("() => { location.hash = '#/account'; }");
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await tab.RouteAsync("**/api/meetings", route => held.TrySetResult(route) ? Task.CompletedTask : route.ContinueAsync());

        await tab.EvaluateAsync("() => { location.hash = '#/meetings'; }");
        var list = await held.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await tab.EvaluateAsync($"() => {{ location.hash = '#/meetings/{RoomServer.DemoMeetingId}'; }}");
        await Expect(france.Connection).ToContainTextAsync("Live", new() { Timeout = 30_000 });

        await list.ContinueAsync();
        await tab.WaitForFunctionAsync("() => window.reads.length > 0");
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToHaveCountAsync(0);
        await Expect(france.Connection).ToContainTextAsync("Live");
    }

    /// <summary>
    /// The meetings page's connection reconnects as a room's does: when what comes back is a server that no longer knows
    /// the session (it expired while the link was down), the page must say so and offer to sign in again, not sit on a list
    /// it can no longer read again.
    /// </summary>
    [Fact]
    public Task WhenTheSessionEndsWhileTheMeetingsPageIsOpenItSaysSoAndSigningInReturnsToIt() =>
        SessionEndsAndSigningInReturnsAsync(whileItsConnectionStarts: false);

    /// <summary>
    /// The same, with the server gone while the page's connection was still starting: the start failed, and the page, which
    /// tried no more, sat on its list signed in for ever (CI caught it on a loaded machine, the handshake slow to come).
    /// </summary>
    [Fact]
    public Task WhenTheSessionEndsWhileTheMeetingsPagesConnectionStartsItSaysSoAndSigningInReturnsToIt() =>
        SessionEndsAndSigningInReturnsAsync(whileItsConnectionStarts: true);

    private async Task SessionEndsAndSigningInReturnsAsync(bool whileItsConnectionStarts)
    {
        var tab = await NewPageAsync();
        var france = new RoomPage(tab, Server);
        // Live once the hub has answered the connection's handshake.
        var live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tab.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            if (frame.Text?.StartsWith("{}", StringComparison.Ordinal) == true)
            {
                live.TrySetResult();
            }
        };
        var negotiating = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (whileItsConnectionStarts)
        {
            await tab.RouteAsync("**/hubs/briefing/negotiate*", route => negotiating.TrySetResult(route) ? Task.CompletedTask : route.ContinueAsync());
        }

        await france.SignInAsync("fr");
        if (!whileItsConnectionStarts)
        {
            await live.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        }

        await tab.Context.ClearCookiesAsync();
        await Server.StopAsync();
        if (whileItsConnectionStarts)
        {
            // Its negotiation goes on to a server that is not there.
            await (await negotiating.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct)).ContinueAsync();
        }

        Server.Restart();

        var notice = tab.Locator(".sign-in-notice");
        await Expect(notice).ToContainTextAsync("Your session ended — sign in again.", new() { Timeout = 20_000 });
        await Expect(tab.GetByRole(AriaRole.Alert)).ToHaveCountAsync(1);

        await tab.GetByLabel("E-mail address").FillAsync(RoomServer.Email("fr"));
        await tab.GetByLabel("Password").FillAsync(RoomServer.Password);
        await tab.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Locator(".meeting-link")).ToBeVisibleAsync();
        Assert.EndsWith("#/meetings", tab.Url, StringComparison.Ordinal);
    }

    /// <summary>
    /// A delegate who signs in and goes straight to a meeting leaves the meetings page while its connection is still
    /// starting. Stopped in the middle of that, SignalR's client logged "Failed to start the connection" as an error in the
    /// console, for nothing more than a page left quickly (<c>PageDetailTests</c> caught it once in CI).
    /// </summary>
    [Fact]
    public async Task LeavingTheMeetingsPageWhileItsConnectionStartsLogsNoError()
    {
        var tab = await NewPageAsync();
        var errors = new List<string>();
        tab.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        var negotiating = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await tab.RouteAsync("**/hubs/briefing/negotiate*", route => negotiating.TrySetResult(route) ? Task.CompletedTask : route.ContinueAsync());
        var france = new RoomPage(tab, Server);
        await france.SignInAsync("fr");
        var held = await negotiating.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        await tab.EvaluateAsync("() => { location.hash = '#/account'; }");
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
        await held.ContinueAsync();
        await france.OpenItemAsync(3);

        Assert.Empty(errors);
    }
}
