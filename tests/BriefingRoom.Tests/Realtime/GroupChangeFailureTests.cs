using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// A revocation whose change to the room's groups fails in Redis: the meeting's grain, on A, takes a connection on B out
/// of the room's group through the backplane, and that message cannot be published. The failure escaped the grain after
/// the commit: the chair's revocation was answered 500, the room never heard of it, and the revoked connection stayed
/// in the group on B, hearing the room for as long as the grain lived. A publish that timed out was taken for a change
/// published and only not confirmed (the wait for a dead instance's acknowledgement): answered, but the connection stayed
/// in the group all the same.
/// </summary>
public sealed class GroupChangeFailureTests : TwoInstancesTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly RedisCallsFailing _groupActions = new(nameof(StackExchange.Redis.ISubscriber.PublishAsync),
        channel => channel.EndsWith(":internal:groups", StringComparison.Ordinal));

    /// <summary>B's backplane subscribing to a room's group channel: what the first connection of a group on B makes it do.</summary>
    private readonly RedisCallsFailing _groupSubscriptions = new(nameof(StackExchange.Redis.ISubscriber.SubscribeAsync),
        channel => channel.Contains(":group:", StringComparison.Ordinal));

    protected override BriefingApp ConfigureFirst(BriefingApp instance) => instance.WithServices(_groupActions.InstallOnBackplane);

    /// <summary>B's backplane unsubscribing from a room's group channel: what the last connection of a group on B leaving makes it do.</summary>
    private readonly RedisCallsFailing _groupUnsubscriptions = new(nameof(StackExchange.Redis.ISubscriber.UnsubscribeAsync),
        channel => channel.Contains(":group:", StringComparison.Ordinal));

    /// <summary>B's presence, in Redis, able to fail as it lists a joining connection.</summary>
    private readonly PresenceListingFailing _presenceOnB = new();

    /// <summary>What B's hub does between a join's admission and its confirmation, when a test arms it.</summary>
    private readonly ActInGroup _meanwhileOnB = new();

    protected override BriefingApp ConfigureSecond(BriefingApp instance) => instance.WithServices(s =>
    {
        _groupSubscriptions.InstallOnBackplane(s);
        _groupUnsubscriptions.InstallOnBackplane(s);
        _presenceOnB.Wrap(s);
        s.AddSingleton<JoinSteps>(_meanwhileOnB);
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARevocationWhoseGroupChangeCannotBePublishedIsAnsweredPublishedAndMadeGood(bool timingOut)
    {
        // The meeting's grain lives on A (France woke it there); Hungary's connection is on B, and Germany's beside it.
        await using var france = await RoomClient.JoinAsync(A, "fr");
        // Named: its connection has an id, for the server to send it a marker (HandledAllSentToAsync).
        await using var hungary = await B.JoinNamedAsync("hu");
        await using var germany = await RoomClient.JoinAsync(B, "de");
        var told = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        hungary.Hub.On<int>(nameof(IBriefingClient.SeatChanged), meetingId => told.TrySetResult(meetingId));
        using var chair = await A.SignInAsync("chair");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");

        // Redis's link down, or Redis not answering in time (a RedisTimeoutException, which is a TimeoutException).
        _groupActions.Start(timingOut ? RedisCallsFailing.TimedOut : RedisCallsFailing.LinkDown);
        var revoked = await chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct);
        _groupActions.Stop();

        Assert.True(_groupActions.Failed > 0, "the group change was never tried through the backplane");
        await revoked.ShouldBeAsync(204);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "membership.revoked"), "France hears that Hungary's seat was revoked");
        Assert.Equal(1, await told.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));

        // Redis is back. The next call starts the meeting's grain again, and it takes Hungary out of the group on B before
        // it handles that call: Germany, in the same group on B, hears France's words, and Hungary does not.
        france.Insert("draft:1", 0, "Secret? ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "France's edit is committed and published");
        await germany.WaitUntilAsync(c => c.TextOf("draft:1").StartsWith("Secret? ", StringComparison.Ordinal), "Germany, on B, hears France's edit");
        await B.HandledAllSentToAsync(hungary.Hub);
        Assert.DoesNotContain("Secret? ", hungary.TextOf("draft:1"), StringComparison.Ordinal);
    }

    /// <summary>
    /// A join whose entry into the room's group cannot be published (Redis's link down) is refused saying to try again.
    /// The failure escaped the grain and the hub: the page heard "an unexpected error", and the grain kept the connection
    /// as one of the room's. Joining again once Redis is back works, and hears the room.
    /// </summary>
    [Fact]
    public async Task AJoinWhoseGroupChangeCannotBePublishedIsRefusedSayingToTryAgainAndWorksOnceRedisIsBack()
    {
        await using var france = await RoomClient.JoinAsync(A, "fr");
        var (hungary, heard) = await RefusedThenJoinedAgainOnBAsync(_groupActions);
        await using var _ = hungary;

        france.Insert("draft:1", 0, "Heard? ");
        await heard.WaitForAsync("Heard? ");
    }

    /// <summary>
    /// A join that is the room's first connection on its instance, while that instance cannot subscribe to the room's group
    /// channel. With the meeting's grain on the other instance, the add goes through the backplane; the connection's
    /// instance gives it up and sends no acknowledgement, and the grain went on after its 2 s wait: the page was answered
    /// "joined" and heard nothing of the room, and nothing told it so. With the grain on the same instance the add fails at
    /// once and the join was refused already. Either way the join is refused saying to try again, and joins there hear
    /// the room once Redis answers.
    /// </summary>
    [Theory]
    [InlineData("A")]
    [InlineData("B")]
    public async Task AJoinWhoseGroupCannotBeSubscribedOnItsInstanceLeavesNoLaterJoinThereDeaf(string grainOn)
    {
        // The grain wakes where the room is first asked for; France's connection is on A, so B has nobody in the group.
        await (grainOn == "A" ? A : B).SnapshotAsync(await A.TokenForAsync("fr"), BriefingApp.DemoMeetingId);
        await using var france = await RoomClient.JoinAsync(A, "fr");
        var (hungary, heard) = await RefusedThenJoinedAgainOnBAsync(_groupSubscriptions);
        await using var _ = hungary;

        // Redis answers again: Hungary has joined again, and Germany joins beside it, both on B; both hear France.
        await using var germany = await RoomClient.JoinAsync(B, "de");
        france.Insert("draft:1", 0, "Heard on B? ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "France's edit is committed and published");
        await germany.WaitUntilAsync(c => c.TextOf("draft:1").StartsWith("Heard on B? ", StringComparison.Ordinal), "Germany, on B, hears France's edit");
        await heard.WaitForAsync("Heard on B? ");
    }

    /// <summary>
    /// A connection whose seat is revoked and given back while it joins: the revocation takes it out of its group, and the
    /// grain puts it back as it confirms the join. When B cannot subscribe to the group's channel, that add is never
    /// acknowledged; the grain went on, and the page was answered "joined" and heard nothing. It is refused saying to try
    /// again, and joining again hears the room.
    /// </summary>
    [Fact]
    public async Task AReadmittedJoinWhoseGroupCannotBeSubscribedIsRefusedSayingToTryAgain()
    {
        await using var france = await RoomClient.JoinAsync(A, "fr");
        using var chair = await A.SignInAsync("chair");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        using var seatHolder = await A.SignInAsync("hu");
        _meanwhileOnB.Once.Arm(async () =>
        {
            await Seats.RevokeAndGiveBackAsync(chair, seatHolder, membership);
            _groupSubscriptions.Start(RedisCallsFailing.LinkDown);
        });
        var (hungary, heard) = await RefusedThenJoinedAgainOnBAsync(_groupSubscriptions, startedBy: _meanwhileOnB.Once);
        await using var _ = hungary;

        france.Insert("draft:1", 0, "Heard again? ");
        await heard.WaitForAsync("Heard again? ");
    }

    /// <summary>
    /// A join that presence cannot list, whose connection, the room's only one on B, then cannot unsubscribe from the
    /// group's channel as it leaves the group. The failure escaped the hub: the page heard "an unexpected error" instead of
    /// "try again", and the grain was never told. It kept the connection as one of the room's, so the connection's
    /// carets were shown to the room, though it had been refused. The join is refused in words, the connection is no
    /// longer one of the room's, and hears nothing of it until it joins again on the same connection, which then hears the
    /// room: SignalR's backplane on .NET 10 takes the connection out of the group before it unsubscribes, and does not go
    /// on counting the group among the connection's own.
    /// </summary>
    [Fact]
    public async Task AJoinRefusedWhoseGroupCannotBeLeftIsRefusedInWordsAndLeavesTheConnectionOutOfTheRoom()
    {
        await using var france = await RoomClient.JoinAsync(A, "fr");
        await using var hungary = B.NewNamedHubConnection(await B.TokenForAsync("hu"));
        var heard = new HeardBatches(hungary);
        await hungary.StartAsync(Ct);

        _presenceOnB.Failing = true;
        _groupUnsubscriptions.Start(RedisCallsFailing.LinkDown);
        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct));
        _groupUnsubscriptions.Stop();
        _presenceOnB.Failing = false;
        Assert.True(_presenceOnB.Failed > 0, "presence was never asked to list the join");
        Assert.True(_groupUnsubscriptions.Failed > 0, "B never unsubscribed from the group's channel");
        Assert.Contains("try again", refused.Message, StringComparison.Ordinal);

        // Not in the room, its caret is shown to nobody. Germany's, sent after it by the same grain, is: once France has
        // Germany's, it would have had Hungary's.
        await hungary.InvokeAsync("Focus", 1, (int?)1, Ct);
        await hungary.InvokeAsync("MoveCaret", 1, new { documentId = "draft:1", revision = 0, anchor = 2, head = 2 }, Ct);
        await using var germany = await A.JoinNamedAsync("de");
        await germany.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await germany.MoveCaretAsync("draft:1", 3);
        await france.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == germany.Hub.ConnectionId), "France sees Germany's caret");
        Assert.DoesNotContain(france.Carets, x => x.ConnectionId == hungary.ConnectionId);

        // It hears nothing of the room until it joins again on the same connection, and then it does: France's words come
        // through the group in order, so once it has the second it would have had the first.
        france.Insert("draft:1", 0, "Unheard? ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "France's first edit is committed and published");
        await hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct);
        france.Insert("draft:1", 0, "Heard again? ");
        await heard.WaitForAsync("Heard again? ");
        Assert.False(heard.Any("Unheard? "), "a connection refused the room heard it");
    }

    /// <summary>
    /// Hungary's connection on B asks to join meeting 1 while <paramref name="fault"/> fails (from now on, or from the
    /// moment <paramref name="startedBy"/> starts it): it is refused saying to try again. Once the fault stops, it joins
    /// again on the same connection. Returns the connection, and what it hears.
    /// </summary>
    private async Task<(HubConnection Hungary, HeardBatches Heard)> RefusedThenJoinedAgainOnBAsync(RedisCallsFailing fault, Once? startedBy = null)
    {
        var hungary = B.NewNamedHubConnection(await B.TokenForAsync("hu"));
        var heard = new HeardBatches(hungary);
        await hungary.StartAsync(Ct);
        if (startedBy is null)
        {
            fault.Start(RedisCallsFailing.LinkDown);
        }

        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct));
        if (startedBy is not null)
        {
            await startedBy.Done;
        }

        fault.Stop();
        Assert.True(fault.Failed > 0, "the Redis call the fault is for was never made");
        Assert.Contains("try again", refused.Message, StringComparison.Ordinal);

        await hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct);
        return (hungary, heard);
    }

    /// <summary>Presence in front of the instance's own (Redis), whose listing of a joining connection fails, as a Redis not answering in time, while <see cref="Failing"/>.</summary>
    private sealed class PresenceListingFailing
    {
        private int _failed;

        public volatile bool Failing;

        public int Failed => Volatile.Read(ref _failed);

        public void Wrap(IServiceCollection services) => PresenceStoreDecorator.Wrap(services, inner => new InFront(inner, this));

        private sealed class InFront(IPresenceStore inner, PresenceListingFailing fault) : PresenceStoreDecorator(inner)
        {
            public override Task AddAsync(PresenceEntry entry)
            {
                if (!fault.Failing)
                {
                    return base.AddAsync(entry);
                }

                Interlocked.Increment(ref fault._failed);
                return Task.FromException(RedisCallsFailing.TimedOut($"presence of meeting {entry.MeetingId}"));
            }
        }
    }
}
