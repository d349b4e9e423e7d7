using System.Text.Json;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class RoomOpeningTests : RoomTest
{
    /// <summary>
    /// A delegate who leaves a room still opening (its room slow to come, or the server busy) for their meetings: when the
    /// room came after all, the page drew it over the meetings list (or "Could not open the meeting") for a room it had left.
    /// </summary>
    [Fact]
    public async Task ARoomLeftWhileItOpensDoesNotDrawItselfOverThePageShownSince()
    {
        var tab = await NewPageAsync();
        var france = new RoomPage(tab, Server);
        await france.SignInAsync("fr");
        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await tab.RouteAsync("**/api/meetings/1/snapshot", route =>
        {
            if (!held.TrySetResult(route))
            {
                return route.ContinueAsync();
            }

            return Task.CompletedTask;
        });

        // Joined (JoinMeeting's answer names the room's address): from then on the page waits only for its room.
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tab.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            if (frame.Text?.Contains("\"snapshotUrl\"", StringComparison.Ordinal) == true)
            {
                joined.TrySetResult();
            }
        };
        await tab.GotoAsync(new Uri(Server.BaseAddress, $"/#/meetings/{RoomServer.DemoMeetingId}/items/3").ToString());
        var room = await held.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await joined.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await tab.GotoAsync(new Uri(Server.BaseAddress, "/#/meetings").ToString());
        var meetings = tab.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" });
        await Expect(meetings).ToBeVisibleAsync();

        // The room the page asked for arrives now; the page has read it once it fetches the next one, asked after it.
        await LetThroughAsync(tab, room, "**/api/meetings/1/snapshot", "/api/meetings/1/snapshot");

        await Expect(meetings).ToBeVisibleAsync();
        await Expect(tab.Locator(".cm-editor")).ToHaveCountAsync(0);
        await Expect(tab.Locator(".fatal")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Each address the page is asked for first asks the server who is signed in: the meetings, then a meeting chosen before
    /// that answer came, and the meetings' turn, come last, closed the room just opened and left "Loading your meetings…" over
    /// it, under the meeting's address.
    /// </summary>
    [Fact]
    public async Task AnEarlierAddressWhoseSessionCheckComesLastDoesNotCloseTheRoomOpenedSince()
    {
        var tab = await NewPageAsync();
        var france = new RoomPage(tab, Server);
        await france.SignInAsync("fr");
        await tab.EvaluateAsync("() => { location.hash = '#/account'; }");
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await tab.RouteAsync("**/api/auth/session", route => held.TrySetResult(route) ? Task.CompletedTask : route.ContinueAsync());

        await tab.EvaluateAsync("() => { location.hash = '#/meetings'; }");
        var check = await held.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await tab.EvaluateAsync($"() => {{ location.hash = '#/meetings/{RoomServer.DemoMeetingId}/items/1'; }}");
        // Opening a room takes as long here as in OpenAsync, on a machine as loaded.
        await Expect(france.Draft(1)).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(france.Connection).ToContainTextAsync("Live", new() { Timeout = 60_000 });

        // The page has the answer once its next question, asked after it, is answered.
        await LetThroughAsync(tab, check, "**/api/auth/session", "/api/auth/session");

        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToHaveCountAsync(0);
        await Expect(tab.Locator(".loading")).ToHaveCountAsync(0);
        await Expect(france.Draft(1)).ToBeVisibleAsync();
        await Expect(france.Connection).ToContainTextAsync("Live");
    }

    /// <summary>
    /// An invitation link opened, then another page chosen before the invitation came: the invitation's answer, come last,
    /// was drawn over the page shown since.
    /// </summary>
    [Fact]
    public async Task AnInvitationLeftWhileItOpensDoesNotDrawItselfOverThePageShownSince()
    {
        var tab = await NewPageAsync();
        var france = new RoomPage(tab, Server);
        await france.SignInAsync("fr");
        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await tab.RouteAsync("**/api/invitations/preview", route => held.TrySetResult(route) ? Task.CompletedTask : route.ContinueAsync());

        await tab.EvaluateAsync("() => { location.hash = '#/invitation/not-a-real-token'; }");
        var preview = await held.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await tab.EvaluateAsync("() => { location.hash = '#/account'; }");
        var account = tab.GetByRole(AriaRole.Heading, new() { Name = "Your account" });
        await Expect(account).ToBeVisibleAsync();

        // The page has the answer once its next question, asked after it, is answered.
        await LetThroughAsync(tab, preview, "**/api/invitations/preview", "/api/auth/session");

        await Expect(account).ToBeVisibleAsync();
        await Expect(tab.GetByText("This invitation cannot be used")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// A link to a meeting that does not exist (or is not the person's): the page said "Could not open the meeting" while
    /// the top bar went on saying "Connecting…" beside it, and the tab kept the previous page's title.
    /// </summary>
    [Fact]
    public async Task AMeetingThatCannotBeOpenedSaysSoAndTheTopBarDoesNotSayConnecting()
    {
        var france = new RoomPage(await NewPageAsync(), Server);
        await france.SignInAsync("fr");
        await france.Page.GotoAsync(new Uri(Server.BaseAddress, "/#/meetings/999").ToString());

        await Expect(france.Page.Locator(".fatal")).ToContainTextAsync("Could not open the meeting", new() { Timeout = 30_000 });
        await Expect(france.Connection).ToHaveCountAsync(0);
        await Expect(france.Page).Not.ToHaveTitleAsync("Meetings · BriefingRoom");
    }

    /// <summary>
    /// Who is in the room came while the room was still loading (the whole room is sent to a connection as it joins): the
    /// panel, drawn after, said "0 online" and listed nobody, not even the person, until someone moved. A guest opening a
    /// link to an item not shared with it moves nowhere, and kept seeing an empty room.
    /// </summary>
    [Fact]
    public async Task WhoIsInTheRoomIsShownEvenWhenItArrivesBeforeTheRoomHasLoaded()
    {
        var tab = await NewPageAsync();
        var uk = new RoomPage(tab, Server);
        await uk.SignInAsync("uk");
        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await tab.RouteAsync("**/api/meetings/1/snapshot", route =>
        {
            if (!held.TrySetResult(route))
            {
                return route.ContinueAsync();
            }

            return Task.CompletedTask;
        });
        var presence = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tab.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            if (frame.Text?.Contains("\"target\":\"PresenceChanged\"", StringComparison.Ordinal) == true)
            {
                presence.TrySetResult();
            }
        };

        await tab.GotoAsync(new Uri(Server.BaseAddress, $"/#/meetings/{RoomServer.DemoMeetingId}/items/1").ToString());
        var room = await held.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await presence.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await room.ContinueAsync();

        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "This item is not available to you" })).ToBeVisibleAsync();
        var panel = tab.Locator(".presence");
        await Expect(panel).ToContainTextAsync("1 online");
        await Expect(panel.Locator(".presence-person")).ToContainTextAsync("(you)");
    }

    /// <summary>
    /// A delegate typing in the room whose seat is revoked is taken to their meetings, told why: the keyboard focus, which
    /// was in the draft, was left on nothing (the page itself) when they had no other meeting, and on the first meeting
    /// of their list, past the notice and the unsaved text, when they had.
    /// </summary>
    [Fact]
    public async Task ADelegateWhoseSeatIsRevokedWhileTypingHasTheKeyboardOnTheMeetingsPage()
    {
        var france = await OpenAsync("fr", 3);
        var (_, body) = await france.FetchAsync("GET", "/api/meetings", null);
        Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray());
        var chair = new RoomPage(await NewPageAsync(), Server);
        await chair.SignInAsync("chair");
        var (_, seats) = await chair.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships", null);
        var seat = JsonDocument.Parse(seats).RootElement.EnumerateArray().First(m => m.GetProperty("delegationCode").GetString() == "FR").GetProperty("id").GetInt32();
        await france.Draft(3).FocusAsync();

        var (status, answer) = await chair.FetchAsync("DELETE", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships/{seat}", null);
        Assert.True(status == 204, answer);

        await Expect(france.Page.Locator(".left-room")).ToContainTextAsync("You no longer have a seat in", new() { Timeout = 15_000 });
        await Expect(france.Page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeFocusedAsync();
    }

    /// <summary>
    /// Lets a held answer through and returns once the page has read it: the answer arrived, then a question asked after it
    /// (<paramref name="thenAsk"/>) was answered, and the page's event loop turned once more.
    /// </summary>
    private static async Task LetThroughAsync(IPage tab, IRoute held, string url, string thenAsk)
    {
        var arrived = await tab.RunAndWaitForResponseAsync(() => held.ContinueAsync(), url);
        await arrived.FinishedAsync();
        await tab.EvaluateAsync("async (url) => { await (await fetch(url, { cache: 'no-store' })).text(); await new Promise((r) => setTimeout(r, 0)); }", thenAsk);
    }
}
