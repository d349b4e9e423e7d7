using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Drafting;

public static class DraftingApi
{
    public static RouteGroupBuilder MapDrafting(this IEndpointRouteBuilder app)
    {
        var texts = app.MapGroup("/api/meetings/{meetingId:int}/texts/{documentId}").RequireAuthorization().WithTags("Drafting");

        texts.MapPost("/operations", async Task<Results<Ok<OperationAck>, ProblemHttpResult>> (int meetingId, string documentId, SubmitOperationRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, DraftingService service, CancellationToken ct) =>
            request.DocumentId != documentId
                ? ApiResults.Problem(new Realtime.InvalidRefusal("documentId", "The body names another text than the address."))
                : ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.SubmitAsync(access, request, ct), ct)))
            .WithSummary("Submit an operation on a draft or a position text, made on `baseRevision`; the same `clientOpId` is applied once.");

        texts.MapGet("/history", async Task<Results<Ok<TextHistoryDto>, ProblemHttpResult>> (int meetingId, string documentId, int? since, int? limit, ClaimsPrincipal user, MeetingAccessResolver gate, DraftingService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.HistoryAsync(access, documentId, since ?? 0, limit, ct), ct)))
            .WithSummary("Who wrote what: a page of the operations committed after revision `since` (at most `limit`, 1 to 1000, default 500), with author and time; `more` says whether later ones exist.");

        texts.MapGet("/revisions/{revision}", async Task<Results<Ok<TextAtRevisionDto>, ProblemHttpResult>> (int meetingId, string documentId, int revision, ClaimsPrincipal user, MeetingAccessResolver gate, DraftingService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.AtRevisionAsync(access, documentId, revision, ct), ct)))
            .WithSummary("The text as it stood at a revision (0: before the first operation).");

        return texts;
    }
}
