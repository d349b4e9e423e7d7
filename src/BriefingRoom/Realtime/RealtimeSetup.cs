using System.Text.Encodings.Web;
using BriefingRoom.Api;
using BriefingRoom.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Realtime;

public static class RealtimeSetup
{
    public static IServiceCollection AddBriefingRealtime(this IServiceCollection services)
    {
        services.AddSignalR(hub =>
        {
            // SignalR's default of 32 KB would drop a delegate who pastes a long paragraph; a whole draft
            // (Limits.Text UTF-16 units, at most 3 UTF-8 bytes each) fits in 1 MB.
            hub.MaximumReceiveMessageSize = 1024 * 1024;
            hub.AddFilter<Hosting.HubGuard>();
            // After the guard: a refusal here is rate-limited, scoped and logged like any other.
            hub.AddFilter<RequestValidationHubFilter>();
        }).AddJsonProtocol(o =>
        {
            BriefingJson.Configure(o.PayloadSerializerOptions);
            o.PayloadSerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
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
        app.MapHub<BriefingHub>("/hubs/briefing");
}
