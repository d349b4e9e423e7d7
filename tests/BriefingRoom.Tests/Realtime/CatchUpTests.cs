using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Realtime;

public class CatchUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AClientThatMissedTooMuchIsToldToReloadTheSnapshot()
    {
        await using var app = new BriefingApp().With("Briefing:CatchUpLimit", "10");
        var chair = await app.SignInAsync("chair");
        for (var version = 1; version <= 8; version++)
        {
            // Each stance change is two or three events: the position, the item's tally, and the tally in words for its guests.
            await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = version % 2 == 0 ? "oppose" : "abstain", expectedVersion = version })).ShouldBeAsync(200);
        }

        await using var late = app.NewHubConnection(await app.TokenForAsync("fr"));
        await late.StartAsync(Ct);

        var tooOld = await late.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, Ct);
        var latest = app.WithDb(db => db.Events.Where(e => e.MeetingId == 1).Max(e => e.Seq));
        Assert.True(latest > 16, $"8 stance changes made {latest} events");
        var recent = await late.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, latest - 6, Ct);

        Assert.True(tooOld.Reset);
        Assert.Empty(tooOld.Events);
        Assert.False(recent.Reset);
        Assert.Equal(Enumerable.Range(1, 6).Select(k => latest - 6 + k), recent.Events.Select(e => e.Seq));
        Assert.Equal(latest, recent.UpTo);
    }

    /// <summary>
    /// A page further on than the meeting (a room from before a restored backup) is refused in these words, and loads the
    /// room again on them (room-session.js, <c>#eventsSince</c>; tests/js/room-session-retries.test.mjs).
    /// </summary>
    [Fact]
    public async Task ACatchUpFromANumberTheMeetingHasNotReachedIsRefusedInTheWordsThePageReloadsOn()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(200);
        var latest = app.WithDb(db => db.Events.Where(e => e.MeetingId == 1).Max(e => e.Seq));
        await using var ahead = app.NewHubConnection(await app.TokenForAsync("fr"));
        await ahead.StartAsync(Ct);

        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => ahead.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, latest + 5, Ct));

        Assert.Contains($"HubException: The request is not valid: The meeting has not reached sequence number {latest + 5}.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStuckClientDoesNotHoldUpTheOthers()
    {
        // Hundreds of operations from one delegate in a few seconds: lift the per-user hub budget.
        await using var app = new BriefingApp().With("Briefing:RateLimits:HubPerSecond", "100000").With("Briefing:RateLimits:HubBurst", "100000");

        // A delegate whose browser froze: joined over long polling, it never polls again, so everything the server
        // sends it piles up in its connection's buffer (64 KB) with no socket to drain it.
        using var stuck = app.CreateClient();
        stuck.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await app.TokenForAsync("ie"));
        var negotiation = await (await stuck.PostAsync("/hubs/briefing/negotiate?negotiateVersion=1", null, Ct)).ReadJsonAsync();
        var token = negotiation.GetProperty("connectionToken").GetString();
        // Long polling's first poll only opens the connection; it answers at once.
        (await stuck.GetAsync($"/hubs/briefing?id={token}", Ct)).EnsureSuccessStatusCode();
        var join = await stuck.PostAsync($"/hubs/briefing?id={token}",
            new StringContent("{\"protocol\":\"json\",\"version\":1}\u001e{\"type\":1,\"invocationId\":\"1\",\"target\":\"JoinMeeting\",\"arguments\":[1]}\u001e"), Ct);
        join.EnsureSuccessStatusCode();

        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        await france.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "IE") == true, "the stuck delegate has joined");

        // Far more than the stuck connection's buffer holds: if the edit path waited for it, this would never finish.
        // (Each paragraph is typed, then taken out again, so that the draft stays within its size limit.)
        var paragraph = new string('x', 16_000);
        var original = france.TextOf("draft:1").Length;
        for (var k = 0; k < 40; k++)
        {
            france.Append("draft:1", paragraph);
            france.Edit("draft:1", text => BriefingRoom.Drafting.Ot.TextOperation.Builder().Retain(original).Delete(text.Length - original).Build());
            // A liveness bound, not a speed target: an acknowledgement takes milliseconds; a send that waited on the
            // stuck connection would hang until SignalR gives up on it (TransportSendTimeout, 10 s).
            await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "France's edits are acknowledged", TimeSpan.FromSeconds(8));
        }

        await germany.WaitUntilAsync(c => c.TextOf("draft:1") == france.TextOf("draft:1"), "Germany receives every edit");
    }
}
