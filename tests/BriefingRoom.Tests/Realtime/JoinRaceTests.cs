using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// A revocation that lands while a join is under way, at the moment the meeting's grain has answered the join and the hub
/// has not yet gone on: the revoked person hears nothing committed after it and does not linger in the room's presence.
/// </summary>
public class JoinRaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARevocationRightAfterTheGrainAdmittedAConnectionKeepsItOutOfTheRoom()
    {
        var revoke = new AfterJoin();
        var meanwhile = new InGroup();
        await using var app = new BriefingApp().WithServices(s =>
        {
            s.AddSingleton<IIncomingGrainCallFilter>(revoke);
            s.AddSingleton<JoinSteps>(meanwhile);
        });
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        var version = app.PositionVersion(1, "DE");
        revoke.Arm(async () => await (await chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct)).ShouldBeAsync(204));
        // Before the grain confirms the join, the room goes on: a stance recorded for Germany.
        meanwhile.Arm(async () =>
        {
            await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/DE", new { stance = "abstain", expectedVersion = version })).ShouldBeAsync(200);
            await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "position.changed" && e.ItemId == 1), "France hears Germany's new stance");
        });

        await using var hungary = app.NewHubConnection(await app.TokenForAsync("hu"));
        var heard = new List<string>();
        hungary.On<ClientEventBatch>("MeetingEvents", batch =>
        {
            lock (heard)
            {
                heard.AddRange(batch.Events.Select(e => $"{e.Seq}:{e.Type}"));
            }
        });
        await hungary.StartAsync(Ct);
        await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct));
        await revoke.Done;
        await meanwhile.Done;

        // A connection's messages arrive in order: anything sent to Hungary's connection came before this refusal.
        await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<object>("GetEventsSince", 1, 0L, Ct));
        lock (heard)
        {
            Assert.True(heard.Count == 0, $"Hungary, revoked as its join was admitted, heard: {string.Join(", ", heard)}");
        }
    }

    [Fact]
    public async Task ARefusedJoinLeavesNoGhostInTheRoomsPresence()
    {
        var revoke = new AfterJoin();
        var meanwhile = new InGroup();
        await using var app = new BriefingApp().WithServices(s =>
        {
            s.AddSingleton<IIncomingGrainCallFilter>(revoke);
            s.AddSingleton<JoinSteps>(meanwhile);
        });
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        revoke.Arm(async () => await (await chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct)).ShouldBeAsync(204));
        meanwhile.Arm(async () =>
        {
            // Someone turns to an item meanwhile: the room's presence goes out with Hungary's entry in it.
            await france.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
            await france.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "HU") == true, "the presence sent meanwhile lists Hungary");
        });

        await using var hungary = app.NewHubConnection(await app.TokenForAsync("hu"));
        await hungary.StartAsync(Ct);
        await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct));
        await meanwhile.Done;
        await france.WaitUntilAsync(c => c.Presence?.Users.All(u => u.DelegationCode != "HU") == true, "Hungary, refused, is no longer shown in the room");
    }

    /// <summary>Acts once, inside the meeting's grain, right after it has answered a join and before the answer reaches the hub.</summary>
    private sealed class AfterJoin : IIncomingGrainCallFilter
    {
        private Func<Task>? _act;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        public void Arm(Func<Task> act) => _act = act;

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            await context.Invoke();
            if (context.InterfaceMethod.Name == "Join" && Interlocked.Exchange(ref _act, null) is { } act)
            {
                try
                {
                    await act();
                    _done.TrySetResult();
                }
                catch (Exception ex)
                {
                    _done.TrySetException(ex);
                    throw;
                }
            }
        }
    }

    /// <summary>Acts once at the hub's step between a connection's admission and its confirmation.</summary>
    private sealed class InGroup : JoinSteps
    {
        private Func<Task>? _act;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        public void Arm(Func<Task> act) => _act = act;

        public override async Task InGroupAsync(int meetingId, string connectionId)
        {
            if (Interlocked.Exchange(ref _act, null) is { } act)
            {
                try
                {
                    await act();
                    _done.TrySetResult();
                }
                catch (Exception ex)
                {
                    _done.TrySetException(ex);
                    throw;
                }
            }
        }
    }
}
