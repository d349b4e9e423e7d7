using System.Net.WebSockets;
using System.Text;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// A join storm makes handshakes slow; the keep-alive ping must still never reach a client before the handshake's
/// answer, or the JavaScript client gives up ("Expected a handshake response from the server").
/// </summary>
public class HandshakeFirstTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AHandshakeHeldThroughAHeartbeatIsStillAnsweredFirst()
    {
        // The server's handshake is held, between SignalR registering the keep-alive and writing its answer (where it
        // logs "HandshakeComplete"), until a heartbeat has sent a ping or a second heartbeat tick has been held back:
        // by then the connection has been quiet for over a keep-alive interval, so a ping was due.
        using var stall = new HandshakeStall();
        await using var app = new BriefingApp(realSockets: true).WithServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(stall);
            services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(HandshakeStall).FullName, null, LogLevel.Trace, null)));
        });

        using var client = new ClientWebSocket();
        var url = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/briefing", Query = $"access_token={Uri.EscapeDataString(await app.TokenForAsync("fr"))}" }.Uri;
        await client.ConnectAsync(url, Ct);
        await client.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, Ct);

        var buffer = new byte[4096];
        var first = await client.ReceiveAsync(buffer, Ct);
        var firstMessage = Encoding.UTF8.GetString(buffer, 0, first.Count).Split('\u001e')[0];

        Assert.True(stall.Held, "the handshake was held through a heartbeat");
        Assert.Equal("{}", firstMessage);
        // And the keep-alive runs once the handshake is answered: a ping follows on a quiet connection.
        var next = await client.ReceiveAsync(buffer, Ct);
        Assert.Contains("{\"type\":6}", Encoding.UTF8.GetString(buffer, 0, next.Count), StringComparison.Ordinal);
    }

    /// <summary>Holds the first hub handshake at SignalR's "HandshakeComplete" log until a ping was sent or a second tick was held.</summary>
    private sealed class HandshakeStall : ILoggerProvider, ILogger
    {
        private readonly ManualResetEventSlim _release = new();
        private int _handshakes;
        private int _heldTicks;

        public bool Held { get; private set; }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            switch (eventId.Name)
            {
                case "HandshakeComplete" when Interlocked.Increment(ref _handshakes) == 1:
                    // The server's side of the handshake, on its own thread; the heartbeat ticks on another.
                    Held = _release.Wait(TimeSpan.FromSeconds(15));
                    break;
                case "SentPing":
                    _release.Set();
                    break;
                case "HeartbeatHeld" when Interlocked.Increment(ref _heldTicks) == 2:
                    _release.Set();
                    break;
            }
        }

        public void Dispose() => _release.Dispose();
    }
}
