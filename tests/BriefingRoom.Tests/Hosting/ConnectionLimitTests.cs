using System.Security.Claims;
using BriefingRoom.Hosting;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Tests.Hosting;

public class ConnectionLimitTests
{
    [Fact]
    public async Task OneUserCannotOpenMoreHubConnectionsThanTheLimitAndIsToldWhy()
    {
        await using var app = new BriefingApp(realSockets: true).With("Briefing:MaxConnectionsPerUser", "3");
        var token = await app.TokenForAsync("fr");
        var open = new List<HubConnection>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var hub = app.NewHubConnection(token);
                open.Add(hub);
                await hub.StartAsync(TestHttp.Ct);
                // A call is answered only after the server's OnConnectedAsync has run, so the connection is counted by then:
                // otherwise the fourth could race the third to the last place and the third be the one turned away.
                await hub.InvokeAsync("LeaveMeeting", 1, TestHttp.Ct);
            }

            await using var fourth = app.NewHubConnection(token);
            await AssertRefusedAsync(fourth);

            using var http = app.ClientWithToken(token);
            var negotiate = await http.PostAsync("/hubs/briefing/negotiate?negotiateVersion=1", null, TestHttp.Ct);
            await negotiate.ShouldBeAsync(429);
            Assert.Contains("Too many connections", (await negotiate.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

            // Another user is not held back by France's connections.
            await using var germany = app.NewHubConnection(await app.TokenForAsync("de"));
            await germany.StartAsync(TestHttp.Ct);
        }
        finally
        {
            foreach (var hub in open)
            {
                await hub.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AClosedConnectionFreesItsPlace()
    {
        await using var app = new BriefingApp(realSockets: true).With("Briefing:MaxConnectionsPerUser", "1");
        var token = await app.TokenForAsync("fr");
        // The server counts a connection closed when its socket is gone, a moment after the client let go: it says so
        // on its open-connections meter (after freeing the place), and that is what the test waits for.
        var (listener, freed) = WhenAConnectionIsForgotten(app);
        using var _ = listener;

        await using (var first = app.NewHubConnection(token))
        {
            await first.StartAsync(TestHttp.Ct);
            await using var second = app.NewHubConnection(token);
            await AssertRefusedAsync(second);
        }

        await freed.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        await using var again = app.NewHubConnection(token);
        await again.StartAsync(TestHttp.Ct);
    }

    /// <summary>
    /// A page going to another screen asks the server to close its connection (ConnectionLimitTests in the browser tests
    /// show why: closed from the page's side only, the next screen's connection reached the server first and was turned
    /// away). The server closes it, its place is free for the next, and the next still counts once it is forgotten.
    /// </summary>
    [Fact]
    public async Task AConnectionThePageAsksTheServerToCloseIsClosedAndItsPlaceGoesToTheNext()
    {
        await using var app = new BriefingApp(realSockets: true).With("Briefing:MaxConnectionsPerUser", "1");
        var token = await app.TokenForAsync("fr");
        var (listener, forgotten) = WhenAConnectionIsForgotten(app);
        using var _ = listener;

        await using var list = app.NewHubConnection(token);
        await list.StartAsync(TestHttp.Ct);
        var closedByServer = list.WhenClosed();
        try
        {
            await list.InvokeAsync("CloseConnection", TestHttp.Ct);
        }
        catch (Exception) when (!TestHttp.Ct.IsCancellationRequested)
        {
            // The server closes the connection as it answers; the answer may be lost with it (the call then cancelled).
        }

        await using var room = app.NewHubConnection(token);
        await room.StartAsync(TestHttp.Ct);
        await closedByServer.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        await forgotten.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);

        await using var third = app.NewHubConnection(token);
        await AssertRefusedAsync(third);
    }

    /// <summary>
    /// The page's request to close and the close itself both free the connection's place, in either order, at once: the
    /// place is freed only once, or the person's next connection would stop counting.
    /// </summary>
    [Fact]
    public void AConnectionReleasedAndThenClosedFreesOnePlaceOnly()
    {
        var limit = new HubConnectionLimit(Options.Create(new BriefingRoom.Hosting.HubConnectionOptions { MaxConnectionsPerUser = 1 }));
        var list = new Caller();
        Assert.True(limit.TryOpen(list, "fr"));
        Assert.False(limit.TryOpen(new Caller(), "fr"));

        limit.Release(list);
        var room = new Caller();
        Assert.True(limit.TryOpen(room, "fr"));
        limit.Release(list);

        Assert.True(limit.IsFull("fr"));
        Assert.False(limit.TryOpen(new Caller(), "fr"));
        limit.Release(room);
        Assert.False(limit.IsFull("fr"));
    }

    private sealed class Caller : HubCallerContext
    {
        public override string ConnectionId { get; } = Guid.NewGuid().ToString("N");

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }

    /// <summary>Completes when the server has forgotten a connection: its open-connections meter goes down, after the place is freed.</summary>
    private static (IDisposable Listener, Task Forgotten) WhenAConnectionIsForgotten(BriefingApp app)
    {
        var forgotten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = app.ListenToMetrics((instrument, value, _, _) =>
        {
            if (instrument.Name == "briefing.hub.connections" && value < 0)
            {
                forgotten.TrySetResult();
            }
        });
        return (listener, forgotten.Task);
    }

    /// <summary>
    /// Turned away at the handshake (429), or, when it raced past that check together with another, accepted and closed
    /// at once with the reason.
    /// </summary>
    private static async Task AssertRefusedAsync(HubConnection hub)
    {
        var closed = hub.WhenClosed();
        try
        {
            await hub.StartAsync(TestHttp.Ct);
        }
        catch (Exception ex) when (ex.Message.Contains("429", StringComparison.Ordinal))
        {
            return;
        }

        var reason = await closed.WaitAsync(TimeSpan.FromSeconds(10), TestHttp.Ct);
        Assert.Contains("Too many connections", reason?.Message ?? "closed without a reason", StringComparison.Ordinal);
    }
}
