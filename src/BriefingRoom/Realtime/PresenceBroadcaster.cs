using BriefingRoom.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Realtime;

/// <summary>
/// Sends the room's presence as deltas: who joined, left or moved since the last send, each person with their whole
/// state; a connection that has just joined gets the whole room once. Members see every item people are on; each guest
/// delegation sees only the items it is invited to, so that a guest cannot learn of other items from where people are.
/// Called by <see cref="PresenceSchedule"/>, which paces the sends and keeps what was last sent.
/// </summary>
public sealed class PresenceBroadcaster(IPresenceStore store, IHubContext<BriefingHub, IBriefingClient> hub, BriefingDb db, ILogger<PresenceBroadcaster> log)
{
    /// <summary>
    /// Sends what changed since <paramref name="sent"/> (and updates it), and the whole room to <paramref name="joined"/>.
    /// <paramref name="sentFocus"/> is the item each connection looked at when last sent, for the carets that must go.
    /// </summary>
    public async Task SendAsync(
        int meetingId, Dictionary<string, PresenceUserDto> sent, Dictionary<string, int?> sentFocus, IReadOnlyCollection<string> joined, CancellationToken ct)
    {
        var entries = await store.ListAsync(meetingId);
        var byConnection = new Dictionary<string, PresenceEntry>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            byConnection[entry.ConnectionId] = entry;
        }

        var now = Summarize(entries);
        var changed = now.Values.Where(u => !sent.TryGetValue(u.UserId, out var before) || !Same(before, u)).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        var left = sent.Keys.Where(id => !now.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        // A connection on no item has no caret to take away.
        var gone = sentFocus.Where(c => c.Value is not null && (!byConnection.TryGetValue(c.Key, out var entry) || entry.ItemId != c.Value)).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        sent.Clear();
        foreach (var (id, user) in now)
        {
            sent[id] = user;
        }

        sentFocus.Clear();
        foreach (var entry in entries)
        {
            sentFocus[entry.ConnectionId] = entry.ItemId;
        }

        var everyone = now.Values.OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        var joinedHere = joined.Where(byConnection.ContainsKey).ToList();
        var joinedMembers = joinedHere.Where(c => !byConnection[c].IsGuest).ToList();
        var anyChange = changed.Count > 0 || left.Count > 0 || gone.Count > 0;
        if (anyChange)
        {
            Send(hub.Clients.Group(MeetingGroups.Members(meetingId)), new PresenceDto(meetingId, changed, left, Full: false, gone), meetingId);
        }

        if (joinedMembers.Count > 0)
        {
            Send(hub.Clients.Clients(joinedMembers), new PresenceDto(meetingId, everyone, [], Full: true, []), meetingId);
        }

        var guestCodes = entries.Where(e => e.IsGuest && e.DelegationCode is not null).Select(e => e.DelegationCode!).Distinct().ToList();
        if (guestCodes.Count == 0)
        {
            return;
        }

        var invitations = await db.ItemGuests.AsNoTracking()
            .Join(db.Items.Where(i => i.MeetingId == meetingId), g => g.ItemId, i => i.Id, (g, i) => new { g.ItemId, g.DelegationCode })
            .ToListAsync(ct);
        foreach (var code in guestCodes)
        {
            var visible = invitations.Where(i => i.DelegationCode == code).Select(i => i.ItemId).ToHashSet();
            PresenceUserDto Filter(PresenceUserDto u) => u with { ItemIds = [.. u.ItemIds.Where(visible.Contains)] };
            if (anyChange)
            {
                Send(hub.Clients.Group(MeetingGroups.Guest(meetingId, code)), new PresenceDto(meetingId, [.. changed.Select(Filter)], left, Full: false, gone), meetingId);
            }

            var joinedGuests = joinedHere.Where(c => byConnection[c] is { IsGuest: true } e && e.DelegationCode == code).ToList();
            if (joinedGuests.Count > 0)
            {
                Send(hub.Clients.Clients(joinedGuests), new PresenceDto(meetingId, [.. everyone.Select(Filter)], [], Full: true, []), meetingId);
            }
        }
    }

    private void Send(IBriefingClient to, PresenceDto presence, int meetingId) =>
        Sends.Observe(to.PresenceChanged(presence), log, meetingId, "presence");

    private static bool Same(PresenceUserDto a, PresenceUserDto b) =>
        a.Name == b.Name && a.Role == b.Role && a.DelegationCode == b.DelegationCode && a.ItemIds.SequenceEqual(b.ItemIds);

    private static Dictionary<string, PresenceUserDto> Summarize(IReadOnlyList<PresenceEntry> entries) =>
        entries.GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => new PresenceUserDto(
            g.Key, g.First().Name, g.First().Role, g.First().DelegationCode,
            [.. g.Where(e => e.ItemId is not null).Select(e => e.ItemId!.Value).Distinct().Order()]), StringComparer.Ordinal);
}

/// <summary>
/// Paces presence per meeting. Presence goes to everyone in the room, so one message per join would make a join storm of
/// N people cost N² entries on the wire. Here a request sends at once if the meeting's last send is older than
/// <see cref="Interval"/>, and otherwise once the interval is over: one delta for all changes made meanwhile, and one
/// whole list (serialized once) for all the connections that joined meanwhile.
/// </summary>
public sealed partial class PresenceSchedule(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PresenceSchedule> log)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Pace> _meetings = [];

    /// <summary>Presence changed in the meeting; <paramref name="joinedConnectionId"/>, if given, needs the whole room.</summary>
    public void Request(int meetingId, string? joinedConnectionId = null)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var pace = _meetings.TryGetValue(meetingId, out var known) ? known : _meetings[meetingId] = new Pace();
            if (joinedConnectionId is not null)
            {
                pace.Joined.Add(joinedConnectionId);
            }

            if (pace.Scheduled)
            {
                return;
            }

            pace.Scheduled = true;
            wait = pace.LastSent + Interval - clock.GetUtcNow();
        }

        _ = SendAsync(meetingId, wait);
    }

    private async Task SendAsync(int meetingId, TimeSpan wait)
    {
        try
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock);
            }

            Pace pace;
            lock (_gate)
            {
                pace = _meetings[meetingId];
            }

            // One send at a time per meeting: each computes its delta against the one before.
            await pace.Sending.WaitAsync();
            try
            {
                List<string> joined;
                lock (_gate)
                {
                    pace.Scheduled = false;
                    pace.LastSent = clock.GetUtcNow();
                    joined = [.. pace.Joined];
                    pace.Joined.Clear();
                }

                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<PresenceBroadcaster>().SendAsync(meetingId, pace.Sent, pace.SentFocus, joined, CancellationToken.None);
                lock (_gate)
                {
                    if (pace.Sent.Count == 0 && pace.SentFocus.Count == 0 && !pace.Scheduled && pace.Joined.Count == 0)
                    {
                        _meetings.Remove(meetingId);
                    }
                }
            }
            finally
            {
                pace.Sending.Release();
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
        {
            // The app is stopping: nobody is left to tell.
            LogStopping(log, meetingId);
        }
        catch (Exception ex)
        {
            // Presence is volatile: the next join, leave or focus sends a fresh delta.
            LogFailed(log, ex, meetingId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: presence could not be sent")]
    private static partial void LogFailed(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Meeting {MeetingId}: presence not sent, the app is stopping")]
    private static partial void LogStopping(ILogger logger, int meetingId);

    private sealed class Pace
    {
        public DateTimeOffset LastSent { get; set; } = DateTimeOffset.MinValue;
        public bool Scheduled { get; set; }
        public HashSet<string> Joined { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, PresenceUserDto> Sent { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int?> SentFocus { get; } = new(StringComparer.Ordinal);
        public SemaphoreSlim Sending { get; } = new(1, 1);
    }
}
