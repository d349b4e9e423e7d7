using BriefingRoom.Tests.Coalitions;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Realtime;

/// <summary>coalition.* events carry the whole list and the wording, to those who may see the item.</summary>
public class CoalitionEventsTests
{
    private const string M = "/api/meetings/1";

    private static string[] CoalitionEvents(RoomClient client) =>
        [.. client.Events.Where(e => e.Type.StartsWith("coalition.", StringComparison.Ordinal)).Select(e => $"{e.Type}:{e.ItemId}")];

    [Fact]
    public async Task MembersHearEveryCoalitionAndAGuestOnlyThoseOfItsItems()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var ukRest = await app.SignInAsync("uk");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var uk = await RoomClient.JoinAsync(app, "uk");

        await CoalitionApiTests.FormAsync(chair, 1);
        await CoalitionApiTests.FormAsync(chair, 2);
        await (await ukRest.PostJsonAsync($"{M}/items/2/coalition/signatories/UK", null)).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/2/coalition/lock", null)).ShouldBeAsync(200);

        await france.WaitUntilAsync(c => CoalitionEvents(c).Length == 4, "France hears four coalition events");
        await uk.WaitUntilAsync(c => CoalitionEvents(c).Contains("coalition.locked:2"), "the United Kingdom hears the list closed");
        Assert.Equal(["coalition.created:1", "coalition.created:2", "coalition.joined:2", "coalition.locked:2"], CoalitionEvents(france));
        Assert.Equal(["coalition.created:2", "coalition.joined:2", "coalition.locked:2"], CoalitionEvents(uk));
        Assert.DoesNotContain(uk.Events, e => e.ItemId == 1);

        var created = france.Events.First(e => e.Type == "coalition.created").Payload;
        Assert.Equal("Firmly supported by 26 heads of state or government", created.GetProperty("wording").GetString());
        Assert.Equal(26, created.GetProperty("signatories").GetArrayLength());
        var closed = uk.Events.Single(e => e.Type == "coalition.locked").Payload;
        Assert.True(closed.GetProperty("locked").GetBoolean());
        Assert.Equal("Firmly supported by 25 heads of state or government and by the United Kingdom", closed.GetProperty("wording").GetString());
        Assert.Equal(26, closed.GetProperty("signatories").GetArrayLength());
        Assert.Equal("guest", closed.GetProperty("signatories")[25].GetProperty("kind").GetString());

        // The status moved with the coalition's creation, in the event just before it.
        var status = france.Events.Single(e => e.Seq == france.Events.First(e => e.Type == "coalition.created").Seq - 1);
        Assert.Equal(("item.status", "coalition"), (status.Type, status.Payload.GetProperty("status").GetString()));
    }
}
