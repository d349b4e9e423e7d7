using System.Text.Json;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Realtime;

/// <summary>A guest delegation dropped from an item learns only that the item is no longer visible to it, live and on catch-up.</summary>
public class GuestDroppedFromItemTests
{
    private const string SecretTitle = "Security guarantees: the members' own wording";
    private const string SecretDescription = "What the guests must not read any more.";

    private static bool Leaks(ClientEvent e) => e.Payload.GetRawText().Contains("Security guarantees", StringComparison.Ordinal)
        || e.Payload.GetRawText().Contains("must not read", StringComparison.Ordinal);

    [Fact]
    public async Task ADroppedGuestHearsOnlyThatTheItemIsHiddenWhileTheOthersHearWhatChanged()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await using var ukraine = await RoomClient.JoinAsync(app, "ua");
        await using var ukraineLater = await RoomClient.JoinAsync(app, "ua");
        await using var unitedKingdom = await RoomClient.JoinAsync(app, "uk");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var before = france.LastSeq;
        await ukraineLater.DropAsync();

        var item = (await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Items.Single(i => i.Id == 2);
        Assert.Contains("UA", item.Guests);
        var response = await chair.PutJsonAsync("/api/meetings/1/items/2", new
        {
            title = SecretTitle, description = SecretDescription, rule = item.Rule,
            guests = item.Guests.Where(g => g != "UA").ToArray(), expectedVersion = item.Version,
        });
        await response.ShouldBeAsync(200);

        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.updated" && e.ItemId == 2 && Leaks(e)), "France hears the new title");
        await unitedKingdom.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.updated" && e.ItemId == 2 && Leaks(e)), "a guest still invited hears it too");
        await ukraine.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.hidden"), "Ukraine hears the item is hidden");
        // Whatever else the change produced (the tally) has reached France; anything meant for Ukraine has reached it by now too.
        await france.WaitUntilAsync(c => c.LastSeq >= app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq), "France is up to date");
        await ukraine.WaitUntilAsync(c => c.LastSeq >= france.LastSeq, "Ukraine is up to date");

        AssertOnlyHidden(ukraine.Events.Where(e => e.Seq > before).ToList());
        Assert.Contains(france.Events, e => e.Type == "item.hidden" && e.ItemId == 2);
        Assert.DoesNotContain(unitedKingdom.Events, e => e.Type == "item.hidden");

        // Catching up after a dropped link gives exactly what live delivery gave.
        await ukraineLater.ReconnectAsync();
        await ukraineLater.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.hidden"), "the reconnected client catches up");
        AssertOnlyHidden(ukraineLater.Events.Where(e => e.Seq > before).ToList());
        var page = await (await app.SignInAsync("ua")).GetJsonAsync<ClientEventsPage>($"/api/meetings/1/events?since={before}");
        AssertOnlyHidden([.. page.Events]);

        // A fresh snapshot no longer shows the item at all.
        Assert.DoesNotContain(ukraineLater.Snapshot!.Items, i => i.Id == 2 && i.Title == SecretTitle);
        Assert.DoesNotContain((await (await app.SignInAsync("ua")).GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Items, i => i.Id == 2);
    }

    private static void AssertOnlyHidden(List<ClientEvent> events)
    {
        Assert.DoesNotContain(events, Leaks);
        var aboutTheItem = events.Where(e => e.ItemId == 2).ToList();
        var hidden = Assert.Single(aboutTheItem);
        Assert.Equal("item.hidden", hidden.Type);
        Assert.Equal("""{"itemId":2}""", JsonSerializer.Serialize(hidden.Payload));
    }
}
