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

    /// <summary>An app with France in the room, whose grain revokes Hungary's membership right after answering the next join.</summary>
    private static async Task<(BriefingApp App, HttpClient Chair, RoomClient France, ActInGroup Meanwhile)> ArrangeAsync()
    {
        var revoke = new AfterJoin();
        var meanwhile = new ActInGroup();
        var app = new BriefingApp().WithServices(s =>
        {
            s.AddSingleton<IIncomingGrainCallFilter>(revoke);
            s.AddSingleton<JoinSteps>(meanwhile);
        });
        var chair = await app.SignInAsync("chair");
        var france = await RoomClient.JoinAsync(app, "fr");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        revoke.Once.Arm(async () => await (await chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct)).ShouldBeAsync(204));
        return (app, chair, france, meanwhile);
    }

    [Fact]
    public async Task ARevocationRightAfterTheGrainAdmittedAConnectionKeepsItOutOfTheRoom()
    {
        var (room, chair, joined, meanwhile) = await ArrangeAsync();
        await using var app = room;
        await using var france = joined;
        var version = app.PositionVersion(1, "DE");
        // Before the grain confirms the join, the room goes on: a stance recorded for Germany.
        meanwhile.Once.Arm(async () =>
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
        await meanwhile.Once.Done;

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
        var (room, _, joined, meanwhile) = await ArrangeAsync();
        await using var app = room;
        await using var france = joined;
        meanwhile.Once.Arm(async () =>
        {
            // Someone turns to an item meanwhile: the room's presence goes out with Hungary's entry in it.
            await france.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
            await france.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "HU") == true, "the presence sent meanwhile lists Hungary");
        });

        await using var hungary = app.NewHubConnection(await app.TokenForAsync("hu"));
        await hungary.StartAsync(Ct);
        await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct));
        await meanwhile.Once.Done;
        await france.WaitUntilAsync(c => c.Presence?.Users.All(u => u.DelegationCode != "HU") == true, "Hungary, refused, is no longer shown in the room");
    }

    [Fact]
    public async Task AConnectionWhoseSeatIsRevokedAndGivenBackWhileItJoinsIsInTheRoomAfterwards()
    {
        var meanwhile = new ActInGroup();
        await using var app = new BriefingApp().WithServices(s => s.AddSingleton<JoinSteps>(meanwhile));
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        Assert.Equal(MeetingRole.Delegate, membership.Role);
        var seatHolder = await app.SignInAsync("hu");
        // Between the grain's admission and its confirmation, Hungary's seat is taken away and given back as it was.
        meanwhile.Once.Arm(async () =>
        {
            await Seats.RevokeAndGiveBackAsync(chair, seatHolder, membership);
        });

        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        await meanwhile.Once.Done;

        // Joined, Hungary is shown in the room and hears what the room does next.
        await france.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "HU") == true, "France sees Hungary in the room");
        await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/DE", new { stance = "abstain", expectedVersion = app.PositionVersion(1, "DE") })).ShouldBeAsync(200);
        await hungary.WaitUntilAsync(c => c.Events.Any(e => e.Type == "position.changed" && e.ItemId == 1), "Hungary hears Germany's new stance");
    }
}
