using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Realtime;

/// <summary>
/// When a membership is revoked, the person's open connections leave the meeting's groups at once: from then
/// on they receive nothing more, and every call they make is refused, since access is checked on every call.
/// </summary>
public sealed class MeetingEviction(IPresenceStore presence, IHubContext<BriefingHub, IBriefingClient> hub, PresenceSchedule presenceLists)
{
    public async Task EvictAsync(int meetingId, string userId, CancellationToken ct)
    {
        var connections = (await presence.ListAsync(meetingId)).Where(e => e.UserId == userId).ToList();
        foreach (var entry in connections)
        {
            await hub.Groups.RemoveFromGroupAsync(entry.ConnectionId, MeetingGroups.Everyone(meetingId), ct);
            await hub.Groups.RemoveFromGroupAsync(entry.ConnectionId, MeetingGroups.Members(meetingId), ct);
            if (entry.DelegationCode is { } code)
            {
                await hub.Groups.RemoveFromGroupAsync(entry.ConnectionId, MeetingGroups.Guest(meetingId, code), ct);
            }

            await presence.RemoveAsync(entry.ConnectionId, meetingId);
        }

        if (connections.Count > 0)
        {
            presenceLists.Request(meetingId);
        }
    }
}
