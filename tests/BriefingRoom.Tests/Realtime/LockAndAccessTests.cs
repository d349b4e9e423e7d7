using System.Net.Http.Json;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Positions;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Realtime;

public class LockAndAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TextOperation InsertAtStart(BriefingApp app, int itemId, string text) =>
        TextOperation.Builder().Insert(text).Retain(app.ServerText($"draft:{itemId}").Length).Build();

    [Fact]
    public async Task ALockedItemRejectsEveryChangeFromEveryPathAndEveryoneSeesTheLockAtOnce()
    {
        await using var app = new BriefingApp();
        await using var delegate_ = await RoomClient.JoinAsync(app, "fr");
        await using var chairRoom = await RoomClient.JoinAsync(app, "chair");
        var chair = await app.SignInAsync("chair");
        var france = await app.SignInAsync("fr");

        await (await chair.PostJsonAsync("/api/meetings/1/items/1/lock", new { reason = "Text agreed ad referendum" })).ShouldBeAsync(200);
        await delegate_.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.locked" && e.ItemId == 1), "France sees the lock");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            // The hub: a text operation and a stance.
            var refused = await Assert.ThrowsAsync<HubException>(() => delegate_.Hub.InvokeAsync<OperationAck>(
                "SubmitOperation", 1, new SubmitOperationRequest("draft:1", 0, "locked-1", InsertAtStart(app, 1, "x")), Ct));
            Assert.Contains("locked", refused.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Text agreed ad referendum", refused.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<HubException>(() => delegate_.Hub.InvokeAsync<PositionDto>(
                "SetPosition", 1, 1, "FR", new PutPositionRequest(Stance.Abstain, null, null, 1), Ct));
            await Assert.ThrowsAsync<HubException>(() => chairRoom.Hub.InvokeAsync<OperationAck>(
                "SubmitOperation", 1, new SubmitOperationRequest("position:1:FR", 0, "locked-2", TextOperation.Builder().Insert("x").Build()), Ct));

            // REST: text, stance, metadata, status, deletion; even the chair must unlock first.
            await (await france.PostJsonAsync("/api/meetings/1/texts/draft:1/operations", new SubmitOperationRequest("draft:1", 0, "locked-3", InsertAtStart(app, 1, "x")))).ShouldBeAsync(409);
            await (await france.PutJsonAsync("/api/meetings/1/items/1/positions/FR", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(409);
            await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(409);
            await (await chair.PutJsonAsync("/api/meetings/1/items/1", new { title = "Ukraine", rule = "unanimity", expectedVersion = 2 })).ShouldBeAsync(409);
            await (await chair.PutJsonAsync("/api/meetings/1/items/1/status", new { status = "agreed" })).ShouldBeAsync(409);
            await (await chair.DeleteAsync("/api/meetings/1/items/1", Ct)).ShouldBeAsync(409);
        });

        await (await chair.DeleteAsync("/api/meetings/1/items/1/lock", Ct)).ShouldBeAsync(200);
        await delegate_.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.unlocked" && e.ItemId == 1), "France sees the unlock");
        delegate_.Insert("draft:1", 0, "Unlocked. ");
        await delegate_.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "an edit goes through again");
    }

    [Fact]
    public async Task AgreeingAnItemFreezesItsTexts()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var error = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeAsync<OperationAck>(
            "SubmitOperation", 1, new SubmitOperationRequest("draft:5", 0, "agreed", InsertAtStart(app, 5, "x")), Ct));
        Assert.Contains("agreed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NobodyJoinsAMeetingTheyAreNotIn()
    {
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true");
        using var outsiderClient = await app.RegisterOutsiderAsync();
        var outsiderToken = await app.TokenForAsync("outsider@example.org");
        await using var outsider = app.NewHubConnection(outsiderToken);
        await outsider.StartAsync(Ct);
        var error = await Assert.ThrowsAsync<HubException>(() => outsider.InvokeAsync<object>("JoinMeeting", 1, Ct));
        Assert.Contains("not a member", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => outsider.InvokeAsync<object>("GetEventsSince", 1, 0L, Ct));

        await using var hungary = app.NewHubConnection(await app.TokenForAsync("hu"));
        await hungary.StartAsync(Ct);
        await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<object>("JoinMeeting", 999, Ct));
    }

    [Fact]
    public async Task TheHubRefusesAConnectionWithoutIdentity()
    {
        await using var app = new BriefingApp();
        await using var anonymous = app.NewHubConnection("not-a-token");
        await Assert.ThrowsAnyAsync<Exception>(() => anonymous.StartAsync(Ct));
    }

    [Fact]
    public async Task ADelegateCannotWriteAnotherDelegationsPositionThroughTheHub()
    {
        await using var app = new BriefingApp();
        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var error = await Assert.ThrowsAsync<HubException>(() => hungary.Hub.InvokeAsync<PositionDto>(
                "SetPosition", 1, 1, "FR", new PutPositionRequest(Stance.Oppose, null, null, 1), Ct));
            Assert.Contains("only your own delegation", error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<HubException>(() => hungary.Hub.InvokeAsync<OperationAck>(
                "SubmitOperation", 1, new SubmitOperationRequest("position:1:FR", 0, "x", TextOperation.Builder().Insert("France agrees with Hungary.").Build()), Ct));
        });

        var mine = await hungary.Hub.InvokeAsync<PositionDto>("SetPosition", 1, 1, "HU", new PutPositionRequest(Stance.Abstain, null, null, 1), Ct);
        Assert.Equal(Stance.Abstain, mine.Stance);
        Assert.False(mine.RecordedOnBehalf);
    }

    [Fact]
    public async Task AGuestNeverReceivesAnEventAboutAnItemItIsNotInvitedTo()
    {
        await using var app = new BriefingApp();
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var chair = await app.SignInAsync("chair");
        Assert.Equal([2], uk.Snapshot!.Items.Select(i => i.Id));
        Assert.All(uk.Snapshot.Texts, t => Assert.Contains(":2", t.Id, StringComparison.Ordinal));

        // Changes to items the United Kingdom is not invited to: a text, a stance, a lock, a new item, the order.
        france.Insert("draft:1", 0, "Secret. ");
        await (await chair.PutJsonAsync("/api/meetings/1/items/3/positions/HU", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync("/api/meetings/1/items/4/lock", new { reason = "confidential" })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync("/api/meetings/1/items", new { title = "Middle East", rule = "consensus" })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync("/api/meetings/1/agenda/order", new { itemIds = new[] { 2, 1, 3, 4, 5, 6 } })).ShouldBeAsync(200);
        // And one to the item it is invited to, which must arrive.
        await (await chair.PutJsonAsync("/api/meetings/1/items/2/positions/UK", new { stance = "support", expectedVersion = 1 })).ShouldBeAsync(200);

        await uk.WaitUntilAsync(c => c.Events.Any(e => e.Type == "position.changed" && e.ItemId == 2), "the UK's own item's change arrives");
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "position.changed" && e.ItemId == 2), "France has everything");
        Assert.All(uk.Events, e => Assert.True(e.ItemId is null or 2, $"{e.Type} about item {e.ItemId} reached a guest"));
        Assert.DoesNotContain(uk.Events, e => e.Payload.GetRawText().Contains("Secret", StringComparison.Ordinal) || e.Payload.GetRawText().Contains("Middle East", StringComparison.Ordinal));
        var reorder = Assert.Single(uk.Events, e => e.Type == "agenda.reordered");
        Assert.Equal("""{"order":[{"itemId":2,"number":1}]}""", reorder.Payload.GetRawText());

        // Catching up from the start shows the guest exactly the same events.
        var page = await uk.Hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, Ct);
        Assert.Equal(uk.Events.Select(e => e.Seq), page.Events.Select(e => e.Seq));
        Assert.Equal(france.LastSeq, page.UpTo);
    }

    [Fact]
    public async Task AGuestSeesPresenceOnlyOnItsOwnItems()
    {
        await using var app = new BriefingApp();
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await france.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await uk.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "FR") == true, "the UK sees France in the room");
        await france.WaitUntilAsync(c => c.ItemsOf("FR")?.SequenceEqual([1]) == true, "France is on item 1");
        Assert.Empty(uk.Presence!.Users.Single(u => u.DelegationCode == "FR").ItemIds);

        await france.Hub.InvokeAsync("Focus", 1, (int?)2, Ct);
        await uk.WaitUntilAsync(c => c.ItemsOf("FR")?.SequenceEqual([2]) == true, "the UK sees France come to item 2");
        await Assert.ThrowsAsync<HubException>(() => uk.Hub.InvokeAsync("Focus", 1, (int?)1, Ct));
    }

    [Fact]
    public async Task SequenceNumbersHaveNoGapsAndNoDuplicatesUnderConcurrentWriters()
    {
        await using var app = new BriefingApp();
        await using var watcher = await RoomClient.JoinAsync(app, "observer");
        string[] writers = ["fr", "de", "it", "es", "pl", "nl"];
        var rooms = new List<RoomClient>();
        foreach (var who in writers)
        {
            rooms.Add(await RoomClient.JoinAsync(app, who));
        }

        var clients = await Task.WhenAll(writers.Select(app.SignInAsync));
        var work = writers.Select((who, n) => Task.Run(async () =>
        {
            for (var k = 0; k < 10; k++)
            {
                rooms[n].Append("draft:3", $" {who}{k}");
                var version = app.WithDb(db => db.Positions.Single(p => p.ItemId == 2 && p.DelegationCode == who.ToUpperInvariant()).Version);
                var response = await clients[n].PutAsJsonAsync($"/api/meetings/1/items/2/positions/{who.ToUpperInvariant()}",
                    new { stance = k % 2 == 0 ? "abstain" : "support", expectedVersion = version }, Ct);
                response.EnsureSuccessStatusCode();
            }
        }, Ct));
        await Task.WhenAll(work);
        foreach (var room in rooms)
        {
            await room.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "every keystroke is committed");
        }

        var stored = app.WithDb(db => db.Events.Where(e => e.MeetingId == 1).OrderBy(e => e.Seq).Select(e => e.Seq).ToList());
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored);
        Assert.Equal(stored[^1], app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq));

        await watcher.WaitUntilAsync(c => c.LastSeq == stored[^1], "the observer has every event");
        Assert.Equal(stored, watcher.Events.Select(e => e.Seq));
        foreach (var room in rooms)
        {
            await room.DisposeAsync();
        }
    }

    [Fact]
    public async Task SeveralTabsOfOneUserCountOnceAndLeaveWhenClosed()
    {
        await using var app = new BriefingApp();
        await using var chair = await RoomClient.JoinAsync(app, "chair");
        var firstTab = await RoomClient.JoinAsync(app, "hu");
        var secondTab = await RoomClient.JoinAsync(app, "hu");
        await firstTab.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await secondTab.Hub.InvokeAsync("Focus", 1, (int?)2, Ct);

        await chair.WaitUntilAsync(c => c.Presence?.Users.SingleOrDefault(u => u.DelegationCode == "HU")?.ItemIds.SequenceEqual([1, 2]) == true, "Hungary is on items 1 and 2, in two tabs");
        Assert.Single(chair.Presence!.Users, u => u.DelegationCode == "HU");

        // One tab closed: Hungary stays, on the other tab's item, and the closed tab's connection is gone (its carets with it).
        var firstConnection = firstTab.Hub.ConnectionId!;
        await firstTab.DisposeAsync();
        await chair.WaitUntilAsync(c => c.Presence?.Users.SingleOrDefault(u => u.DelegationCode == "HU")?.ItemIds.SequenceEqual([2]) == true, "one tab closed");
        Assert.Contains(firstConnection, chair.GoneSeen);
        var hungaryId = chair.Presence!.Users.Single(u => u.DelegationCode == "HU").UserId;
        Assert.DoesNotContain(hungaryId, chair.LeftSeen);

        // Turning to another item takes the tab's caret away too.
        var secondConnection = secondTab.Hub.ConnectionId!;
        await secondTab.Hub.InvokeAsync("Focus", 1, (int?)3, Ct);
        await chair.WaitUntilAsync(c => c.GoneSeen.Contains(secondConnection), "the second tab turned from item 2");
        await secondTab.DisposeAsync();
        await chair.WaitUntilAsync(c => c.Presence?.Users.All(u => u.DelegationCode != "HU") == true, "Hungary has left");
        Assert.Contains(hungaryId, chair.LeftSeen);
    }

    [Fact]
    public async Task CaretsReachTheOtherEditorsButNotGuestsOfOtherItems()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        await using var uk = await RoomClient.JoinAsync(app, "uk");

        await france.Hub.InvokeAsync("MoveCaret", 1, new { documentId = "draft:1", revision = 0, anchor = 4, head = 9 }, Ct);
        await france.Hub.InvokeAsync("MoveCaret", 1, new { documentId = "draft:2", revision = 0, anchor = 1, head = 1 }, Ct);

        await germany.WaitUntilAsync(c => c.Carets.Count == 2, "Germany sees France's carets");
        await uk.WaitUntilAsync(c => c.Carets.Count == 1, "the UK sees France's caret on item 2");
        Assert.Equal(("draft:1", 4, 9), (germany.Carets[0].DocumentId, germany.Carets[0].Anchor, germany.Carets[0].Head));
        Assert.Equal("France delegate", germany.Carets[0].Name);
        Assert.Equal("draft:2", Assert.Single(uk.Carets).DocumentId);
        Assert.Empty(france.Carets);
    }

    [Fact]
    public async Task ARevokedMembersOpenConnectionIsToldItsSeatChanged()
    {
        await using var app = new BriefingApp();
        await using var ireland = await RoomClient.JoinAsync(app, "ie");
        var told = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        ireland.Hub.On<int>(nameof(IBriefingClient.SeatChanged), meetingId => told.TrySetResult(meetingId));
        var chair = await app.SignInAsync("chair");
        var membership = app.WithDb(db => db.Memberships.Single(m => m.UserId == db.Users.Single(u => u.Email == "ie@briefing.example").Id).Id);

        await (await chair.DeleteAsync($"/api/meetings/1/memberships/{membership}", Ct)).ShouldBeAsync(204);

        // Without it the page, out of the room's groups, would show the room as it stood, "Live", for as long as it stays open.
        Assert.Equal(1, await told.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task ARevokedMemberHearsNothingMoreAndCanDoNothingMore()
    {
        await using var app = new BriefingApp();
        await using var ireland = await RoomClient.JoinAsync(app, "ie");
        await using var watcher = await RoomClient.JoinAsync(app, "fr");
        var chair = await app.SignInAsync("chair");
        var membership = app.WithDb(db => db.Memberships.Single(m => m.UserId == db.Users.Single(u => u.Email == "ie@briefing.example").Id).Id);

        await (await chair.DeleteAsync($"/api/meetings/1/memberships/{membership}", Ct)).ShouldBeAsync(204);
        await watcher.WaitUntilAsync(c => c.Presence?.Users.All(u => u.DelegationCode != "IE") == true, "Ireland's delegate has left the room");

        await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(200);
        await watcher.WaitUntilAsync(c => c.Events.Any(e => e.Type == "position.changed"), "the others hear of the change");

        // Ireland may or may not hear of its own revocation (it races the eviction); it hears nothing after it.
        await app.HandledAllSentToAsync(ireland.Hub);
        Assert.DoesNotContain(ireland.Events, e => e.Type == "position.changed");
        await Assert.ThrowsAsync<HubException>(() => ireland.Hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, Ct));
    }
}
