using BriefingRoom.Agenda;
using BriefingRoom.Coalitions;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Coalitions;

/// <summary>
/// A guest signs a statement only on an item it is invited to; no change to the item's guests, and no restore, may leave
/// a guest that is no longer invited among the signatories, where nobody could withdraw its signature.
/// </summary>
public class CoalitionGuestSignatoryTests
{
    private const string M = "/api/meetings/1";

    private static async Task<AgendaItemDto> ItemAsync(HttpClient chair, int itemId) =>
        (await chair.GetJsonAsync<MeetingSnapshot>(M)).Items.Single(i => i.Id == itemId);

    private static Task<HttpResponseMessage> SetGuestsAsync(HttpClient chair, AgendaItemDto item, IEnumerable<string> guests) =>
        chair.PutJsonAsync($"{M}/items/{item.Id}", new { title = item.Title, description = item.Description, rule = item.Rule, guests = guests.ToList(), expectedVersion = item.Version });

    [Fact]
    public async Task AGuestThatSignedCannotBeDroppedFromTheItemWhileItsSignatureStands()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var uk = await app.SignInAsync("uk");
        await CoalitionApiTests.FormAsync(chair, 2);
        await (await uk.PostJsonAsync($"{M}/items/2/coalition/signatories/UK", null)).ShouldBeAsync(200);
        var item = await ItemAsync(chair, 2);
        Assert.Contains("UK", item.Guests);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => SetGuestsAsync(chair, item, item.Guests.Where(g => g != "UK")));

        await response.ShouldBeAsync(409);
        Assert.Contains("United Kingdom", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
        // Once its signature is withdrawn (on its behalf), the guest can be dropped.
        await (await chair.DeleteAsync($"{M}/items/2/coalition/signatories/UK", TestHttp.Ct)).ShouldBeAsync(200);
        await (await SetGuestsAsync(chair, await ItemAsync(chair, 2), item.Guests.Where(g => g != "UK"))).ShouldBeAsync(200);
    }

    [Fact]
    public async Task RestoringACoalitionLeavesOutAGuestNoLongerInvitedToTheItem()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var uk = await app.SignInAsync("uk");
        await CoalitionApiTests.FormAsync(chair, 2);
        await (await uk.PostJsonAsync($"{M}/items/2/coalition/signatories/UK", null)).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/2/status", new { status = "notAgreed", confirm = true })).ShouldBeAsync(200);
        var item = await ItemAsync(chair, 2);
        await (await SetGuestsAsync(chair, item, item.Guests.Where(g => g != "UK"))).ShouldBeAsync(200);

        var response = await chair.PostJsonAsync($"{M}/items/2/coalition/restore", null);

        await response.ShouldBeAsync(200);
        var restored = await response.ReadAsync<CoalitionRestoredDto>();
        Assert.DoesNotContain(restored.Coalition.Signatories, s => s.Code == "UK");
        Assert.Contains(restored.NotRestored, s => s.Code == "UK");
        Assert.DoesNotContain(Assert.Single((await chair.GetJsonAsync<MeetingSnapshot>(M)).Coalitions).Signatories, s => s.Code == "UK");
    }
}
