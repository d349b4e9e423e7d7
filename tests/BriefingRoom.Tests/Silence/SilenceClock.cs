using BriefingRoom.Silence;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BriefingRoom.Tests.Silence;

/// <summary>A fake clock for silence deadlines only: the test moves it; the cluster's own timers keep real time.</summary>
public static class SilenceClock
{
    public static FakeTimeProvider New() => new(DateTimeOffset.UtcNow);

    public static BriefingApp WithSilenceClock(this BriefingApp app, FakeTimeProvider clock) =>
        app.WithServices(s => s.AddKeyedSingleton<TimeProvider>(SilenceSetup.ClockKey, clock));

    public static object OpenUntil(DateTimeOffset deadline) => new { deadline };
}
