using BriefingRoom.Agenda;
using BriefingRoom.Demo;
using BriefingRoom.Positions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BriefingRoom.Meetings;

public static class MeetingsSetup
{
    /// <summary>The meeting, its agenda and its positions: the services behind both the REST API and the hub.</summary>
    public static IServiceCollection AddMeetings(this IServiceCollection services)
    {
        services.AddScoped<MeetingAccessResolver>();
        services.AddScoped<MeetingService>();
        services.AddSingleton<SnapshotCache>();
        services.TryAddSingleton<IRoomsForgetting, RoomsForgettingHere>();
        services.AddKeyedSingleton<TimeProvider>(SnapshotCache.ClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddScoped<ParticipantService>();
        services.AddScoped<MembershipService>();
        services.AddScoped<AgendaService>();
        services.AddScoped<PositionService>();
        services.AddScoped<Drafting.DraftingService>();
        services.AddScoped<Coalitions.CoalitionService>();
        services.AddScoped<Proposals.ProposalService>();
        return services;
    }

    public static IServiceCollection AddDemo(this IServiceCollection services)
    {
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        services.AddScoped<DemoSeeder>();
        return services;
    }
}
