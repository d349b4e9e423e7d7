using BriefingRoom.Agenda;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Realtime;

public sealed record CaretRequest(string DocumentId, int Revision, int Anchor, int Head);

/// <summary>
/// The room's live channel. Thin: every method resolves the caller's access from the connection's user
/// (never from an argument) and hands over to the services that the REST API uses too.
/// Refusals arrive as a HubException carrying the same words as the REST problem detail.
/// </summary>
[Authorize]
public sealed class BriefingHub(
    MeetingAccessResolver gate, MeetingService meetings, DraftingService drafting, PositionService positions,
    IPresenceStore presence, PresenceSchedule presenceLists, ILogger<BriefingHub> log) : Hub<IBriefingClient>
{
    /// <summary>Joins the meeting's groups and returns the snapshot; the client applies live events after its sequence number.</summary>
    public async Task<MeetingSnapshot> JoinMeeting(int meetingId)
    {
        var access = await RequireAccessAsync(meetingId);
        var ct = Context.ConnectionAborted;
        await Groups.AddToGroupAsync(Context.ConnectionId, MeetingGroups.Everyone(meetingId), ct);
        await Groups.AddToGroupAsync(Context.ConnectionId, MeetingGroups.Own(access), ct);
        var snapshot = Unwrap(await meetings.SnapshotAsync(access, ct));

        await presence.AddAsync(new PresenceEntry(Context.ConnectionId, meetingId, access.Caller.UserId, access.Caller.Name, access.Role, access.DelegationCode, access.IsGuest, null));
        presenceLists.Request(meetingId);
        return snapshot;
    }

    public async Task LeaveMeeting(int meetingId)
    {
        var access = await RequireAccessAsync(meetingId);
        await presence.RemoveAsync(Context.ConnectionId, meetingId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, MeetingGroups.Everyone(meetingId));
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, MeetingGroups.Own(access));
        presenceLists.Request(meetingId);
    }

    /// <summary>What the client missed after sequence number <paramref name="since"/>; Reset says to reload the snapshot.</summary>
    public async Task<EventsPage> GetEventsSince(int meetingId, long since) =>
        Unwrap(await meetings.EventsSinceAsync(await RequireAccessAsync(meetingId), since, Context.ConnectionAborted));

    /// <summary>An operation on a draft or a position text. The sender also receives the resulting event, which is its acknowledgement in order.</summary>
    public async Task<OperationAck> SubmitOperation(int meetingId, SubmitOperationRequest request) =>
        Unwrap(await drafting.SubmitAsync(await RequireAccessAsync(meetingId), request, Context.ConnectionAborted));

    public async Task<TextHistoryDto> GetTextHistory(int meetingId, string documentId, int sinceRevision) =>
        Unwrap(await drafting.HistoryAsync(await RequireAccessAsync(meetingId), documentId, sinceRevision, Context.ConnectionAborted));

    /// <summary>PUT .../positions/{delegationCode} over the hub. The body is bound here, as REST binds it, so that what SignalR could not read gets the same field errors.</summary>
    public async Task<PositionDto> SetPosition(int meetingId, int itemId, string delegationCode, System.Text.Json.JsonElement request)
    {
        var body = Unwrap(Api.RequestValidation.Read<PutPositionRequest>(request));
        return Unwrap(await positions.PutAsync(await RequireAccessAsync(meetingId), itemId, delegationCode ?? "", body, Context.ConnectionAborted));
    }

    /// <summary>Which item this connection looks at now (null: the agenda), for the others' "who is on it".</summary>
    public async Task Focus(int meetingId, int? itemId)
    {
        var access = await RequireAccessAsync(meetingId);
        if (itemId is { } id)
        {
            Unwrap(await meetings.FindItemAsync(access, id, Context.ConnectionAborted));
        }

        if (await presence.FocusAsync(Context.ConnectionId, meetingId, itemId))
        {
            presenceLists.Request(meetingId);
        }
    }

    /// <summary>Shows this connection's caret to the others who may see the text. Not stored, not sequenced.</summary>
    public async Task MoveCaret(int meetingId, CaretRequest caret)
    {
        var access = await RequireAccessAsync(meetingId);
        if (caret is null || !DocumentId.TryParse(caret.DocumentId, out var id) || caret.Revision < 0 || caret.Anchor < 0 || caret.Head < 0)
        {
            throw new HubException("A caret names a text, a revision and two positions of 0 or more.");
        }

        var item = Unwrap(await meetings.FindItemAsync(access, id.Value.ItemId, Context.ConnectionAborted));
        var dto = new CaretDto(access.Caller.UserId, access.Caller.Name, Context.ConnectionId, id.Value.ToString(), caret.Revision, caret.Anchor, caret.Head);
        foreach (var group in MeetingGroups.For(meetingId, ItemRules.Audience(item)))
        {
            Sends.Observe(Clients.GroupExcept(group, Context.ConnectionId).CaretMoved(dto), log, meetingId, "a caret");
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var meetingId in await presence.RemoveConnectionAsync(Context.ConnectionId))
        {
            presenceLists.Request(meetingId);
        }

        await base.OnDisconnectedAsync(exception);
    }

    private async Task<MeetingAccess> RequireAccessAsync(int meetingId) =>
        await gate.ResolveAsync(Context.User!, meetingId, Context.ConnectionAborted)
        ?? throw new HubException(Api.ApiResults.MeetingNotFound(meetingId).Detail);

    private static T Unwrap<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refusal ? throw new HubException($"{refusal.Title}: {refusal.Detail}") : outcome.Value!;
}
