using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BriefingRoom.Tests.Meetings;

/// <summary>The rooms the snapshot endpoint keeps built go once nobody asks for them; the sweep's clock is moved by the test.</summary>
public class SnapshotCacheTests
{
    [Fact]
    public async Task ARoomNobodyAsksForIsDroppedAndBuiltAgainWhenAskedOneInUseStays()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new BriefingApp().WithServices(s => s.AddKeyedSingleton<TimeProvider>(SnapshotCache.ClockKey, clock));
        var cache = app.Services.GetRequiredService<SnapshotCache>();
        var germany = await app.SignInAsync("de");
        var uk = await app.SignInAsync("uk");
        var first = await germany.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        await uk.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        Assert.Equal(2, cache.Count);

        // The members' room is asked for again halfway; the guest's is not.
        clock.Advance(SnapshotCache.KeptUnused / 2);
        await germany.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        clock.Advance(SnapshotCache.KeptUnused / 2);
        Assert.Equal(1, cache.Count);

        // Then nobody asks for either: both go. Asked for again, the room is built again, the same.
        clock.Advance(SnapshotCache.KeptUnused);
        Assert.Equal(0, cache.Count);
        var again = await germany.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        Assert.Equal(first.Seq, again.Seq);
        Assert.Equal(first.Texts.Select(t => (t.Id, t.Text)), again.Texts.Select(t => (t.Id, t.Text)));
        Assert.Equal(1, cache.Count);
    }
}
