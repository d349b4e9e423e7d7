using System.Text.Json;
using BriefingRoom.Agenda;
using BriefingRoom.Proposals;

namespace BriefingRoom.Realtime;

/// <summary>Drafting proposals and the drafting mode over the hub: the same services, rules and words as the REST endpoints (ProposalsApi).</summary>
public sealed partial class BriefingHub
{
    /// <summary>PUT .../items/{itemId}/drafting-mode over the hub (chair).</summary>
    public async Task<AgendaItemDto> SetDraftingMode(int meetingId, int itemId, JsonElement request)
    {
        var body = Unwrap(Api.RequestValidation.Read<DraftingModeRequest>(request));
        return Unwrap(await proposals.SetDraftingModeAsync(await RequireAccessAsync(meetingId), itemId, body, Context.ConnectionAborted));
    }

    /// <summary>POST .../items/{itemId}/proposals over the hub.</summary>
    public async Task<ProposalDto> TableProposal(int meetingId, int itemId, JsonElement request)
    {
        var body = Unwrap(Api.RequestValidation.Read<TableProposalRequest>(request));
        return Unwrap(await proposals.TableAsync(await RequireAccessAsync(meetingId), itemId, body, Context.ConnectionAborted));
    }

    /// <summary>PUT .../proposals/{proposalId}/support over the hub.</summary>
    public async Task<ProposalDto> SupportProposal(int meetingId, int proposalId, JsonElement request)
    {
        var body = Unwrap(Api.RequestValidation.Read<SupportProposalRequest>(request));
        return Unwrap(await proposals.SupportAsync(await RequireAccessAsync(meetingId), proposalId, body, Context.ConnectionAborted));
    }

    /// <summary>POST .../proposals/{proposalId}/accept over the hub (chair, secretariat).</summary>
    public async Task<ProposalDto> AcceptProposal(int meetingId, int proposalId) =>
        Unwrap(await proposals.AcceptAsync(await RequireAccessAsync(meetingId), proposalId, Context.ConnectionAborted));

    /// <summary>POST .../proposals/{proposalId}/reject over the hub (chair, secretariat).</summary>
    public async Task<ProposalDto> RejectProposal(int meetingId, int proposalId, JsonElement request)
    {
        var body = Unwrap(Api.RequestValidation.Read<RejectProposalRequest>(request));
        return Unwrap(await proposals.RejectAsync(await RequireAccessAsync(meetingId), proposalId, body, Context.ConnectionAborted));
    }

    /// <summary>POST .../proposals/{proposalId}/withdraw over the hub (the proposer).</summary>
    public async Task<ProposalDto> WithdrawProposal(int meetingId, int proposalId, JsonElement request)
    {
        // The reason is optional: no body at all (null) withdraws without one.
        var body = request.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
            ? null
            : Unwrap(Api.RequestValidation.Read<WithdrawProposalRequest>(request));
        return Unwrap(await proposals.WithdrawAsync(await RequireAccessAsync(meetingId), proposalId, body, Context.ConnectionAborted));
    }
}
