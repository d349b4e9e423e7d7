using BriefingRoom.Live;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.ScaleOut;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// What an instance that died (kill -9, a lost machine) leaves behind: its connections' presence entries and its alive
/// key, fresh for up to <see cref="InstanceHeartbeat.Lifetime"/>. Written here with the app's own presence store as that
/// instance would have written them, since an in-process instance cannot be killed without its clean stop running.
/// </summary>
public sealed class CrashedInstanceTests : TwoInstancesTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Hungary's delegate in the room on an instance that has just died: nobody holds that connection any more.</summary>
    private async Task<string> HungaryOnACrashedInstanceAsync(MembershipDto hungary)
    {
        var redis = A.Services.GetRequiredService<IConnectionMultiplexer>();
        var crashed = new ScaleOutInstance(A.Services.GetRequiredService<ScaleOutInstance>().Prefix);
        await redis.GetDatabase().StringSetAsync(crashed.AliveKey(crashed.Id), 1, InstanceHeartbeat.Lifetime);
        var connectionId = $"gone-{Guid.NewGuid():N}";
        await new RedisPresenceStore(redis, crashed).AddAsync(
            new PresenceEntry(connectionId, 1, hungary.UserId, hungary.Name, hungary.Role, hungary.DelegationCode, false, null));
        return connectionId;
    }

    [Fact]
    public async Task RevokingADelegateWhoseConnectionDiedWithItsInstanceAnswersAndTheRoomGoesOn()
    {
        await using var france = await RoomClient.JoinAsync(A, "fr");
        var chair = await A.SignInAsync("chair");
        var hungary = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        await HungaryOnACrashedInstanceAsync(hungary);

        // The revocation evicts Hungary's connections from the room's groups; one of them is held by no instance, so no
        // instance will ever acknowledge its removal.
        var revoked = await chair.DeleteAsync($"/api/meetings/1/memberships/{hungary.Id}", Ct);
        await revoked.ShouldBeAsync(204);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "membership.revoked"), "France hears that Hungary's seat was revoked");

        // And the meeting goes on: France's typing is acknowledged.
        france.Insert("draft:1", 0, "Still here. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "France's keystrokes are acknowledged after the revocation");
        Assert.StartsWith("Still here. ", A.ServerText("draft:1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJoinSentByAnInstanceThatDiedBeforeTheMeetingRanItDoesNotHoldTheRoomUp()
    {
        await using var france = await RoomClient.JoinAsync(A, "fr");
        var chair = await A.SignInAsync("chair");
        var germany = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "DE");

        // The grain runs a join whose connection nobody holds any more: its instance died with the call on its way.
        var grain = A.Services.GetRequiredService<IGrainFactory>().GetGrain<IMeetingGrain>(1);
        var ticket = await grain.Join(new Caller(germany.UserId, germany.Name, false), $"gone-{Guid.NewGuid():N}");
        Assert.NotNull(ticket);

        france.Insert("draft:1", 0, "Still here. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "France's keystrokes are acknowledged after that join");
        Assert.StartsWith("Still here. ", A.ServerText("draft:1"), StringComparison.Ordinal);
    }
}
