using BriefingRoom.Positions;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Positions;

public class PositionTests
{
    [Fact]
    public async Task AStaleVersionGets409WithTheCurrentPositionAndChangesNothing()
    {
        await using var app = new BriefingApp();
        var hungary = await app.SignInAsync("hu");
        var chair = await app.SignInAsync("chair");

        // The chair records Hungary's abstention in a tour de table...
        var recorded = await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "abstain", expectedVersion = 1 })).ReadAsync<PositionDto>();
        Assert.Equal(2, recorded.Version);
        Assert.True(recorded.RecordedOnBehalf);
        Assert.Equal("António Costa (chair)", recorded.UpdatedBy);

        // ...while Hungary, still looking at version 1, tries to oppose.
        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var stale = await hungary.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "oppose", expectedVersion = 1 });
            await stale.ShouldBeAsync(409);
            var problem = await stale.ReadJsonAsync();
            Assert.Equal("abstain", problem.GetProperty("current").GetProperty("stance").GetString());
            Assert.Equal(2, problem.GetProperty("current").GetProperty("version").GetInt32());
        });

        var own = await (await hungary.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "oppose", expectedVersion = 2 })).ReadAsync<PositionDto>();
        Assert.False(own.RecordedOnBehalf);
        Assert.Equal(3, own.Version);
    }

    [Fact]
    public async Task AFirstPositionIsWrittenAtVersionZero()
    {
        await using var app = new BriefingApp();
        var slovakia = await app.SignInAsync("sk");

        var response = await slovakia.PutJsonAsync("/api/meetings/1/items/2/positions/SK",
            new { stance = "supportWithReservation", reservationKind = "parliamentary", reservationText = "The National Council must be consulted.", expectedVersion = 0 });

        var position = await response.ReadAsync<PositionDto>();
        Assert.Equal((Stance.SupportWithReservation, ReservationKind.Parliamentary, 1), (position.Stance, position.ReservationKind!.Value, position.Version));
    }

    [Fact]
    public async Task EveryStanceChangeIsAnEventWithItsAuthor()
    {
        await using var app = new BriefingApp();
        var hungary = await app.SignInAsync("hu");
        await (await hungary.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(200);

        var page = await hungary.GetJsonAsync<ClientEventsPage>("/api/meetings/1/events?since=0");

        // The stance, then in the same transaction the item's new tally: item I has a guest (Ukraine) who does not see
        // member states' positions, so the outcome in words goes to everyone first and the whole tally to members last.
        Assert.Equal(["position.changed", "tally.changed", "tally.changed"], page.Events.Select(e => e.Type));
        Assert.True(page.Events[1].Payload.GetProperty("tally").GetProperty("positionsWithheld").GetBoolean());
        Assert.False(page.Events[2].Payload.GetProperty("tally").GetProperty("positionsWithheld").GetBoolean());
        var e = page.Events[0];
        Assert.Equal(("position.changed", 1, "Hungary delegate", 1L), (e.Type, e.ItemId!.Value, e.Actor, e.Seq));
        Assert.Equal("abstain", e.Payload.GetProperty("stance").GetString());
    }
}
