using BriefingRoom.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Realtime;

/// <summary>
/// Sends the room's presence list: the whole list to members, and to each guest delegation a list in which only
/// the items it is invited to appear, so that a guest cannot learn of other items from where people are.
/// Callers ask <see cref="PresenceSchedule"/>, which paces the lists and calls this.
/// </summary>
public sealed class PresenceBroadcaster(IPresenceStore store, IHubContext<BriefingHub, IBriefingClient> hub, BriefingDb db, ILogger<PresenceBroadcaster> log)
{
    /// <summary>Sends the room's presence list now (the schedule calls this).</summary>
    public async Task SendAsync(int meetingId, CancellationToken ct)
    {
        var entries = await store.ListAsync(meetingId);
        var full = Summarize(meetingId, entries, _ => true);
        Sends.Observe(hub.Clients.Group(MeetingGroups.Members(meetingId)).PresenceChanged(full), log, meetingId, "presence");

        var guestCodes = entries.Where(e => e.IsGuest && e.DelegationCode is not null).Select(e => e.DelegationCode!).Distinct().ToList();
        if (guestCodes.Count > 0)
        {
            var invitations = await InvitationsAsync(meetingId, ct);
            foreach (var code in guestCodes)
            {
                var visible = invitations.Where(i => i.DelegationCode == code).Select(i => i.ItemId).ToHashSet();
                Sends.Observe(hub.Clients.Group(MeetingGroups.Guest(meetingId, code)).PresenceChanged(Summarize(meetingId, entries, visible.Contains)), log, meetingId, "presence");
            }
        }
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

    private sealed record Invitation(int ItemId, string DelegationCode);
}

/// <summary>
/// Paces presence lists per meeting. Each list holds everyone in the room and goes to everyone in it, so one list per
/// join made a join storm of N people cost N² entries on the wire (about 1.3 GB for 250 people, docs/BENCHMARKS.md).
/// Here a request sends at once if the meeting's last list is older than <see cref="Interval"/>, and otherwise once
/// the interval is over, a single list for all requests made meanwhile: the latest list wins anyway.
/// </summary>
public sealed partial class PresenceSchedule(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PresenceSchedule> log)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Pace> _meetings = [];

    public void Request(int meetingId)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var pace = _meetings.TryGetValue(meetingId, out var known) ? known : _meetings[meetingId] = new Pace();
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

            lock (_gate)
            {
                var pace = _meetings[meetingId];
                pace.Scheduled = false;
                pace.LastSent = clock.GetUtcNow();
            }

            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PresenceBroadcaster>().SendAsync(meetingId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
        {
            // The app is stopping: nobody is left to tell.
            LogStopping(log, meetingId);
        }
        catch (Exception ex)
        {
            // Presence is volatile: the next join, leave or focus sends a fresh list.
            LogFailed(log, ex, meetingId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: the presence list could not be sent")]
    private static partial void LogFailed(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Meeting {MeetingId}: presence not sent, the app is stopping")]
    private static partial void LogStopping(ILogger logger, int meetingId);

    private sealed class Pace
    {
        public DateTimeOffset LastSent { get; set; } = DateTimeOffset.MinValue;
        public bool Scheduled { get; set; }
    }
}
