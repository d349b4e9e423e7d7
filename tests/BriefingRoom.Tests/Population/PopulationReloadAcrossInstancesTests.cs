using BriefingRoom.Meetings;
using BriefingRoom.Population;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Population;

/// <summary>
/// A population table loaded through one instance, with the other serving cached rooms of a meeting whose retally
/// could not move its sequence number (its grain refusing the change): the rooms are counted with the table in them.
/// </summary>
public sealed class PopulationReloadAcrossInstancesTests : TwoInstancesTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ChangeFailsIn<Retally> _fault = new(meetingId: 1);

    // The test asks B for the room until it reflects the table (for at most ten seconds), more often than a person would.
    protected override BriefingApp Configure(BriefingApp instance) => instance.WithServices(s => s.AddSingleton<IIncomingGrainCallFilter>(_fault))
        .With("Briefing:RateLimits:ApiPerSecond", "100000").With("Briefing:RateLimits:ApiBurst", "100000");

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

        // B hears of the table through Redis a moment after A committed it: ask until it has, for at most ten seconds.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        MeetingSnapshot room;
        do
        {
            room = await B.SnapshotAsync(france, 1);
        }
        while (!Origins(room).SequenceEqual([PopulationFigureOrigin.Official]) && !deadline.IsCancellationRequested);

        Assert.Equal([PopulationFigureOrigin.Official], Origins(room));
    }
}
