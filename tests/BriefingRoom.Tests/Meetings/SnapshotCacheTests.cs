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

    /// <summary>
    /// A population table is committed first and the meetings using it are retallied after, each through its grain. When
    /// that second step fails (here the retally's read of the items), the meeting's number does not move, and the room
    /// cached at it kept counting with the old table, for every page that loaded it, while the database held the new one.
    /// </summary>
    [Fact]
    public async Task ARoomLoadedAfterANewPopulationTableCountsWithIt()
    {
        var fail = new FailingInterceptor(sql => sql.Contains("FROM \"Items\"", StringComparison.Ordinal) && sql.Contains("\"ItemGuests\"", StringComparison.Ordinal)
            && sql.Contains("ORDER BY \"i\".\"Number\"", StringComparison.Ordinal) && !sql.Contains("LIMIT", StringComparison.Ordinal));
        await using var app = new BriefingApp().WithServices(s => s.ConfigureDbContext<Data.SqliteBriefingDb>(o => o.AddInterceptors(fail)));
        using var admin = await app.SignInAsync("admin");
        var france = await app.SignInAsync("fr");
        var before = await france.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        Assert.DoesNotContain(before.Tallies, t => t.Population.Source == "official (test)");

        fail.FailNext();
        var loaded = await admin.PutJsonAsync("/api/population-tables/2025", new { source = "official (test)", origin = "official", csv = Population.PopulationTablesApiTests.SyntheticCsv() });
        Assert.True(fail.Failed.IsCompleted, "the retally failed");
        var stored = app.WithDb(db => db.PopulationTables.Single(t => t.Year == 2025).Source);
        Assert.Equal("official (test)", stored);

        var after = await france.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        var stale = after.Tallies.Where(t => t.Population.Source != stored).Select(t => t.ItemId).ToList();
        Assert.True(stale.Count == 0,
            $"the table was stored (the PUT answered {(int)loaded.StatusCode}); the room at sequence number {after.Seq} counts items {string.Join(", ", stale)} with the old one");
    }

    /// <summary>
    /// The same case, for a client that keeps the room and asks with its ETag: the ETag named only the meeting, the
    /// audience and the sequence number, which the failed retally did not move, so the client was told 304 and kept
    /// counting with the old table while a client without the room was given the new one.
    /// </summary>
    [Fact]
    public async Task AClientThatHasTheRoomIsNotToldItIsCurrentWhenANewPopulationTableChangedItsTallies()
    {
        var fault = new ChangeFailsIn<global::BriefingRoom.Population.Retally>(meetingId: 1);
        await using var app = new BriefingApp().WithServices(s => s.AddSingleton<Orleans.IIncomingGrainCallFilter>(fault));
        using var admin = await app.SignInAsync("admin");
        var france = await app.SignInAsync("fr");
        using var first = await france.GetAsync("/api/meetings/1/snapshot", TestHttp.Ct);
        var etag = first.Headers.ETag!;

        var loaded = await admin.PutJsonAsync("/api/population-tables/2025", new { source = "official (test)", origin = "official", csv = Population.PopulationTablesApiTests.SyntheticCsv() });
        Assert.Equal(["1"], loaded.Headers.GetValues(global::BriefingRoom.Population.PopulationTablesApi.NotRetalliedHeader));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/meetings/1/snapshot");
        request.Headers.IfNoneMatch.Add(etag);
        using var again = await france.SendAsync(request, TestHttp.Ct);
        await again.ShouldBeAsync(200);
        var room = await again.ReadAsync<MeetingSnapshot>();
        Assert.All(room.Tallies, t => Assert.Equal("official (test)", t.Population.Source));
        Assert.NotEqual(etag, again.Headers.ETag);
    }
}
