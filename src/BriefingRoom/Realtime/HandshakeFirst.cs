using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Realtime;

/// <summary>
/// Keeps SignalR's keep-alive ping from reaching a client before the handshake's answer does.
/// </summary>
/// <remarks>
/// SignalR registers a connection's keep-alive on the heartbeat just before it writes the handshake's answer, and
/// counts the connection's quiet time from when it was created. With our short <see cref="RealtimeSetup.KeepAliveInterval"/>
/// a handshake that took longer than that (seconds, when thousands join at once) can meet a heartbeat tick in between:
/// the ping is written first and the JavaScript client gives up with "Expected a handshake response from the server".
/// So every heartbeat callback of a hub connection waits until <see cref="HandshakeFirstFilter"/>'s OnConnectedAsync (the
/// first hub filter, just before the hub's own), which SignalR runs only once the answer has been written and flushed.
/// Nothing needs the heartbeat before then: the handshake has its own timeout.
/// </remarks>
public sealed partial class HandshakeFirstConnectionHandler(
    HubLifetimeManager<BriefingHub> lifetimeManager,
    IHubProtocolResolver protocolResolver,
    IOptions<HubOptions> globalHubOptions,
    IOptions<HubOptions<BriefingHub>> hubOptions,
    ILoggerFactory loggerFactory,
    IUserIdProvider userIdProvider,
    IServiceScopeFactory serviceScopeFactory,
    ArgumentErrorsProtocol argumentErrors)
    : HubConnectionHandler<BriefingHub>(lifetimeManager, protocolResolver, globalHubOptions, hubOptions, loggerFactory, userIdProvider, serviceScopeFactory)
{
    private readonly ILogger _log = loggerFactory.CreateLogger<HandshakeFirstConnectionHandler>();

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        if (connection.Features.Get<IConnectionHeartbeatFeature>() is { } heartbeat)
        {
            connection.Features.Set<IConnectionHeartbeatFeature>(new HeldHeartbeat(heartbeat, _log));
        }

        // The connection's frames are read in this flow: a call they carry that cannot be bound counts against its user.
        argumentErrors.Reads(connection);
        await base.OnConnectedAsync(connection);
    }

    /// <summary>Opens the connection's heartbeat: called from <see cref="HandshakeFirstFilter"/>'s OnConnectedAsync, after the handshake's answer.</summary>
    public static void HandshakeAnswered(HubCallerContext context) =>
        (context.Features.Get<IConnectionHeartbeatFeature>() as HeldHeartbeat)?.Open();

    private sealed partial class HeldHeartbeat(IConnectionHeartbeatFeature inner, ILogger log) : IConnectionHeartbeatFeature
    {
        private volatile bool _open;

        public void Open() => _open = true;

        public void OnHeartbeat(Action<object> action, object state) =>
            inner.OnHeartbeat(_ =>
            {
                if (_open)
                {
                    action(state);
                }
                else
                {
                    LogHeld(log);
                }
            }, this);

        [LoggerMessage(Level = LogLevel.Debug, EventName = "HeartbeatHeld", Message = "A heartbeat tick waited for the handshake's answer")]
        private static partial void LogHeld(ILogger logger);
    }
}

/// <summary>Opens a hub connection's heartbeat once SignalR has answered its handshake (see <see cref="HandshakeFirstConnectionHandler"/>).</summary>
public sealed class HandshakeFirstFilter : IHubFilter
{
    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        HandshakeFirstConnectionHandler.HandshakeAnswered(context.Context);
        return next(context);
    }
}
