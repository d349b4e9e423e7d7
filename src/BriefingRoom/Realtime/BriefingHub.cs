using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Realtime;

/// <summary>
/// The room's live channel. Thin: every method resolves the caller's access from the connection's user and
/// hands over to the same services the REST API uses.
/// </summary>
[Authorize]
public sealed class BriefingHub(MeetingAccessResolver gate, MeetingService meetings) : Hub<IBriefingClient>
{
    /// <summary>Joins the meeting's groups and returns the snapshot; the client applies live events after its sequence number.</summary>
    public async Task<MeetingSnapshot> JoinMeeting(int meetingId)
    {
        var access = await RequireAccessAsync(meetingId);
        await Groups.AddToGroupAsync(Context.ConnectionId, MeetingGroups.Everyone(meetingId), Context.ConnectionAborted);
        var own = access.IsGuest ? MeetingGroups.Guest(meetingId, access.DelegationCode!) : MeetingGroups.Members(meetingId);
        await Groups.AddToGroupAsync(Context.ConnectionId, own, Context.ConnectionAborted);
        return Unwrap(await meetings.SnapshotAsync(access, Context.ConnectionAborted));
    }

    /// <summary>What the client missed after sequence number <paramref name="since"/>; Reset says to reload the snapshot.</summary>
    public async Task<EventsPage> GetEventsSince(int meetingId, long since)
    {
        var access = await RequireAccessAsync(meetingId);
        return Unwrap(await meetings.EventsSinceAsync(access, since, Context.ConnectionAborted));
    }

    private async Task<MeetingAccess> RequireAccessAsync(int meetingId) =>
        await gate.ResolveAsync(Context.User!, meetingId, Context.ConnectionAborted)
        ?? throw new HubException(Api.ApiResults.MeetingNotFound(meetingId).Detail);

    /// <summary>Refusals reach the client as a HubException with the same words as the REST problem detail.</summary>
    private static T Unwrap<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refusal ? throw new HubException($"{refusal.Title}: {refusal.Detail}") : outcome.Value!;
}
