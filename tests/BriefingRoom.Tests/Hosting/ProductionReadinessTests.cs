using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Hosting;

public class ProductionReadinessTests
{
    [Fact]
    public async Task HealthAndReadinessAnswer()
    {
        await using var app = new BriefingApp();
        var client = app.CreateClient();

        Assert.Equal("Healthy", await client.GetStringAsync("/healthz", TestHttp.Ct));
        Assert.Equal("Healthy", await client.GetStringAsync("/readyz", TestHttp.Ct));
    }

    [Fact]
    public async Task TheApiAnswers429WithRetryAfterWhenAUserGoesOverTheirRate()
    {
        await using var app = new BriefingApp().With("Briefing:RateLimits:ApiPerSecond", "1").With("Briefing:RateLimits:ApiBurst", "3");
        var chair = await app.SignInAsync("chair");

        HttpResponseMessage response;
        var calls = 0;
        do
        {
            response = await chair.GetAsync("/api/meetings", TestHttp.Ct);
            calls++;
        }
        while (response.IsSuccessStatusCode && calls < 10);

        await response.ShouldBeAsync(429);
        Assert.True(calls <= 5, $"limited only after {calls} calls");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("Too many requests", (await response.ReadJsonAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task TheHubRefusesCallsOverAUsersRateWithAClearError()
    {
        await using var app = new BriefingApp().With("Briefing:RateLimits:HubPerSecond", "1").With("Briefing:RateLimits:HubBurst", "3");
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(TestHttp.Ct);

        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, TestHttp.Ct);
            }
        });

        Assert.Contains("Too many requests", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    /// <summary>
    /// A call whose arguments SignalR cannot bind never reaches the hub's filters; it was answered (and its frame parsed
    /// twice to say why) without ever being counted, so a client could send them as fast as its link allowed.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CallsTheHubCannotBindCountAgainstTheUsersRate(bool webSockets)
    {
        await using var app = new BriefingApp(realSockets: webSockets).With("Briefing:RateLimits:HubPerSecond", "1").With("Briefing:RateLimits:HubBurst", "3");
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(TestHttp.Ct);

        var refusals = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, "not a number", TestHttp.Ct));
            refusals.Add(refused.Message);
        }

        Assert.Contains("since: Expected", refusals[0], StringComparison.Ordinal);
        Assert.Contains(refusals, r => r.Contains("Too many requests", StringComparison.Ordinal));
        // The budget they spent is the one a well-formed call draws on.
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, TestHttp.Ct));
        Assert.Contains("Too many requests", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    /// <summary>
    /// A frame that is not JSON at all closes its connection; it was read without being counted, so a client could open
    /// connection after connection and have each frame read, never slowed down.
    /// </summary>
    [Fact]
    public async Task FramesTheHubCannotReadCountAgainstTheUsersRate()
    {
        await using var app = new BriefingApp(realSockets: true).With("Briefing:RateLimits:HubPerSecond", "1").With("Briefing:RateLimits:HubBurst", "3");
        var token = await app.TokenForAsync("fr");
        for (var i = 0; i < 4; i++)
        {
            using var rogue = new System.Net.WebSockets.ClientWebSocket();
            var url = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/briefing", Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri;
            await rogue.ConnectAsync(url, TestHttp.Ct);
            await rogue.SendAsync(System.Text.Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e{\"type\":1,\"target\":\u001e"), System.Net.WebSockets.WebSocketMessageType.Text, true, TestHttp.Ct);
            // Read until the server closes the connection over the frame it could not read.
            var buffer = new byte[4096];
            while ((await rogue.ReceiveAsync(buffer, TestHttp.Ct)).MessageType != System.Net.WebSockets.WebSocketMessageType.Close)
            {
            }
        }

        await using var hub = app.NewHubConnection(token);
        await hub.StartAsync(TestHttp.Ct);
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, TestHttp.Ct));
        Assert.Contains("Too many requests", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The hub has no streams. A stream invocation of one of its methods was answered by SignalR before the hub's filters
    /// ran ("non-streaming method"), so it was never counted either, and a client could send them without end.
    /// </summary>
    [Fact]
    public async Task StreamInvocationsAreRefusedInWordsAndCountAgainstTheUsersRate()
    {
        await using var app = new BriefingApp().With("Briefing:RateLimits:HubPerSecond", "1").With("Briefing:RateLimits:HubBurst", "3");
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(TestHttp.Ct);

        var refusals = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var refused = await Assert.ThrowsAsync<HubException>(async () =>
            {
                await foreach (var _ in hub.StreamAsync<object>("GetEventsSince", 1, 0L, TestHttp.Ct))
                {
                }
            });
            refusals.Add(refused.Message);
        }

        Assert.Contains("GetEventsSince is not a stream", refusals[0], StringComparison.Ordinal);
        Assert.Contains(refusals, r => r.Contains("Too many requests", StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, TestHttp.Ct));
        Assert.Contains("Too many requests", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    [Fact]
    public async Task ADelegateCanPasteALongParagraphThroughTheHub()
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var paragraph = string.Concat(Enumerable.Repeat("Ελλάδα and Łódź stand with Ukraine. ", 3_000));

        france.Append("draft:1", "\n" + paragraph);

        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "the paste is committed");
        Assert.EndsWith(paragraph, app.ServerText("draft:1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestBodyOverTheLimitIsRefused()
    {
        await using var app = new BriefingApp(realSockets: true);
        var chair = await app.SignInAsync("chair");
        var huge = new string('x', 3 * 1024 * 1024);

        var response = await chair.PostJsonAsync("/api/meetings/1/items", new { title = "Big", rule = "consensus", draft = huge });

        Assert.Equal(413, (int)response.StatusCode);
    }

    [Fact]
    public void AMissingConnectionStringStopsTheAppWithAMessageThatNamesIt()
    {
        using var app = new BriefingApp().With("ConnectionStrings:BriefingRoom", "");
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("ConnectionStrings:BriefingRoom", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A bad setting stops the app before it touches the database: it was checked only once the host started, after the
    /// migrations and the demo seed had run, so a mistyped setting on a production start still changed the schema.
    /// </summary>
    [Fact]
    public void AnInvalidSettingStopsTheAppWithAMessageThatNamesItBeforeTheDatabaseIsTouched()
    {
        using var app = new BriefingApp().With("Briefing:CatchUpLimit", "0");
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("CatchUpLimit", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(app.DatabasePath), "no database was created or migrated");
    }

    [Fact]
    public void AProxyGivenByNameStopsTheAppWithAMessageThatNamesTheSetting()
    {
        using var app = new BriefingApp().With("Briefing:KnownProxies:0", "10.0.0.5").With("Briefing:KnownProxies:1", "proxy.internal");
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Briefing:KnownProxies:1 is \"proxy.internal\"", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>"yes" for a switch started silently, and every registration then answered 500.</summary>
    [Fact]
    public void ARegistrationSwitchThatIsNotTrueOrFalseStopsTheAppWithAMessageThatNamesIt()
    {
        using var app = new BriefingApp().With("Briefing:Registration:Open", "yes");
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Briefing:Registration:Open", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsCountConnectionsEventsAndEditTimes()
    {
        await using var app = new BriefingApp();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        // The grain records an edit's time once the commit has been published, so the client can hear the edit first:
        // the test waits for the measurement itself.
        var timed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = app.ListenToMetrics(
            (instrument, value, _, _) => seen.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value),
            (instrument, _, _, _) =>
            {
                seen.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1);
                if (instrument.Name == "briefing.edit.duration")
                {
                    timed.TrySetResult();
                }
            });

        await using var france = await RoomClient.JoinAsync(app, "fr");
        france.Insert("draft:1", 0, "Metrics. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "the edit is committed");
        await timed.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.True(seen.GetValueOrDefault("briefing.hub.connections") >= 1);
        Assert.True(seen.GetValueOrDefault("briefing.events") >= 1);
        Assert.True(seen.GetValueOrDefault("briefing.edit.duration") >= 1);
    }
}
