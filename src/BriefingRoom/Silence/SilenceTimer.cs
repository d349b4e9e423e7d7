using BriefingRoom.Data;
using BriefingRoom.Live;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Silence;

/// <summary>
/// The durable timer of silence procedures. The open procedures are rows with their deadlines: this service, on every
/// instance, reads them at start-up (a deadline that passed while the app was down concludes at once), sleeps until the
/// next deadline (woken sooner when a procedure opens here), and asks the meeting's grain to conclude each one that is
/// due. The grain is the meeting's single writer across the cluster and <see cref="ConcludeSilence"/> concludes only an
/// open, due procedure, so when several instances notice the same deadline it is still concluded exactly once. It also
/// looks again every <see cref="Rescan"/>, for procedures opened on an instance that has gone since.
/// </summary>
public sealed partial class SilenceTimer(
    IServiceScopeFactory scopes, IGrainFactory grains, [FromKeyedServices(SilenceSetup.ClockKey)] TimeProvider clock,
    IHostApplicationLifetime lifetime, ILogger<SilenceTimer> log) : BackgroundService
{
    public static readonly TimeSpan Rescan = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly SortedSet<DateTimeOffset> _expected = [];
    private CancellationTokenSource? _sleep;
    private DateTimeOffset _sleepUntil = DateTimeOffset.MaxValue;

    /// <summary>A procedure opened with this deadline: wake then, whatever the database said at the last look.</summary>
    public void Expect(DateTimeOffset deadline)
    {
        lock (_gate)
        {
            _expected.Add(deadline);
            if (deadline < _sleepUntil)
            {
                _sleep?.Cancel();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grains answer once the silo has started, which is part of the host's start.
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                try
                {
                    await started.Task;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next;
            try
            {
                next = await ConcludeDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or the grain was not there this time; the procedures wait in the database for the next look.
                LogPassFailed(log, ex);
                next = clock.GetUtcNow() + TimeSpan.FromSeconds(5);
            }

            await SleepAsync(next, stoppingToken);
        }
    }

    /// <summary>Concludes every open procedure that is due; returns the next deadline still ahead, if any.</summary>
    private async Task<DateTimeOffset?> ConcludeDueAsync(CancellationToken ct)
    {
        List<(int Id, int MeetingId, DateTimeOffset Deadline)> open;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
            // Few rows (open procedures only); sorted here, since SQLite cannot order by a DateTimeOffset.
            open = [.. (await db.Set<SilenceProcedure>().AsNoTracking().Where(s => s.State == SilenceState.Open)
                .Select(s => new { s.Id, s.MeetingId, s.Deadline }).ToListAsync(ct))
                .Select(s => (s.Id, s.MeetingId, s.Deadline))];
        }

        var now = clock.GetUtcNow();
        var again = false;
        foreach (var (id, meetingId, _) in open.Where(s => s.Deadline <= now).OrderBy(s => s.Deadline))
        {
            // One meeting whose procedure cannot conclude now (its grain failing, its database refusing) must not hold
            // up the other meetings' deadlines: it is tried again shortly, and the pass goes on.
            try
            {
                var outcome = await GrainCalls.OnceAsync(() => grains.GetGrain<IMeetingGrain>(meetingId).Change(SilenceRules.Procedure, new ConcludeSilence(id)));
                if (outcome.Refusal is { } refusal)
                {
                    LogNotConcluded(log, id, meetingId, refusal.Detail);
                    again = true;
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogConcludeFailed(log, ex, id, meetingId);
                again = true;
            }
        }

        lock (_gate)
        {
            _expected.RemoveWhere(d => d <= now);
        }

        var next = open.Where(s => s.Deadline > now).Select(s => (DateTimeOffset?)s.Deadline).Min();
        var soon = now + TimeSpan.FromSeconds(5);
        return again && (next is null || next > soon) ? soon : next;
    }

    private async Task SleepAsync(DateTimeOffset? next, CancellationToken stoppingToken)
    {
        CancellationTokenSource sleep;
        TimeSpan wait;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var until = now + Rescan;
            if (next is { } n && n < until)
            {
                until = n;
            }

            if (_expected.Count > 0 && _expected.Min < until)
            {
                until = _expected.Min;
            }

            _sleep = sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _sleepUntil = until;
            wait = until - now;
        }

        try
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, sleep.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Woken by a new deadline, or stopping: the loop decides.
        }
        finally
        {
            lock (_gate)
            {
                _sleep = null;
                _sleepUntil = DateTimeOffset.MaxValue;
            }

            sleep.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pass over the silence procedures failed; trying again shortly")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silence procedure {ProcedureId} of meeting {MeetingId} could not be concluded; trying again shortly")]
    private static partial void LogConcludeFailed(ILogger logger, Exception ex, int procedureId, int meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silence procedure {ProcedureId} of meeting {MeetingId} did not conclude: {Reason}; trying again shortly")]
    private static partial void LogNotConcluded(ILogger logger, int procedureId, int meetingId, string reason);
}
