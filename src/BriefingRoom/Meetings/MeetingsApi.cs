using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Meetings;

public static class MeetingsApi
{
    public static RouteGroupBuilder MapMeetings(this IEndpointRouteBuilder app)
    {
        var meetings = app.MapGroup("/api/meetings").RequireAuthorization().WithTags("Meetings");

        meetings.MapGet("/", async (ClaimsPrincipal user, MeetingService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(MeetingAccessResolver.CallerOf(user), ct)))
            .WithSummary("The meetings the caller is a member of (an admin sees all).");

        meetings.MapPost("/", async Task<Results<Created<MeetingDto>, ProblemHttpResult>> (CreateMeetingRequest request, ClaimsPrincipal user, MeetingService service, CancellationToken ct) =>
            {
                var caller = MeetingAccessResolver.CallerOf(user);
                if (!caller.IsAdmin)
                {
                    return ApiResults.Problem(new ForbiddenRefusal("Only an admin creates meetings."));
                }

                var created = await service.CreateAsync(caller, request, ct);
                return created.Refusal is { } refused ? ApiResults.Problem(refused) : TypedResults.Created($"/api/meetings/{created.Value!.Id}", created.Value);
            })
            .WithSummary("Create a meeting (admin).");

        meetings.MapGet("/{meetingId:int}", async Task<Results<Ok<MeetingSnapshot>, ProblemHttpResult>> (int meetingId, ClaimsPrincipal user, MeetingAccessResolver gate, MeetingService service, CancellationToken ct) =>
            {
                var room = await gate.ToTheRoomAsync(user, meetingId, ticket => service.RoomAsync(ticket.Access, ct), built => built.SeatsChangedAt, ct);
                return room.Refusal is { } refused ? ApiResults.Problem(refused) : TypedResults.Ok(room.Value!.Snapshot);
            })
            .WithSummary("The whole meeting as the caller may see it, with the sequence number it reflects.");

        meetings.MapGet("/{meetingId:int}/snapshot", async Task<IResult> (int meetingId, HttpContext http, ClaimsPrincipal user, MeetingAccessResolver gate, SnapshotCache cache, CancellationToken ct) =>
            {
                // A cached room is at least as new as the caller's admission; one newer than a change of seats that came
                // after it (a revocation, say) is given only once the caller is admitted again. Rare: only right after such a change.
                var entry = await gate.ToTheRoomAsync(user, meetingId, ticket => cache.GetAsync(ticket.Access, ticket.Seq), cached => cached.SeatsChangedAt, ct);
                return entry.Refusal is { } refused ? ApiResults.Problem(refused) : SnapshotCache.Respond(entry.Value!, http);
            })
            .Produces<MeetingSnapshot>()
            .WithSummary("The room for a hub client (without `you`, which JoinMeeting answers): load it while joining and apply the events after its `seq`; those up to JoinMeeting's `seq`, which the group did not send, come from GetEventsSince. Compressed (br, gzip), with an ETag that names the sequence number.");

        meetings.MapPut("/{meetingId:int}", async Task<Results<Ok<MeetingDto>, ProblemHttpResult>> (int meetingId, UpdateMeetingRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, MeetingService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.UpdateAsync(access, request, ct), ct)))
            .WithSummary("Edit the meeting's title, date, place, document number, status and distribution marking (chair).");

        meetings.MapGet("/{meetingId:int}/events", async Task<Results<Ok<EventsPage>, ProblemHttpResult>> (int meetingId, long since, ClaimsPrincipal user, MeetingAccessResolver gate, MeetingService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.EventsSinceAsync(access, since, ct), ct)))
            .WithSummary("The events after sequence number `since` that the caller may see.");

        MapParticipants(meetings.MapGroup("/{meetingId:int}/participants").WithTags("Participants"));
        MapMemberships(meetings.MapGroup("/{meetingId:int}/memberships").WithTags("Memberships"));
        return meetings;
    }

    private static void MapParticipants(RouteGroupBuilder participants)
    {
        participants.MapPost("/", async Task<Results<Ok<ParticipantDto>, ProblemHttpResult>> (int meetingId, AddParticipantRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, ParticipantService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.AddAsync(access, request, ct), ct)))
            .WithSummary("Add a delegation to the meeting (chair).");

        participants.MapPut("/{delegationCode}", async Task<Results<Ok<ParticipantDto>, ProblemHttpResult>> (int meetingId, string delegationCode, UpdateParticipantRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, ParticipantService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.UpdateAsync(access, delegationCode, request, ct), ct)))
            .WithSummary("Change a participant's head of delegation or suspend its voting rights under Art. 7 TEU (chair).");

        participants.MapDelete("/{delegationCode}", async Task<Results<NoContent, ProblemHttpResult>> (int meetingId, string delegationCode, ClaimsPrincipal user, MeetingAccessResolver gate, ParticipantService service, CancellationToken ct) =>
            ApiResults.NoContent(await gate.AsMemberAsync(user, meetingId, access => service.RemoveAsync(access, delegationCode, ct), ct)))
            .WithSummary("Remove a delegation that has no members and no positions here (chair).");
    }

    private static void MapMemberships(RouteGroupBuilder memberships)
    {
        memberships.MapGet("/", async Task<Results<Ok<IReadOnlyList<MembershipDto>>, ProblemHttpResult>> (int meetingId, ClaimsPrincipal user, MeetingAccessResolver gate, MembershipService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.ListAsync(access, ct), ct)))
            .WithSummary("Who may enter the meeting, in what role (chair, secretariat).");

        memberships.MapDelete("/{membershipId:int}", async Task<Results<NoContent, ProblemHttpResult>> (int meetingId, int membershipId, ClaimsPrincipal user, MeetingAccessResolver gate, MembershipService service, CancellationToken ct) =>
            ApiResults.NoContent(await gate.AsMemberAsync(user, meetingId, access => service.RevokeAsync(access, membershipId, ct), ct)))
            .WithSummary("Revoke a membership (chair).");
    }
}
