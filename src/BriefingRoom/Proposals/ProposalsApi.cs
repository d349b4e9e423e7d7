using System.Security.Claims;
using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Live;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Proposals;

public static class ProposalsApi
{
    public static RouteGroupBuilder MapProposals(this IEndpointRouteBuilder app)
    {
        var meeting = app.MapGroup("/api/meetings/{meetingId:int}").RequireAuthorization().WithTags("Proposals");

        meeting.MapPut("/items/{itemId:int}/drafting-mode", async Task<Results<Ok<AgendaItemDto>, ProblemHttpResult>> (int meetingId, int itemId, DraftingModeRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, ProposalService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.SetDraftingModeAsync(access, itemId, request, ct), ct)))
            .WithSummary("Choose who writes the item's draft: `open` (every drafter co-edits) or `presidencyPen` (only the chair and the secretariat; delegations table proposals) (chair).");

        meeting.MapGet("/items/{itemId:int}/proposals", async Task<Results<Ok<IReadOnlyList<ProposalDto>>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, MeetingService meetings, IGrainFactory grains, Data.BriefingDb db, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, async access =>
            {
                var item = await meetings.FindItemAsync(access, itemId, ct);
                if (item.Refusal is { } missing)
                {
                    return missing;
                }

                var live = await grains.GetGrain<IMeetingGrain>(meetingId).Texts(access);
                if (live.Refusal is { } refused)
                {
                    return refused;
                }

                var stored = await db.Meetings.FindAsync([meetingId], ct);
                var proposals = await ProposalViews.ForSnapshotAsync(db, stored!, [itemId], live.Value!.Proposals ?? [], ct);
                return Outcome<IReadOnlyList<ProposalDto>>.From([.. proposals.Select(p => Positions.GuestView.Proposal(access, item.Value!, p))]);
            }, ct)))
            .WithSummary("The item's drafting proposals, open and closed, in the order they were tabled; open ones with their spans in the draft as committed now.");

        meeting.MapPost("/items/{itemId:int}/proposals", async Task<Results<Ok<ProposalDto>, ProblemHttpResult>> (int meetingId, int itemId, TableProposalRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, ProposalService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.TableAsync(access, itemId, request, ct), ct)))
            .WithSummary("Table a proposal on the draft: replace [from, to) of the draft as it stood at `revision` by `replacement` (from = to inserts; an empty replacement deletes), with an optional reason. Delegations of member states and institutions, the chair, the secretariat.");

        meeting.MapPut("/proposals/{proposalId:int}/support", async Task<Results<Ok<ProposalDto>, ProblemHttpResult>> (int meetingId, int proposalId, SupportProposalRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, ProposalService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.SupportAsync(access, proposalId, request, ct), ct)))
            .WithSummary("Back (`back`) or object to (`object`) a proposal for the caller's delegation, or take its voice back (`none`). One voice per delegation; not the proposer's own.");

        meeting.MapPost("/proposals/{proposalId:int}/accept", async Task<Results<Ok<ProposalDto>, ProblemHttpResult>> (int meetingId, int proposalId, ClaimsPrincipal user, MeetingAccessResolver gate, ProposalService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.AcceptAsync(access, proposalId, ct), ct)))
            .WithSummary("Accept a proposal: its replacement is applied to the draft where its words stand now, as one operation the history names (chair, secretariat).");

        meeting.MapPost("/proposals/{proposalId:int}/reject", async Task<Results<Ok<ProposalDto>, ProblemHttpResult>> (int meetingId, int proposalId, RejectProposalRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, ProposalService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.RejectAsync(access, proposalId, request, ct), ct)))
            .WithSummary("Reject a proposal, with a reason (chair, secretariat).");

        meeting.MapPost("/proposals/{proposalId:int}/withdraw", async Task<Results<Ok<ProposalDto>, ProblemHttpResult>> (int meetingId, int proposalId, WithdrawProposalRequest? request, ClaimsPrincipal user, MeetingAccessResolver gate, ProposalService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.WithdrawAsync(access, proposalId, request, ct), ct)))
            .WithSummary("Withdraw a proposal, with an optional reason (the delegation that tabled it; the chair or the secretariat for the Presidency's).");

        return meeting;
    }
}
