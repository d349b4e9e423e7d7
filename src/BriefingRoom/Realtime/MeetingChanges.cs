using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Meetings;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Realtime;

/// <summary>What a change sees inside its transaction.</summary>
public sealed record ChangeContext(BriefingDb Db, Meeting Meeting, MeetingAccess Access, DateTimeOffset Now);

/// <summary>
/// The one code path for every change to a meeting, from REST and from the hub alike:
/// the caller has been authorized; here the change is validated and applied, and the meeting's next
/// sequence number and its event are written, all in one transaction; after the commit the event is published.
/// </summary>
public sealed partial class MeetingChanges(BriefingDb db, SqliteWriteGate writers, MeetingEventPublisher publisher, TimeProvider clock, Hosting.BriefingMetrics metrics, ILogger<MeetingChanges> log)
{
    /// <summary>Concurrent writers on several instances race for the sequence number; the loser starts over on fresh data.</summary>
    private const int MaxAttempts = 20;

    public async Task<Outcome<T>> ApplyAsync<T>(
        MeetingAccess access,
        Func<ChangeContext, Task<Outcome<ChangeStep<T>>>> change,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            // On SQLite this process's writers queue here rather than in SQLite's busy loop, and the turn is held
            // until the events are handed to SignalR, so that they also leave in sequence order.
            using var turn = await writers.EnterAsync(db, ct);
            // One snapshot for the whole change: on PostgreSQL, repeatable read, so that the text, its log and the
            // sequence number are read as of one moment, and a concurrent writer makes this one fail and retry
            // rather than see half of another change. SQLite takes the write lock at BEGIN and needs no more.
            await using var tx = db.Database.IsSqlite()
                ? await db.Database.BeginTransactionAsync(ct)
                : await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == access.MeetingId, ct);
            if (meeting is null)
            {
                return new NotFoundRefusal($"Meeting {access.MeetingId} does not exist.");
            }

            var now = clock.GetUtcNow();
            var outcome = await change(new ChangeContext(db, meeting, access, now));
            if (outcome.Refusal is not null)
            {
                await tx.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                return outcome.Refusal;
            }

            var step = outcome.Value!;
            var written = new List<(MeetingEvent Stored, PendingEvent Pending)>(step.Events.Count);
            foreach (var pending in step.Events)
            {
                meeting.LastSeq++;
                var stored = new MeetingEvent
                {
                    MeetingId = meeting.Id,
                    Seq = meeting.LastSeq,
                    Type = pending.Type,
                    ItemId = pending.ItemId,
                    Payload = JsonSerializer.Serialize(pending.Payload, BriefingJson.Options),
                    GuestAudience = pending.GuestAudience is null ? null : string.Join(',', pending.GuestAudience),
                    ActorUserId = access.Caller.UserId,
                    ActorName = access.Caller.Name,
                    OccurredAt = now,
                };
                db.Events.Add(stored);
                written.Add((stored, pending));
            }

            try
            {
                // Once made, the change is written or rolled back whole, whether or not its caller is still there:
                // a commit cut off by a dropped link would only fail noisily and leave nothing better behind.
                await db.SaveChangesAsync(CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
            }
            catch (Exception ex) when (attempt < MaxAttempts && DatabaseErrors.IsLostRace(ex))
            {
                LogLostRace(log, access.MeetingId, attempt);
                continue;
            }

            db.ChangeTracker.Clear();
            foreach (var (stored, pending) in written)
            {
                publisher.Publish(MeetingEventDto.From(stored, pending.Payload), pending.GuestAudience);
                metrics.Events.Add(1, new KeyValuePair<string, object?>("type", stored.Type));
            }

            return step.Value;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingId}: lost the race for the next sequence number (attempt {Attempt}); retrying")]
    private static partial void LogLostRace(ILogger logger, int meetingId, int attempt);
}
