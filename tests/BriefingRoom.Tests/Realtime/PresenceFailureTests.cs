using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// Presence (Redis, when scaled out) not answering while a change that runs alone is committed: the change is done and
/// answered so, the room hears of it, and nobody keeps a right it took away.
/// </summary>
public class PresenceFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(PresenceFails.TimingOut)]
    [InlineData(PresenceFails.Cancelled)]
    public async Task ARevocationCommittedWhilePresenceDoesNotAnswerIsAnsweredPublishedAndTakesTheDelegateOutOfTheRoom(PresenceFails how)
    {
        var presence = new PresenceThatStopsListing(how);
        await using var app = new BriefingApp().WithServices(s => s.AddSingleton<IPresenceStore>(presence));
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");

        presence.Listing = false;
        var revoked = await chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct);
        Assert.False(app.WithDb(db => db.Memberships.Any(m => m.Id == membership.Id)), "the revocation is committed");
        await revoked.ShouldBeAsync(204);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "membership.revoked"), "France hears that Hungary's seat was revoked");

        // The room goes on, and Hungary hears none of it.
        presence.Listing = true;
        france.Insert("draft:1", 0, "After. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "France's keystrokes are acknowledged");
        await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/DE", new { stance = "abstain", expectedVersion = app.PositionVersion(1, "DE") })).ShouldBeAsync(200);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "position.changed"), "France hears Germany's new stance");
        await app.HandledAllSentToAsync(hungary.Hub);
        Assert.DoesNotContain(hungary.Events, e => e.Type is "position.changed" or "text.edited");
    }

    /// <summary>
    /// A turn to another item that presence cannot record (Redis timing out) is refused in words and changes nothing: the
    /// grain took the connection as on the new item before presence answered, and then threw, so that the caller heard
    /// "an unexpected error", the room still saw the tab on its old item, and its carets there were dropped for good.
    /// </summary>
    [Theory]
    [InlineData(PresenceFails.TimingOut)]
    [InlineData(PresenceFails.Cancelled)]
    public async Task AFocusPresenceCannotRecordIsRefusedInWordsAndTheTabStaysWhereItWas(PresenceFails how)
    {
        var presence = new PresenceThatStopsListing(how);
        await using var app = new BriefingApp(realSockets: true).WithServices(s => s.AddSingleton<IPresenceStore>(presence));
        await using var chair = await RoomClient.JoinAsync(app, "chair");
        await using var hungary = await app.JoinNamedAsync("hu");
        await hungary.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await chair.WaitUntilAsync(c => c.Presence?.Users.SingleOrDefault(u => u.DelegationCode == "HU")?.ItemIds.SequenceEqual([1]) == true, "Hungary is on item 1");

        presence.Focusing = false;
        var refused = await Assert.ThrowsAsync<HubException>(() => hungary.Hub.InvokeAsync("Focus", 1, (int?)3, Ct));
        presence.Focusing = true;
        Assert.Contains("HubException: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("try again", refused.Message, StringComparison.Ordinal);

        // Still on item 1, as the room sees it: its caret there is shown.
        await hungary.Hub.InvokeAsync("MoveCaret", 1, new { documentId = "draft:1", revision = 0, anchor = 4, head = 4 }, Ct);
        await chair.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == hungary.Hub.ConnectionId && x.DocumentId == "draft:1"), "the chair sees Hungary's caret on item 1");
    }

    /// <summary>
    /// A join that presence cannot record (Redis timing out) is refused in words and leaves the connection out of the room:
    /// the grain had put it in the meeting's group, and the failed join left it there, hearing every event of a meeting it
    /// had been told it did not join, listed nowhere (so nothing would ever take it out), and unknown to its own page.
    /// </summary>
    [Theory]
    [InlineData(PresenceFails.TimingOut)]
    [InlineData(PresenceFails.Cancelled)]
    public async Task AJoinPresenceCannotRecordIsRefusedInWordsAndLeavesTheConnectionOutOfTheRoom(PresenceFails how)
    {
        var presence = new PresenceThatStopsListing(how);
        await using var app = new BriefingApp(realSockets: true).WithServices(s => s.AddSingleton<IPresenceStore>(presence));
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var hungary = app.NewNamedHubConnection(await app.TokenForAsync("hu"));
        var heard = new HeardBatches(hungary);
        await hungary.StartAsync(Ct);

        presence.Adding = false;
        var refused = await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<System.Text.Json.JsonElement>("JoinMeeting", 1, Ct));
        presence.Adding = true;
        Assert.Contains("HubException: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("try again", refused.Message, StringComparison.Ordinal);

        // Joining again works, and then it hears the room, but not what was typed before.
        await AssertNotHeardUntilJoinedAgainAsync(france, hungary, heard, "Heard? ");
    }

    /// <summary>
    /// A join refused because the seat went while it was under way, at a moment presence cannot take the connection out of
    /// the room's list: the refusal still says why in words. The grain let presence's failure escape, so the caller heard
    /// "an unexpected error" and the hub never took the connection out of its group.
    /// </summary>
    [Theory]
    [InlineData(PresenceFails.TimingOut)]
    [InlineData(PresenceFails.Cancelled)]
    public async Task AJoinRefusedForARevokedSeatWhilePresenceCannotRemoveItIsRefusedInWords(PresenceFails how)
    {
        var presence = new PresenceThatStopsListing(how);
        var revoke = new AfterJoin();
        await using var app = new BriefingApp().WithServices(s =>
        {
            s.AddSingleton<IPresenceStore>(presence);
            s.AddSingleton<Orleans.IIncomingGrainCallFilter>(revoke);
        });
        var chair = await app.SignInAsync("chair");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        revoke.Once.Arm(async () =>
        {
            await (await chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct)).ShouldBeAsync(204);
            presence.Removing = false;
        });

        await using var hungary = app.NewHubConnection(await app.TokenForAsync("hu"));
        await hungary.StartAsync(Ct);
        var refused = await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct));
        await revoke.Once.Done;
        Assert.Contains("does not exist or you are not a member of it", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A seat revoked and given back while its join was under way, and presence not answering as the grain lists the
    /// connection again: the join is refused in words, and the connection is left out of the room. The grain had put it
    /// back in the meeting's group before presence failed, so a page told its join failed heard the room all the same.
    /// </summary>
    [Theory]
    [InlineData(PresenceFails.TimingOut)]
    [InlineData(PresenceFails.Cancelled)]
    public async Task AReadmittedJoinPresenceCannotRecordIsRefusedInWordsAndLeavesTheConnectionOutOfTheRoom(PresenceFails how)
    {
        var presence = new PresenceThatStopsListing(how);
        var meanwhile = new ActInGroup();
        await using var app = new BriefingApp(realSockets: true).WithServices(s =>
        {
            s.AddSingleton<IPresenceStore>(presence);
            s.AddSingleton<JoinSteps>(meanwhile);
        });
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        var seatHolder = await app.SignInAsync("hu");
        meanwhile.Once.Arm(async () =>
        {
            await Seats.RevokeAndGiveBackAsync(chair, seatHolder, membership);
            presence.Adding = false;
        });

        await using var hungary = app.NewNamedHubConnection(await app.TokenForAsync("hu"));
        var heard = new HeardBatches(hungary);
        await hungary.StartAsync(Ct);
        var refused = await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<System.Text.Json.JsonElement>("JoinMeeting", 1, Ct));
        await meanwhile.Once.Done;
        presence.Adding = true;
        Assert.Contains("try again", refused.Message, StringComparison.Ordinal);

        await AssertNotHeardUntilJoinedAgainAsync(france, hungary, heard, "Heard? ");
    }

    /// <summary>
    /// Leaving a meeting while presence cannot take the connection off the room's list: the page has left (it hears
    /// nothing more) and is answered so. The hub let presence's failure escape before it told the grain, so the page
    /// heard "an unexpected error", and the grain kept the connection as one of the room's.
    /// </summary>
    [Theory]
    [InlineData(PresenceFails.TimingOut)]
    [InlineData(PresenceFails.Cancelled)]
    public async Task LeavingWhilePresenceCannotRemoveTheConnectionIsAnsweredAndTheRoomIsNoLongerHeard(PresenceFails how)
    {
        var presence = new PresenceThatStopsListing(how);
        await using var app = new BriefingApp(realSockets: true).WithServices(s => s.AddSingleton<IPresenceStore>(presence));
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var hungary = await app.JoinNamedAsync("hu");
        var heard = new HeardBatches(hungary.Hub);

        presence.Removing = false;
        await hungary.Hub.InvokeAsync("LeaveMeeting", 1, Ct);
        presence.Removing = true;

        await AssertNotHeardUntilJoinedAgainAsync(france, hungary.Hub, heard, "Gone? ");
    }

    /// <summary>
    /// France types <paramref name="word"/>, which <paramref name="listener"/>, out of the room, must not hear; then the
    /// listener joins again and France types "Now? ". A connection's events arrive in the order the meeting published them,
    /// and the grain publishes the first edit before it handles the join: so once the listener hears "Now? ", it would have
    /// heard <paramref name="word"/> before it, had it been left in the room. (Waiting for a round trip of the listener's
    /// own proves nothing: an edit is acknowledged to its author before its batch reaches the others.)
    /// </summary>
    private static async Task AssertNotHeardUntilJoinedAgainAsync(RoomClient france, HubConnection listener, HeardBatches heard, string word)
    {
        france.Insert("draft:1", 0, word);
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), $"France's edit \"{word}\" is committed and published");
        await listener.InvokeAsync<System.Text.Json.JsonElement>("JoinMeeting", 1, Ct);
        france.Insert("draft:1", 0, "Now? ");
        await heard.WaitForAsync("Now? ");
        Assert.False(heard.Any(word), $"a connection out of the room heard \"{word}\"");
    }

    /// <summary>
    /// How presence fails: as a Redis that does not answer in time, or with a cancellation nobody asked for, as
    /// StackExchange.Redis ends the commands of a transaction that did not run (or, in the version we use, its issue 3085,
    /// every command once its reader has failed). No presence call is given a cancellation token, so a cancellation is
    /// never the caller's own, and must be handled as any other failure. Before, it escaped every handler: a committed
    /// revocation was answered 500, and a join, a turn or a leave "an unexpected error", skipping the clean-up each handler does.
    /// </summary>
    public enum PresenceFails
    {
        TimingOut,
        Cancelled,
    }

    /// <summary>Presence that can be told to stop listing a room, recording a join or a turn, or removing a connection (failing <c>how</c>); every other call works.</summary>
    private sealed class PresenceThatStopsListing(PresenceFails how) : PresenceStoreDecorator(new InMemoryPresenceStore())
    {
        private Exception Failure => how == PresenceFails.TimingOut
            ? new TimeoutException("Presence did not answer (a test's failure).")
            : new TaskCanceledException("Presence's command was cancelled (a test's failure).");

        public volatile bool Listing = true;

        public volatile bool Adding = true;

        public override Task AddAsync(PresenceEntry entry) =>
            Adding ? base.AddAsync(entry) : throw Failure;

        public volatile bool Focusing = true;

        public override Task<bool> FocusAsync(string connectionId, int meetingId, int? itemId) =>
            Focusing ? base.FocusAsync(connectionId, meetingId, itemId) : throw Failure;

        public volatile bool Removing = true;

        public override Task<PresenceEntry?> RemoveAsync(string connectionId, int meetingId) =>
            Removing ? base.RemoveAsync(connectionId, meetingId) : throw Failure;

        public override Task<IReadOnlyList<PresenceEntry>> RemoveConnectionAsync(string connectionId) =>
            Removing ? base.RemoveConnectionAsync(connectionId) : throw Failure;

        public override Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId) =>
            Listing ? base.ListAsync(meetingId) : throw Failure;
    }
}
