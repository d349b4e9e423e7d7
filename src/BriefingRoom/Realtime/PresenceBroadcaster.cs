using BriefingRoom.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Realtime;

/// <summary>
/// Sends the room's presence as deltas: who joined, left or moved since the last send, each person with their whole
/// state; a connection that has just joined gets the whole room once. Members see every item people are on; each guest
/// delegation sees only the items it is invited to, so that a guest cannot learn of other items from where people are.
/// Each audience (the members, each guest delegation) gets its delta against what it was itself last sent: the rooms
/// they see differ, and one computed for the members and then filtered would tell a guest of moves between items it
/// cannot see, and never of the people already on an item it has just been invited to.
/// Called by the meeting's <see cref="PresencePace"/>, which paces the sends and keeps what each audience was last sent.
/// </summary>
public sealed class PresenceBroadcaster(IPresenceStore store, IHubContext<BriefingHub, IBriefingClient> hub, BriefingDb db, ILogger<PresenceBroadcaster> log)
{
    /// <summary>
    /// Sends each audience what changed since it was last sent (and records it in <paramref name="sent"/> once sent), and
    /// the whole room, as each may see it, to <paramref name="joined"/>. Should the guests' invitations not be read, the
    /// members' delta has gone out and the guests' states stay as they were: their next delta tells them all they missed.
    /// <paramref name="shown"/> are the items each connection was shown on since the last send (it looked at one, or a
    /// caret of it was relayed there): one that came and went in between is named gone all the same.
    /// Once <paramref name="ct"/> is cancelled nothing more is sent (the sender has been replaced, see
    /// <see cref="PresencePace.CloseAsync"/>): it is checked right before each audience is sent to.
    /// </summary>
    public async Task SendAsync(
        int meetingId, PresenceSent sent, IReadOnlyDictionary<string, HashSet<int>> shown, IReadOnlyCollection<string> joined, CancellationToken ct)
    {
        sent.Show(shown);
        var entries = await store.ListAsync(meetingId);
        var byConnection = new Dictionary<string, PresenceEntry>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            byConnection[entry.ConnectionId] = entry;
        }

        var everyone = Summarize(entries).Values.OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        var joinedHere = joined.Where(byConnection.ContainsKey).ToList();
        ct.ThrowIfCancellationRequested();
        var joinedMembers = joinedHere.Where(c => !byConnection[c].IsGuest).ToList();
        var membersGone = SendDelta(meetingId, sent.Members, MeetingGroups.Members(meetingId), joinedMembers, everyone, byConnection, _ => true);
        if (joinedMembers.Count > 0)
        {
            // Not sent, they would have nothing of the room: the next send gives the whole room to everyone.
            Send(hub.Clients.Clients(joinedMembers), new PresenceDto(meetingId, everyone, [], Full: true, membersGone), meetingId, sent.Members.MarkStale);
        }

        var guestCodes = entries.Where(e => e.IsGuest && e.DelegationCode is not null).Select(e => e.DelegationCode!).Distinct().ToList();
        // A guest delegation no longer in the room is forgotten: whoever comes back gets the whole room on joining.
        foreach (var code in sent.Guests.Keys.Except(guestCodes, StringComparer.Ordinal).ToList())
        {
            sent.Guests.Remove(code);
        }

        if (guestCodes.Count == 0)
        {
            sent.WholeRoomToEveryone = false;
            return;
        }

        var invitations = await db.ItemGuests.AsNoTracking()
            .Join(db.Items.Where(i => i.MeetingId == meetingId), g => g.ItemId, i => i.Id, (g, i) => new { g.ItemId, g.DelegationCode })
            .ToListAsync(ct);
        ct.ThrowIfCancellationRequested();
        foreach (var code in guestCodes)
        {
            var visible = invitations.Where(i => i.DelegationCode == code).Select(i => i.ItemId).ToHashSet();
            var theirs = everyone.Select(u => u with { ItemIds = [.. u.ItemIds.Where(visible.Contains)] }).ToList();
            if (!sent.Guests.TryGetValue(code, out var audience))
            {
                sent.Guests[code] = audience = new PresenceAudience();
                audience.Show(shown);
                if (sent.WholeRoomToEveryone)
                {
                    audience.MarkStale();
                }
            }

            var joinedGuests = joinedHere.Where(c => byConnection[c] is { IsGuest: true } e && e.DelegationCode == code).ToList();
            var guestsGone = SendDelta(meetingId, audience, MeetingGroups.Guest(meetingId, code), joinedGuests, theirs, byConnection, visible.Contains);
            if (joinedGuests.Count > 0)
            {
                Send(hub.Clients.Clients(joinedGuests), new PresenceDto(meetingId, theirs, [], Full: true, guestsGone), meetingId, audience.MarkStale);
            }
        }

        sent.WholeRoomToEveryone = false;
    }

    /// <summary>
    /// Sends one audience (its <paramref name="group"/>) the people whose state it sees has changed since it was last sent,
    /// those who left, and the connections gone from items it sees (<paramref name="sees"/>): never a move between items it
    /// cannot see. An audience whose last send failed gets the whole room instead. What was sent is recorded only once it
    /// is handed over. The connections that have just <paramref name="joined"/> are left out: they get the whole room
    /// instead, which holds every change (in a join storm most of the group has just joined, and the delta is most of the
    /// room again). Returns the connections gone, which their whole room names too, for carets they may have been sent
    /// since they joined.
    /// </summary>
    private IReadOnlyList<string> SendDelta(
        int meetingId, PresenceAudience audience, string group, IReadOnlyList<string> joined, List<PresenceUserDto> users,
        Dictionary<string, PresenceEntry> byConnection, Func<int, bool> sees)
    {
        var to = joined.Count == 0 ? hub.Clients.Group(group) : hub.Clients.GroupExcept(group, joined);
        var changed = users.Where(u => !audience.Users.TryGetValue(u.UserId, out var before) || !Same(before, u)).ToList();
        var here = users.Select(u => u.UserId).ToHashSet(StringComparer.Ordinal);
        var left = audience.Users.Keys.Where(id => !here.Contains(id)).Order(StringComparer.Ordinal).ToList();
        // A connection on no item has no caret to take away; nor has one on an item this audience does not see.
        var gone = audience.Shown
            .Where(c => c.Value.Any(item => sees(item) && (!byConnection.TryGetValue(c.Key, out var entry) || entry.ItemId != item)))
            .Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        if (audience.TakeStale())
        {
            Send(to, new PresenceDto(meetingId, users, [], Full: true, gone), meetingId, audience.MarkStale);
        }
        else if (changed.Count > 0 || left.Count > 0 || gone.Count > 0)
        {
            Send(to, new PresenceDto(meetingId, changed, left, Full: false, gone), meetingId, audience.MarkStale);
        }

        audience.Record(users, byConnection.Values.Where(e => e.ItemId is { } item && sees(item)));
        return gone;
    }

    private void Send(IBriefingClient to, PresenceDto presence, int meetingId, Action? failed = null) =>
        Sends.Observe(to.PresenceChanged(presence), log, meetingId, "presence", failed: failed);

    private static bool Same(PresenceUserDto a, PresenceUserDto b) =>
        a.Name == b.Name && a.Role == b.Role && a.DelegationCode == b.DelegationCode && a.ItemIds.SequenceEqual(b.ItemIds);

    private static Dictionary<string, PresenceUserDto> Summarize(IReadOnlyList<PresenceEntry> entries) =>
        entries.GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => new PresenceUserDto(
            g.Key, g.First().Name, g.First().Role, g.First().DelegationCode,
            [.. g.Where(e => e.ItemId is not null).Select(e => e.ItemId!.Value).Distinct().Order()]), StringComparer.Ordinal);
}

/// <summary>What each audience of one meeting's presence was last sent: the members, and each guest delegation by its code.</summary>
public sealed class PresenceSent
{
    public PresenceAudience Members { get; } = new();

    public Dictionary<string, PresenceAudience> Guests { get; } = new(StringComparer.Ordinal);

    /// <summary>Until a send has gone through, every audience met is sent the whole room (see <see cref="WholeRoomFirst"/>).</summary>
    public bool WholeRoomToEveryone { get; set; }

    /// <summary>
    /// For a sender that does not know what the pages were sent before it (a new activation of the meeting's grain):
    /// a delta against nothing would never tell them who left meanwhile.
    /// </summary>
    public static PresenceSent WholeRoomFirst()
    {
        var sent = new PresenceSent { WholeRoomToEveryone = true };
        sent.Members.MarkStale();
        return sent;
    }

    /// <summary>Every audience may show these connections' carets on these items (whether it sees them is asked when sending).</summary>
    public void Show(IReadOnlyDictionary<string, HashSet<int>> shown)
    {
        Members.Show(shown);
        foreach (var guest in Guests.Values)
        {
            guest.Show(shown);
        }
    }
}

/// <summary>
/// What one audience was last sent: the people as it saw them, and the item each connection was on (among those it
/// sees), so that it is told when that connection has gone from there and takes its carets away.
/// </summary>
public sealed class PresenceAudience
{
    private int _stale;

    public IReadOnlyDictionary<string, PresenceUserDto> Users { get; private set; } = new Dictionary<string, PresenceUserDto>(StringComparer.Ordinal);

    /// <summary>The items on which this audience may show each connection's carets.</summary>
    public IReadOnlyDictionary<string, HashSet<int>> Shown => _shown;

    private Dictionary<string, HashSet<int>> _shown = new(StringComparer.Ordinal);

    /// <summary>
    /// A send to this audience failed after it was recorded (sends are not awaited, see <see cref="Sends"/>): its next
    /// message is the whole room, since it cannot tell which delta it missed. Safe from any thread.
    /// </summary>
    public void MarkStale() => Interlocked.Exchange(ref _stale, 1);

    /// <summary>True once after <see cref="MarkStale"/>.</summary>
    public bool TakeStale() => Interlocked.Exchange(ref _stale, 0) == 1;

    /// <summary>Adds items on which this audience may show connections' carets, kept until a send has named them gone.</summary>
    public void Show(IReadOnlyDictionary<string, HashSet<int>> shown)
    {
        foreach (var (connectionId, items) in shown)
        {
            if (_shown.TryGetValue(connectionId, out var known))
            {
                known.UnionWith(items);
            }
            else
            {
                _shown[connectionId] = [.. items];
            }
        }
    }

    public void Record(IEnumerable<PresenceUserDto> users, IEnumerable<PresenceEntry> onItems)
    {
        Users = users.ToDictionary(u => u.UserId, StringComparer.Ordinal);
        _shown = onItems.ToDictionary(e => e.ConnectionId, e => new HashSet<int> { e.ItemId!.Value }, StringComparer.Ordinal);
    }
}

/// <summary>
/// Opens the one sender of a meeting's presence (<see cref="PresencePace"/>) for the meeting's grain. The grain is the
/// meeting's single writer across the cluster, so its sends are the only ones: two instances each sending their own
/// deltas to the same room could deliver an older list after a newer one, and the pages would show it until the next.
/// </summary>
public sealed partial class PresenceSchedule(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PresenceSchedule> log)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a closing sender waits for the send still due before it lets the meeting go.</summary>
    public static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    /// <summary>The sender for one activation of the meeting's grain; its first send gives every audience the whole room.</summary>
    public PresencePace Open(int meetingId) => new(this, meetingId);

    internal TimeProvider Clock => clock;

    internal async Task SendAsync(
        int meetingId, PresenceSent sent, IReadOnlyDictionary<string, HashSet<int>> shown, IReadOnlyCollection<string> joined, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PresenceBroadcaster>().SendAsync(meetingId, sent, shown, joined, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: presence could not be sent")]
    internal partial void LogFailed(Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Meeting {MeetingId}: presence not sent, the app is stopping")]
    internal partial void LogStopping(int meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: the last presence send was still running after {Seconds} s as the meeting went from memory; it is dropped")]
    internal partial void LogCloseUnfinished(int meetingId, double seconds);
}

/// <summary>
/// Paces one meeting's presence, for one activation of its grain. Presence goes to everyone in the room, so one message
/// per join would make a join storm of N people cost N² entries on the wire. Here a request sends at once if the last
/// send is older than <see cref="PresenceSchedule.Interval"/>, and otherwise once the interval is over: one delta for all
/// changes made meanwhile, and one whole list (serialized once) for all the connections that joined meanwhile. Sends
/// run one at a time, each computing its delta against the one before, off the grain's scheduler.
/// A new activation (after the meeting went from memory, or moved to another instance) does not know what the pages were
/// sent, so its first send is the whole room to every audience; the one closing sends what is still due first.
/// </summary>
public sealed class PresencePace
{
    private readonly PresenceSchedule _schedule;
    private readonly int _meetingId;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _joined = new(StringComparer.Ordinal);
    private readonly PresenceSent _sent = PresenceSent.WholeRoomFirst();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _replaced = new();
    private Dictionary<string, HashSet<int>> _shown = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSent = DateTimeOffset.MinValue;
    private bool _scheduled;
    private bool _closed;
    private Task _due = Task.CompletedTask;

    internal PresencePace(PresenceSchedule schedule, int meetingId)
    {
        _schedule = schedule;
        _meetingId = meetingId;
    }

    /// <summary>
    /// A connection was shown on an item (it looked at it, or a caret of it was relayed there): the next send names it
    /// gone if it has left or turned away by then, even if no send ever listed it there. Sends nothing by itself.
    /// </summary>
    public void Shown(string connectionId, int itemId)
    {
        lock (_gate)
        {
            if (_shown.TryGetValue(connectionId, out var items))
            {
                items.Add(itemId);
            }
            else
            {
                _shown[connectionId] = [itemId];
            }
        }
    }

    /// <summary>Presence changed in the meeting; <paramref name="joinedConnectionId"/>, if given, needs the whole room.</summary>
    public void Request(string? joinedConnectionId = null)
    {
        DateTimeOffset dueAt;
        lock (_gate)
        {
            if (joinedConnectionId is not null)
            {
                _joined.Add(joinedConnectionId);
            }

            if (_scheduled || _closed)
            {
                return;
            }

            _scheduled = true;
            dueAt = _lastSent + PresenceSchedule.Interval;
            // Off the grain's scheduler: a send waits on Redis and the database, and touches nothing of the grain's.
            _due = Task.Run(() => SendAsync(dueAt));
        }
    }

    /// <summary>
    /// The meeting's grain is going: no more sends are taken, and the one still due goes out first (waited for at most
    /// <see cref="PresenceSchedule.CloseWait"/>), so that it cannot arrive after the next activation's whole room.
    /// </summary>
    public async Task CloseAsync()
    {
        Task due;
        lock (_gate)
        {
            _closed = true;
            due = _due;
        }

        try
        {
            await due.WaitAsync(PresenceSchedule.Interval + PresenceSchedule.CloseWait);
        }
        catch (TimeoutException)
        {
            _schedule.LogCloseUnfinished(_meetingId, (PresenceSchedule.Interval + PresenceSchedule.CloseWait).TotalSeconds);
        }

        // The next activation may start now, with the whole room first: a send of this one still under way (held past
        // the wait) must not arrive after it, with what it read before. It sends nothing more.
        await _replaced.CancelAsync();
    }

    private async Task SendAsync(DateTimeOffset dueAt)
    {
        try
        {
            // Measured when the wait starts, not when it was asked for: a thread pool slow to start this must not add
            // its delay to the interval (nor, with a test's clock, start a wait after the clock has passed its end).
            var wait = dueAt - _schedule.Clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _schedule.Clock);
            }

            // One send at a time: each computes its delta against the one before.
            await _sending.WaitAsync();
            try
            {
                List<string> joined;
                Dictionary<string, HashSet<int>> shown;
                lock (_gate)
                {
                    _scheduled = false;
                    _lastSent = _schedule.Clock.GetUtcNow();
                    joined = [.. _joined];
                    _joined.Clear();
                    shown = _shown;
                    _shown = new(StringComparer.Ordinal);
                }

                try
                {
                    await _schedule.SendAsync(_meetingId, _sent, shown, joined, _replaced.Token);
                }
                catch
                {
                    // Those who joined may not have had the whole room: the next send gives it to them.
                    lock (_gate)
                    {
                        _joined.UnionWith(joined);
                    }

                    throw;
                }
            }
            finally
            {
                _sending.Release();
            }
        }
        catch (OperationCanceledException) when (_replaced.IsCancellationRequested)
        {
            // The meeting went from memory while this send was held: the next activation sends the whole room.
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
        {
            // The app is stopping: nobody is left to tell.
            _schedule.LogStopping(_meetingId);
        }
        catch (Exception ex)
        {
            // The audiences not sent to keep what they were last sent: the next join, leave or focus tells them all they missed.
            _schedule.LogFailed(ex, _meetingId);
        }
    }
}
