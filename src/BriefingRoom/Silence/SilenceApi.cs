using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Silence;

public static class SilenceSetup
{
    /// <summary>
    /// The clock silence deadlines are read by: the app's own unless a test puts a fake one under this key. Kept apart
    /// from the app-wide TimeProvider so that a test can move deadlines without moving the cluster's own timers.
    /// </summary>
    public const string ClockKey = "silence";

    public static IServiceCollection AddSilence(this IServiceCollection services)
    {
        services.AddKeyedSingleton<TimeProvider>(ClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddScoped<SilenceService>();
        services.AddSingleton<SilenceTimer>();
        services.AddHostedService(sp => sp.GetRequiredService<SilenceTimer>());
        return services;
    }

    public static RouteGroupBuilder MapSilence(this IEndpointRouteBuilder app)
    {
        var meeting = app.MapGroup("/api/meetings/{meetingId:int}").RequireAuthorization().WithTags("Silence procedure");

        meeting.MapGet("/silences", async Task<Results<Ok<IReadOnlyList<SilenceDto>>, ProblemHttpResult>> (int meetingId, ClaimsPrincipal user, MeetingAccessResolver gate, SilenceService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.ListAsync(access, ct), ct)))
            .WithSummary("Every silence procedure of the meeting, newest first: deadline, state, and who broke silence and why (members; guests do not take part).");

        meeting.MapPost("/items/{itemId:int}/silence", async Task<Results<Ok<SilenceDto>, ProblemHttpResult>> (int meetingId, int itemId, OpenSilenceRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, SilenceService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.OpenAsync(access, itemId, request, ct), ct)))
            .WithSummary("Put the item's draft to silence until `deadline` (1 minute to 30 days ahead): the item's texts (the draft and the positions) are frozen, and the item is agreed at the deadline unless a member delegation breaks silence (chair).");

        meeting.MapPost("/items/{itemId:int}/silence/break", async Task<Results<Ok<SilenceDto>, ProblemHttpResult>> (int meetingId, int itemId, BreakSilenceRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, SilenceService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.BreakAsync(access, itemId, request, ct), ct)))
            .WithSummary("Break silence with a reason, before the deadline: the procedure ends at once and the draft moves again. One objection ends it; a later one is refused (a member state's delegation, not one whose voting rights are suspended under Art. 7(3) TEU nor one that does not take part in the item).");

        meeting.MapDelete("/items/{itemId:int}/silence", async Task<Results<Ok<SilenceDto>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, SilenceService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.CancelAsync(access, itemId, ct), ct)))
            .WithSummary("Cancel the item's running silence procedure; the draft moves again (chair).");

        return meeting;
    }
}
