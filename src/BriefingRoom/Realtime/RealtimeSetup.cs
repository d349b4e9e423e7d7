using System.Text.Encodings.Web;
using BriefingRoom.Api;
using BriefingRoom.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BriefingRoom.Realtime;

public static class RealtimeSetup
{
    /// <summary>How long a connection may stay quiet before the server pings it (see room-session.js's SILENCE_MS).</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromMilliseconds(500);

    public static IServiceCollection AddBriefingRealtime(this IServiceCollection services)
    {
        services.AddSignalR(hub =>
        {
            // SignalR's default of 32 KB would drop a delegate who pastes a long paragraph; a whole draft
            // (Limits.Text UTF-16 units, at most 3 UTF-8 bytes each) fits in 1 MB.
            hub.MaximumReceiveMessageSize = 1024 * 1024;
            // A page must notice a dead link within about two seconds even where the browser does not report it
            // (a Wi-Fi that silently stops): it counts a server that has said nothing for SILENCE_MS as gone
            // (room-session.js). The server writes a ping to a connection that has been quiet for KeepAliveInterval,
            // checked on SignalR's one-second heartbeat, so an idle page hears from it about once a second: a few
            // bytes a second each, some 2,000 small writes a second for 2,000 connections.
            hub.KeepAliveInterval = KeepAliveInterval;
            // Dead clients are dropped after the default 30 s: their presence may linger that long, nothing else.
            hub.ClientTimeoutInterval = TimeSpan.FromSeconds(30);
            // First: a connection's keep-alive starts once its handshake is answered (HandshakeFirst.cs).
            hub.AddFilter<HandshakeFirstFilter>();
            hub.AddFilter<Hosting.HubGuard>();
            // After the guard: a refusal here is rate-limited, scoped and logged like any other.
            hub.AddFilter<RequestValidationHubFilter>();
        }).AddJsonProtocol(o =>
        {
            BriefingJson.Configure(o.PayloadSerializerOptions);
            o.PayloadSerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        // The same protocol, with arguments it cannot bind refused in words that name them (ArgumentErrorsProtocol).
        services.RemoveAll<Microsoft.AspNetCore.SignalR.Protocol.IHubProtocol>();
        services.AddSingleton<ArgumentErrorsProtocol>();
        services.AddSingleton<Microsoft.AspNetCore.SignalR.Protocol.IHubProtocol>(sp => sp.GetRequiredService<ArgumentErrorsProtocol>());
        services.AddSingleton<HubConnectionHandler<BriefingHub>, HandshakeFirstConnectionHandler>();
        services.AddSingleton<HandshakeFirstFilter>();
        services.AddSingleton<Hosting.HubGuard>();
        services.AddSingleton<RequestValidationHubFilter>();
        services.AddHubConnectionLimit();
        services.AddSingleton<MeetingEventPublisher>();
        services.AddSingleton<JoinSteps>();
        services.AddScoped<MeetingChanges>();
        services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.AddScoped<PresenceBroadcaster>();
        services.AddSingleton<PresenceSchedule>();
        return services;
    }

    public static HubEndpointConventionBuilder MapBriefingHub(this IEndpointRouteBuilder app) =>
        // A connection lives as long as the cookie or token it was opened with: without this, one opened with a bearer
        // token good for an hour heard the meeting and edited in it for as long as the socket stayed up. The page's
        // connection, opened with a cookie renewed since, reconnects with the new one; an expired one is a session ended.
        app.MapHub<BriefingHub>("/hubs/briefing", o => o.CloseOnAuthenticationExpiration = true);
}
