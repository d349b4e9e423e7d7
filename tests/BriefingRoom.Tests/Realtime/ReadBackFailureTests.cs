using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// A change is committed, and then reading its result back into the meeting's grain fails (the disk, the connection).
/// What the database holds is the truth: the change answers as done, the room hears of it, and nobody keeps a right
/// that the committed change took away.
/// </summary>
public class ReadBackFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The grain's read-back of the memberships (LiveMeeting.LoadMetaAsync), the one query that joins them to delegations.</summary>
    private static FailingInterceptor FailingMembershipsReadBack() =>
        new FailingInterceptor(sql => sql.Contains("FROM \"Memberships\"", StringComparison.Ordinal) && sql.Contains("\"Delegations\"", StringComparison.Ordinal));

    /// <summary>The chair revokes Hungary's seat, and the grain's read-back after the commit fails; returns the membership's id.</summary>
    private static async Task<int> RevokeHungaryWhileTheReadBackFailsAsync(HttpClient chair, FailingInterceptor fail)
    {
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        fail.FailNext();
        var revoked = await chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct);
        Assert.True(fail.Failed.IsCompleted, "the read-back after the revocation's commit failed");
        await revoked.ShouldBeAsync(204);
        return membership.Id;
    }

    [Fact]
    public async Task ARevocationWhoseReadBackFailsStillTakesTheDelegateOutOfTheRoom()
    {
        var fail = FailingMembershipsReadBack();
        await using var app = new BriefingApp().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(fail)));
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        var membership = await RevokeHungaryWhileTheReadBackFailsAsync(chair, fail);
        Assert.False(app.WithDb(db => db.Memberships.Any(m => m.Id == membership)), "the revocation is committed");
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "membership.revoked"), "France hears that Hungary's seat was revoked");

        // The room goes on, and Hungary hears none of it.
        await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/DE", new { stance = "abstain", expectedVersion = app.PositionVersion(1, "DE") })).ShouldBeAsync(200);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "position.changed"), "France hears Germany's new stance");
        france.Insert("draft:1", 0, "After. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "France's keystrokes are acknowledged");
        await france.WaitUntilAsync(c => c.TextOf("draft:1").StartsWith("After. ", StringComparison.Ordinal), "France's keystrokes are published");
        await app.HandledAllSentToAsync(hungary.Hub);
        Assert.DoesNotContain(hungary.Events, e => e.Type is "position.changed" or "text.edited");
        var refused = await Assert.ThrowsAsync<HubException>(() => hungary.Hub.InvokeAsync<object>("GetEventsSince", 1, 0L, Ct));
        Assert.True(refused.Message.Contains("not a member", StringComparison.Ordinal), refused.Message);
        Assert.StartsWith("After. ", app.ServerText("draft:1"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The meetings lists are told whose seat a change moved by comparing the seats before and after it; when the after could
    /// not be read, nobody was told, and Hungary's meetings page went on offering a meeting it no longer had a seat in.
    /// </summary>
    [Fact]
    public async Task ARevocationWhoseReadBackFailsStillTellsTheRevokedDelegatesMeetingsList()
    {
        var fail = FailingMembershipsReadBack();
        await using var app = new BriefingApp().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(fail)));
        var chair = await app.SignInAsync("chair");
        await using var hungary = await ListsListener.ConnectAsync(app, "hu");
        await using var admin = await ListsListener.ConnectAsync(app, "admin");
        await RevokeHungaryWhileTheReadBackFailsAsync(chair, fail);

        await hungary.WaitForMeetingsAsync(1, "Hungary's list hears that its seat went");
        await admin.WaitForMeetingsAsync(1, "the admin's list of every meeting hears of it");
    }

    /// <summary>
    /// Germany joins while the read-back of the chair's revocation of Hungary is under way, and the read-back then fails:
    /// the activation is broken and going from memory. It answered that Germany was not a member, and the page, taking
    /// that as its seat gone, left the room. Germany is told to try again, over the hub and over REST, and then joins.
    /// </summary>
    [Fact]
    public async Task AMemberAskingWhileAReadBackFailsIsToldToTryAgainNotThatTheSeatIsGone()
    {
        static bool ReadBack(string sql) => sql.Contains("FROM \"Memberships\"", StringComparison.Ordinal) && sql.Contains("\"Delegations\"", StringComparison.Ordinal);
        var hold = new HoldingInterceptor(ReadBack);
        var fail = new FailingInterceptor(ReadBack);
        var calls = new GrainCallsSeen();
        await using var app = new BriefingApp(realSockets: true).WithServices(s =>
        {
            s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(hold, fail));
            s.AddSingleton<Orleans.IIncomingGrainCallFilter>(calls);
        });
        var chair = await app.SignInAsync("chair");
        var germanyApi = await app.SignInAsync("de");
        await using var germany = app.NewHubConnection(await app.TokenForAsync("de"));
        await germany.StartAsync(Ct);
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");

        hold.HoldNext();
        var revoking = chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct);
        await hold.Held;
        var joinAsked = calls.ArmAsked("Join");
        var accessAsked = calls.ArmAsked("AccessNow");
        var join = germany.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct);
        var snapshot = germanyApi.GetAsync("/api/meetings/1/snapshot", Ct);
        // Both wait in the grain for the read-back, which then fails.
        await joinAsked;
        await accessAsked;
        fail.FailNext();
        hold.Release();
        await (await revoking).ShouldBeAsync(204);

        var refused = await Assert.ThrowsAsync<HubException>(() => join);
        Assert.Contains("HubException: Busy:", refused.Message, StringComparison.Ordinal);
        var busy = await snapshot;
        await busy.ShouldBeAsync(503);
        Assert.Contains("try again", (await busy.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Trying again meets the meeting started afresh from the database: Germany joins; Hungary's seat is gone.
        var joined = await germany.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct);
        Assert.Equal(1, joined.MeetingId);
        await (await germanyApi.GetAsync("/api/meetings/1/snapshot", Ct)).ShouldBeAsync(200);
    }

    [Fact]
    public async Task AMeetingStartsAndTakesTypingWhilePresenceDoesNotAnswer()
    {
        await using var app = new BriefingApp().WithServices(s => s.AddSingleton<IPresenceStore, PresenceWithoutLists>());

        await using var france = await RoomClient.JoinAsync(app, "fr");
        france.Insert("draft:1", 0, "Typed. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "France's keystrokes are acknowledged");
        Assert.StartsWith("Typed. ", app.ServerText("draft:1"), StringComparison.Ordinal);
    }

    /// <summary>Presence (Redis, scaled out) that cannot list a room: every other call works.</summary>
    private sealed class PresenceWithoutLists : IPresenceStore
    {
        private readonly InMemoryPresenceStore _inner = new();

        public Task AddAsync(PresenceEntry entry) => _inner.AddAsync(entry);

        public Task<bool> FocusAsync(string connectionId, int meetingId, int? itemId) => _inner.FocusAsync(connectionId, meetingId, itemId);

        public Task<PresenceEntry?> RemoveAsync(string connectionId, int meetingId) => _inner.RemoveAsync(connectionId, meetingId);

        public Task<IReadOnlyList<PresenceEntry>> RemoveConnectionAsync(string connectionId) => _inner.RemoveConnectionAsync(connectionId);

        public Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId) => throw new TimeoutException("Presence did not answer (a test's failure).");
    }
}
