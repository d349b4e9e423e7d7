using System.Text.Json;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Tally;

/// <summary>
/// A guest sees an item's rule, thresholds and outcome in words, and nobody's stance: so the thresholds it sees may not
/// move with a member state's stance either (a member state that does not take part shrinks the voting body).
/// </summary>
public class GuestTallyReviewTests
{
    private const string M = "/api/meetings/1";

    [Fact]
    public async Task AMemberStateNotTakingPartIsNotRevealedToAGuestByTheThresholds()
    {
        await using var app = new BriefingApp();
        using var denmark = await app.SignInAsync("dk");
        using var uk = await app.SignInAsync("uk");
        var before = await uk.GetJsonAsync<JsonElement>($"{M}/items/2/tally");
        var since = (await uk.GetJsonAsync<MeetingSnapshot>(M)).Seq;
        Assert.True(before.GetProperty("positionsWithheld").GetBoolean());

        var put = await denmark.PutJsonAsync($"{M}/items/2/positions/DK", new { stance = "notTakingPart", expectedVersion = app.PositionVersion(2, "DK") });
        await put.ShouldBeAsync(200);

        // The outcome is the same (Hungary and Slovakia have not said), so nothing the guest may see has changed.
        var after = await uk.GetJsonAsync<JsonElement>($"{M}/items/2/tally");
        Assert.Equal(before.GetProperty("outcome").GetString(), after.GetProperty("outcome").GetString());
        Assert.Equal(before.GetRawText(), after.GetRawText());
        var snapshot = await uk.GetJsonAsync<MeetingSnapshot>(M);
        Assert.Equal(27, snapshot.Tallies.Single(t => t.ItemId == 2).Thresholds.ParticipatingMembers);
        var page = await uk.GetJsonAsync<JsonElement>($"{M}/events?since={since}");
        var heard = page.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "tally.changed").ToList();
        Assert.NotEmpty(heard);
        Assert.All(heard, e => Assert.Equal(before.GetRawText(), e.GetProperty("payload").GetProperty("tally").GetRawText()));
    }
}
