using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Positions;

public static class PositionsApi
{
    public static RouteGroupBuilder MapPositions(this IEndpointRouteBuilder app)
    {
        var positions = app.MapGroup("/api/meetings/{meetingId:int}/items/{itemId:int}/positions").RequireAuthorization().WithTags("Positions");

        positions.MapPut("/{delegationCode}", async Task<Results<Ok<PositionDto>, ProblemHttpResult>> (int meetingId, int itemId, string delegationCode, PutPositionRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, PositionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.PutAsync(access, itemId, delegationCode, request, ct), ct)))
            .WithSummary("State a delegation's stance and reservation at the version the caller saw; a stale version gets 409 with the current position.");

        app.MapPut("/api/meetings/{meetingId:int}/items/{itemId:int}/guest-positions", async Task<Results<Ok<Agenda.AgendaItemDto>, ProblemHttpResult>> (int meetingId, int itemId, Agenda.GuestPositionsRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, MeetingChanges changes, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => changes.ApplyAsync(access, new SetGuestPositionSharing(itemId, request.Share!.Value), ct), ct)))
            .RequireAuthorization().WithTags("Positions")
            .WithSummary("Open (or close) the member states' stances, reservations and position texts on this item to its invited guests (chair). Closed by default: guests see the outcome in words.");

        return positions;
    }
}
