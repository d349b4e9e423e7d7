using BriefingRoom.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Realtime;

/// <summary>
/// Sends the room's presence list: the whole list to members, and to each guest delegation a list in which only
/// the items it is invited to appear, so that a guest cannot learn of other items from where people are.
/// </summary>
public sealed class PresenceBroadcaster(IPresenceStore store, IHubContext<BriefingHub, IBriefingClient> hub, BriefingDb db)
{
    public async Task<PresenceDto> BroadcastAsync(int meetingId, CancellationToken ct)
    {
        var entries = await store.ListAsync(meetingId);
        var full = Summarize(meetingId, entries, _ => true);
        Observe(hub.Clients.Group(MeetingGroups.Members(meetingId)).PresenceChanged(full));

        var guestCodes = entries.Where(e => e.IsGuest && e.DelegationCode is not null).Select(e => e.DelegationCode!).Distinct().ToList();
        if (guestCodes.Count > 0)
        {
            var invitations = await InvitationsAsync(meetingId, ct);
            foreach (var code in guestCodes)
            {
                var visible = invitations.Where(i => i.DelegationCode == code).Select(i => i.ItemId).ToHashSet();
                Observe(hub.Clients.Group(MeetingGroups.Guest(meetingId, code)).PresenceChanged(Summarize(meetingId, entries, visible.Contains)));
            }
        }

        return full;
    }

    /// <summary>The presence list as one caller may see it.</summary>
    public async Task<PresenceDto> ForAsync(Meetings.MeetingAccess access, CancellationToken ct)
    {
        var entries = await store.ListAsync(access.MeetingId);
        if (!access.IsGuest)
        {
            return Summarize(access.MeetingId, entries, _ => true);
        }

        var visible = (await InvitationsAsync(access.MeetingId, ct)).Where(i => i.DelegationCode == access.DelegationCode).Select(i => i.ItemId).ToHashSet();
        return Summarize(access.MeetingId, entries, visible.Contains);
    }

    private async Task<List<Invitation>> InvitationsAsync(int meetingId, CancellationToken ct) =>
        await db.ItemGuests.AsNoTracking()
            .Join(db.Items.Where(i => i.MeetingId == meetingId), g => g.ItemId, i => i.Id, (g, i) => new Invitation(g.ItemId, g.DelegationCode))
            .ToListAsync(ct);

    private static PresenceDto Summarize(int meetingId, IReadOnlyList<PresenceEntry> entries, Func<int, bool> itemVisible) =>
        new(meetingId, [.. entries.GroupBy(e => e.UserId)
            .Select(g => new PresenceUserDto(
                g.Key, g.First().Name, g.First().Role, g.First().DelegationCode,
                [.. g.Where(e => e.ItemId is { } id && itemVisible(id)).Select(e => e.ItemId!.Value).Distinct().Order()],
                [.. g.Select(e => e.ConnectionId).Order(StringComparer.Ordinal)]))
            .OrderBy(u => u.Name, StringComparer.Ordinal)]);

    private static void Observe(Task send) => send.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);

    private sealed record Invitation(int ItemId, string DelegationCode);
}
