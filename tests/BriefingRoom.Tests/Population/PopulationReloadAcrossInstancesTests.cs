using BriefingRoom.Meetings;
using BriefingRoom.Population;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BriefingRoom.Tests.Population;

/// <summary>
/// A population table loaded through one instance, with the other serving cached rooms of a meeting whose retally
/// could not move its sequence number (its grain refusing the change): the rooms are counted with the table in them.
/// </summary>
public sealed class PopulationReloadAcrossInstancesTests : TwoInstancesTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ChangeFailsIn<Retally> _fault = new(meetingId: 1);

    // Each instance reaches Redis through a relay of its own, which a test can cut.
    private StallingLink? _redisOfA;
    private StallingLink? _redisOfB;

    // A's publishes to drop the rooms, which a test can make fail with the link standing.
    private readonly RedisCallsFailing _forgetOfA = new(nameof(ISubscriber.PublishAsync), channel => channel.EndsWith("rooms:forget", StringComparison.Ordinal));

    // The test asks B for the room until it reflects the table (for at most ten seconds), more often than a person would.
    protected override BriefingApp Configure(BriefingApp instance) => instance.WithServices(s => s.AddSingleton<IIncomingGrainCallFilter>(_fault))
        .With("Briefing:RateLimits:ApiPerSecond", "100000").With("Briefing:RateLimits:ApiBurst", "100000");

    protected override BriefingApp ConfigureFirst(BriefingApp instance) =>
        Relayed(instance, _redisOfA = new(ExternalServices.Redis!)).WithServices(_forgetOfA.Install);

    protected override BriefingApp ConfigureSecond(BriefingApp instance) => Relayed(instance, _redisOfB = new(ExternalServices.Redis!));

    // A publish while the link is cut waits in StackExchange.Redis's backlog for this long, then fails.
    private static BriefingApp Relayed(BriefingApp instance, StallingLink redis) =>
        instance.With("ConnectionStrings:Redis", $"{redis.Address},asyncTimeout=1000,syncTimeout=1000");

    protected override async ValueTask DisposeMoreAsync()
    {
        foreach (var relay in new[] { _redisOfA, _redisOfB })
        {
            if (relay is not null)
            {
                await relay.DisposeAsync();
            }
        }
    }

    private static IEnumerable<PopulationFigureOrigin> Origins(MeetingSnapshot room) => room.Tallies.Select(t => t.Population.Origin).Distinct();

    [Fact]
    public async Task ATableLoadedThroughOneInstanceIsInTheRoomsTheOtherServes()
    {
        var france = await B.TokenForAsync("fr");
        var before = await B.SnapshotAsync(france, 1);
        Assert.Equal([PopulationFigureOrigin.DerivedFromPublishedShares], Origins(before));

        using var admin = await A.SignInAsync("admin");
        using var loaded = await admin.PutJsonAsync("/api/population-tables/2025", new { source = "official (test)", origin = "official", csv = PopulationTablesApiTests.SyntheticCsv() });
        Assert.True(_fault.Failed > 0, "meeting 1's retally failed, so its sequence number did not move");
        Assert.Equal(before.Seq, A.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq));

        // B hears of the table through Redis a moment after A committed it.
        Assert.Equal([PopulationFigureOrigin.Official], await OriginsOnBOnceOfficialAsync(france, TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// Redis keeps no message for a subscriber that is not connected: B, cut off from Redis while A loaded the table, never
    /// heard that its rooms were out of date, and went on serving them, counted with the old table, for as long as the
    /// meeting's number stood still.
    /// </summary>
    [Fact]
    public async Task AnInstanceCutOffFromRedisWhileTheTableWasLoadedDropsItsRoomsWhenTheLinkIsBack()
    {
        var france = await B.TokenForAsync("fr");
        var before = await B.SnapshotAsync(france, 1);
        Assert.Equal([PopulationFigureOrigin.DerivedFromPublishedShares], Origins(before));

        await CutAsync(B, _redisOfB!, ConnectionType.Subscription);
        await LoadTableThroughAAsync(before.Seq);
        Assert.Equal([PopulationFigureOrigin.DerivedFromPublishedShares], Origins(await B.SnapshotAsync(france, 1)));

        _redisOfB!.Resume();
        Assert.Equal([PopulationFigureOrigin.Official], await OriginsOnBOnceOfficialAsync(france, TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// The instance that loaded the table while it could not reach Redis logged that it could not tell the others, and that
    /// was all: they served the old rooms until the meeting next moved. It now tells them once its link is back.
    /// </summary>
    [Fact]
    public async Task AnInstanceThatCouldNotTellTheOthersTellsThemWhenItsLinkIsBack()
    {
        var france = await B.TokenForAsync("fr");
        var before = await B.SnapshotAsync(france, 1);

        await CutAsync(A, _redisOfA!, ConnectionType.Interactive);
        await LoadTableThroughAAsync(before.Seq);
        Assert.Equal([PopulationFigureOrigin.DerivedFromPublishedShares], Origins(await B.SnapshotAsync(france, 1)));

        _redisOfA!.Resume();
        Assert.Equal([PopulationFigureOrigin.Official], await OriginsOnBOnceOfficialAsync(france, TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// A publish that Redis did not take while no link was seen to go or come back (Redis stalled for a moment; or the
    /// link's two events both came while the try still waited in the client's backlog, which then failed it): A tried
    /// once, and B served the old rooms until the meeting next moved. The message is now owed until Redis takes it.
    /// </summary>
    [Fact]
    public async Task AMessageRedisDidNotTakeIsTriedAgainUntilItDoes()
    {
        var france = await B.TokenForAsync("fr");
        var before = await B.SnapshotAsync(france, 1);

        _forgetOfA.Start();
        await LoadTableThroughAAsync(before.Seq);
        Assert.True(_forgetOfA.Failed > 0, "A's publish failed");
        Assert.Equal([PopulationFigureOrigin.DerivedFromPublishedShares], Origins(await B.SnapshotAsync(france, 1)));

        _forgetOfA.Stop();
        Assert.Equal([PopulationFigureOrigin.Official], await OriginsOnBOnceOfficialAsync(france, TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// A publish that fails in a way nobody foresaw (not one of Redis's own failures): the table was loaded and committed,
    /// but the load was answered 500; and had it failed in the retries, the background service's end would have stopped
    /// the whole instance. It is owed and tried again as any other failure is.
    /// </summary>
    [Fact]
    public async Task APublishThatFailsInAnUnforeseenWayNeitherFailsTheLoadNorEndsTheRetries()
    {
        var france = await B.TokenForAsync("fr");
        var before = await B.SnapshotAsync(france, 1);

        _forgetOfA.Start(channel => new InvalidOperationException($"PUBLISH {channel} failed in a way nobody foresaw (a fault of the test)"));
        await LoadTableThroughAAsync(before.Seq);
        await _forgetOfA.FailsAgainAsync(2, TimeSpan.FromSeconds(30));
        Assert.Equal([PopulationFigureOrigin.DerivedFromPublishedShares], Origins(await B.SnapshotAsync(france, 1)));

        _forgetOfA.Stop();
        Assert.Equal([PopulationFigureOrigin.Official], await OriginsOnBOnceOfficialAsync(france, TimeSpan.FromSeconds(30)));
        Assert.Equal("Healthy", await A.CreateClient().GetStringAsync("/healthz", Ct));
    }

    /// <summary>Cuts <paramref name="instance"/>'s link to Redis, and waits until its <paramref name="link"/> has seen it go.</summary>
    private static async Task CutAsync(BriefingApp instance, StallingLink redis, ConnectionType link)
    {
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        instance.Services.GetRequiredService<IConnectionMultiplexer>().ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == link)
            {
                gone.TrySetResult();
            }
        };
        redis.CutOff();
        await gone.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
    }

    /// <summary>An official table for 2025 through A, whose retally of meeting 1 fails, so that its number stays at <paramref name="seq"/>.</summary>
    private async Task LoadTableThroughAAsync(long seq)
    {
        using var admin = await A.SignInAsync("admin");
        using var loaded = await admin.PutJsonAsync("/api/population-tables/2025", new { source = "official (test)", origin = "official", csv = PopulationTablesApiTests.SyntheticCsv() });
        await loaded.ShouldBeAsync(200);
        Assert.True(_fault.Failed > 0, "meeting 1's retally failed, so its sequence number did not move");
        Assert.Equal(seq, A.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq));
    }

    /// <summary>The origins of B's room for France, asked for until they are the official table's or <paramref name="within"/> is up.</summary>
    private async Task<IEnumerable<PopulationFigureOrigin>> OriginsOnBOnceOfficialAsync(string france, TimeSpan within)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(within);
        MeetingSnapshot room;
        do
        {
            room = await B.SnapshotAsync(france, 1);
        }
        while (!Origins(room).SequenceEqual([PopulationFigureOrigin.Official]) && !deadline.IsCancellationRequested);

        return Origins(room);
    }
}
