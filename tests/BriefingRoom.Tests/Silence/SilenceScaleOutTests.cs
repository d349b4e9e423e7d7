using BriefingRoom.Silence;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Silence;

/// <summary>
/// Two instances on one PostgreSQL database and one Redis, both running the silence timer on the same (fake) clock: both
/// notice the deadline at the same moment, and the procedure still concludes exactly once.
/// </summary>
public sealed class SilenceScaleOutTests : TwoInstancesTest
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = SilenceClock.New();

    protected override BriefingApp Configure(BriefingApp instance) => instance.WithSilenceClock(_clock);

    [Fact]
    public async Task BothInstancesNoticeTheDeadlineAndTheProcedureConcludesExactlyOnce()
    {
        await using var onA = await RoomClient.JoinAsync(A, "fr");
        await using var onB = await RoomClient.JoinAsync(B, "de");
        var chair = await B.SignInAsync("chair");
        // Opened through A and through B, so that each instance has a deadline it expects.
        await (await (await A.SignInAsync("chair")).PostJsonAsync("/api/meetings/1/items/3/silence", SilenceClock.OpenUntil(_clock.GetUtcNow().AddHours(1)))).ShouldBeAsync(200);
        await (await chair.PostJsonAsync("/api/meetings/1/items/4/silence", SilenceClock.OpenUntil(_clock.GetUtcNow().AddHours(1)))).ShouldBeAsync(200);
        await onA.WaitUntilAsync(c => c.Events.Count(e => e.Type == "silence.opened") == 2, "A sees both procedures open");

        _clock.Advance(TimeSpan.FromHours(1));
        await onA.WaitUntilAsync(c => c.Events.Count(e => e.Type == "silence.concluded") == 2, "A sees both concluded");
        await onB.WaitUntilAsync(c => c.Events.Count(e => e.Type == "silence.concluded") == 2, "B sees both concluded");

        // Both timers have looked by now (each concludes what it finds due, or finds it concluded); push them to look
        // again: a procedure that is no longer open does not conclude twice.
        _clock.Advance(SilenceTimer.Rescan);
        await (await chair.PostJsonAsync("/api/meetings/1/items/2/versions", new { name = "a marker after the timers' second look" })).ShouldBeAsync(200);
        await onA.WaitUntilAsync(c => c.Events.Any(e => e.Type == "version.saved"), "A has everything up to the marker");

        Assert.Equal(2, A.WithDb(db => db.Events.Count(e => e.Type == "silence.concluded")));
        Assert.Equal([3, 4], A.WithDb(db => db.Events.Where(e => e.Type == "silence.concluded").Select(e => e.ItemId!.Value).OrderBy(i => i).ToList()));
        Assert.Equal(2, A.WithDb(db => db.Events.Count(e => e.Type == "item.status")));
        Assert.Equal(2, onA.Events.Count(e => e.Type == "silence.concluded"));
        Assert.Equal(2, onB.Events.Count(e => e.Type == "silence.concluded"));
    }
}
