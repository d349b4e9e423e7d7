using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// What a guest delegation may see of the room when it is connected to one instance and the members to the other:
/// presence and carets go out from the meeting's grain, wherever it runs, through the Redis backplane, and must keep to
/// the guest's items there as on one instance (<see cref="PresenceAudienceTests"/>). In the demo the United Kingdom is a
/// guest on item 2 only.
/// </summary>
public sealed class GuestViewAcrossInstancesTests : TwoInstancesTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AGuestOnOneInstanceSeesTheMembersOnlyOnItsOwnItemWhereverTheyAreConnected()
    {
        await using var uk = await RoomClient.JoinAsync(B, "uk");
        await using var chair = await RoomClient.JoinAsync(A, "chair");
        await using var franceOnItem1 = await A.JoinNamedAsync("fr");
        await using var franceOnItem2 = await A.JoinNamedAsync("fr");

        await franceOnItem1.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await franceOnItem2.Hub.InvokeAsync("Focus", 1, (int?)2, Ct);
        await chair.WaitUntilAsync(c => c.ItemsOf("FR") is { } items && items.Contains(1) && items.Contains(2), "the chair, on A, sees France on items 1 and 2");

        // A caret in item 1's draft (not the UK's) first, then one in item 2's (the UK's): carets go out in order, so
        // once the UK has the second, it has had whatever it was going to be sent of the first.
        await franceOnItem1.MoveCaretAsync("draft:1", 5);
        await chair.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == franceOnItem1.Hub.ConnectionId && x.DocumentId == "draft:1"), "the chair sees France's caret in item 1's draft");
        await franceOnItem2.MoveCaretAsync("draft:2", 3);
        await uk.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == franceOnItem2.Hub.ConnectionId && x.DocumentId == "draft:2"), "the UK, on B, sees France's caret in item 2's draft, its own item");
        await uk.WaitUntilAsync(c => c.ItemsOf("FR")?.Contains(2) == true, "the UK, on B, sees France on item 2");

        // Presence goes out in order too: once the UK sees Germany come in, it has had everything about France's moves.
        await using var germany = await RoomClient.JoinAsync(A, "de");
        await uk.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "DE") == true, "the UK sees Germany come in");

        var outside = uk.Carets.Where(x => x.DocumentId != "draft:2").ToList();
        Assert.True(outside.Count == 0,
            $"The UK, a guest on item 2 only and connected to the other instance, was shown carets in texts it may not read: {string.Join(", ", outside.Select(x => $"{x.Name} in {x.DocumentId} at {x.Anchor}"))}.");
        Assert.Equal([2], uk.ItemsOf("FR"));
    }

    [Fact]
    public async Task AGuestDroppedFromItsItemOnTheOtherInstanceIsShownNoMoreCaretsThere()
    {
        await using var uk = await RoomClient.JoinAsync(B, "uk");
        await using var france = await A.JoinNamedAsync("fr");
        await using var chairOnB = await RoomClient.JoinAsync(B, "chair");
        await france.Hub.InvokeAsync("Focus", 1, (int?)2, Ct);
        await france.MoveCaretAsync("draft:2", 1);
        await uk.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == france.Hub.ConnectionId), "the UK, on B, sees France's caret in item 2's draft");

        // The chair, through the other instance's API, takes the UK off item 2.
        var chair = await A.SignInAsync("chair");
        var item = (await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Items.Single(i => i.Id == 2);
        await (await chair.PutJsonAsync("/api/meetings/1/items/2", new
        {
            title = item.Title, description = item.Description, rule = item.Rule,
            guests = item.Guests.Where(g => g != "UK").ToArray(), expectedVersion = item.Version,
        })).ShouldBeAsync(200);
        await uk.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.hidden" && e.ItemId == 2), "the UK hears that item 2 is hidden from it");
        var seenBefore = uk.Carets.Count;

        await france.MoveCaretAsync("draft:2", 4);
        await chairOnB.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == france.Hub.ConnectionId && x.Anchor == 4), "the chair, on B, sees France's caret move");
        // Germany coming in is sent after that caret: once the UK sees it, the caret would have reached it too.
        await using var germany = await RoomClient.JoinAsync(A, "de");
        await uk.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "DE") == true, "the UK sees Germany come in");

        var after = uk.Carets.Skip(seenBefore).ToList();
        Assert.True(after.Count == 0,
            $"The UK, dropped from item 2, was still shown carets in its draft: {string.Join(", ", after.Select(x => $"{x.Name} in {x.DocumentId} at {x.Anchor}"))}.");
        Assert.False(uk.ItemsOf("FR")?.Contains(2) ?? false, "The UK, dropped from item 2, is still shown France on it.");
    }
}
