using System.Security.Claims;
using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Coalitions;

public static class CoalitionsApi
{
    public static RouteGroupBuilder MapCoalitions(this IEndpointRouteBuilder app)
    {
        var coalition = app.MapGroup("/api/meetings/{meetingId:int}/items/{itemId:int}/coalition").RequireAuthorization().WithTags("Coalitions");

        coalition.MapPost("/", async Task<Results<Ok<CoalitionDto>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, CoalitionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.CreateAsync(access, itemId, ct), ct)))
            .WithSummary("Turn an item that was not agreed (status notAgreed) into a coalition statement; the member states supporting it are its first signatories (chair).");

        coalition.MapPost("/signatories/{delegationCode}", async Task<Results<Ok<CoalitionDto>, ProblemHttpResult>> (int meetingId, int itemId, string delegationCode, ClaimsPrincipal user, MeetingAccessResolver gate, CoalitionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.JoinAsync(access, itemId, delegationCode, ct), ct)))
            .WithSummary("Sign the statement: a delegate for its own member state or invited guest, the chair or the secretariat on its behalf. Institutions do not sign. Signing twice changes nothing.");

        coalition.MapDelete("/signatories/{delegationCode}", async Task<Results<Ok<CoalitionDto>, ProblemHttpResult>> (int meetingId, int itemId, string delegationCode, ClaimsPrincipal user, MeetingAccessResolver gate, CoalitionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.LeaveAsync(access, itemId, delegationCode, ct), ct)))
            .WithSummary("Withdraw a signature, with the same rights as signing; returns the coalition as it now stands.");

        coalition.MapPost("/lock", async Task<Results<Ok<CoalitionDto>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, CoalitionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.LockAsync(access, itemId, ct), ct)))
            .WithSummary("Close the list of signatories (chair).");

        coalition.MapDelete("/lock", async Task<Results<Ok<CoalitionDto>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, CoalitionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.UnlockAsync(access, itemId, ct), ct)))
            .WithSummary("Reopen the list of signatories (chair).");

        coalition.MapPost("/revision", async Task<Results<Ok<SignaturesWithdrawnDto>, ProblemHttpResult>> (int meetingId, int itemId, RevisionRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, CoalitionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.ReviseAsync(access, itemId, request.Reason, ct), ct)))
            .WithSummary("Open the statement's frozen text for a change by the chair, with a reason: every signature is withdrawn and each signatory told (chair).");

        coalition.MapDelete("/revision", async Task<Results<Ok<CoalitionDto>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, CoalitionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.ReopenAsync(access, itemId, ct), ct)))
            .WithSummary("End the revision: the text is frozen again and open for signature (chair).");

        coalition.MapGet("/archive", async Task<Results<Ok<IReadOnlyList<ArchivedCoalitionDto>>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, Data.BriefingDb db, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => CoalitionArchive.ListAsync(db, access, itemId, ct), ct)))
            .WithSummary("The item's archived coalitions, newest first: each with its signatories and the hash of the text they signed.");

        coalition.MapPost("/restore", async Task<Results<Ok<CoalitionRestoredDto>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, CoalitionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.RestoreAsync(access, itemId, ct), ct)))
            .WithSummary("Restore the item's last archived coalition; signatures come back only if the text is the one signed (chair).");

        app.MapPut("/api/meetings/{meetingId:int}/items/{itemId:int}/statement", async Task<Results<Ok<AgendaItemDto>, ProblemHttpResult>> (int meetingId, int itemId, StatementDocumentRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, CoalitionService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.SetStatementDocumentAsync(access, itemId, request, ct), ct)))
            .RequireAuthorization().WithTags("Coalitions")
            .WithSummary("Number the separate document a coalition statement on this item goes out as, with its title and distribution marking (secretariat, chair). The conclusions refer to it by this number.");

        return coalition;
    }
}
