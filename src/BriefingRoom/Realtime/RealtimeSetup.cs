using System.Text.Encodings.Web;
using BriefingRoom.Api;

namespace BriefingRoom.Realtime;

public static class RealtimeSetup
{
    public static IServiceCollection AddBriefingRealtime(this IServiceCollection services)
    {
        services.AddSignalR().AddJsonProtocol(o =>
        {
            BriefingJson.Configure(o.PayloadSerializerOptions);
            o.PayloadSerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        services.AddSingleton<MeetingEventPublisher>();
        services.AddScoped<MeetingChanges>();
        services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.AddScoped<PresenceBroadcaster>();
        return services;
    }

    public static HubEndpointConventionBuilder MapBriefingHub(this IEndpointRouteBuilder app) =>
        app.MapHub<BriefingHub>("/hubs/briefing");
}
