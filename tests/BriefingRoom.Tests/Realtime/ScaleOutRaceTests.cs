using System.Reflection;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// Races on presence shared through Redis: a step landing between two Redis commands of another. The first instance's
/// Redis connection is wrapped (<see cref="PresenceReadGate"/>) so that a test can hold it exactly after it read a
/// presence entry and before it writes it back.
/// </summary>
public sealed class ScaleOutRaceTests : TwoInstancesTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly PresenceReadGate _gate = new();

    protected override BriefingApp ConfigureFirst(BriefingApp instance) => instance.WithServices(s => _gate.WrapRedis(s));

    [Fact]
    public async Task ADelegateRevokedWhileTheirFocusIsOnItsWayIsNotLeftInTheRoomsPresence()
    {
        // The meeting's grain lives on A (France woke it there); Hungary's connection is on B.
        await using var france = await RoomClient.JoinAsync(A, "fr");
        await using var hungary = await RoomClient.JoinAsync(B, "hu");
        var presence = A.Services.GetRequiredService<IPresenceStore>();
        Assert.Contains(await presence.ListAsync(1), e => e.DelegationCode == "HU");

        // Hungary turns to item 1: the grain, on A, reads Hungary's presence entry, and is held before it writes it back.
        _gate.Arm();
        var focus = hungary.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await _gate.Read.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // Meanwhile the chair revokes Hungary's seat on A: the grain, taking calls while it waits on Redis, takes Hungary's
        // connection out of the room and out of presence.
        var chair = await A.SignInAsync("chair");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        await (await chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct)).ShouldBeAsync(204);
        Assert.DoesNotContain(await presence.ListAsync(1), e => e.DelegationCode == "HU");

        // The held write then lands: it must not bring back an entry for a connection nobody will ever remove while B lives.
        _gate.Release();
        await focus;
        Assert.DoesNotContain(await presence.ListAsync(1), e => e.DelegationCode == "HU");
    }
}

/// <summary>
/// Wraps an instance's <see cref="IConnectionMultiplexer"/> so that, once armed, the next read of one presence entry
/// (HGET on a meeting's presence hash) completes, signals <see cref="Read"/>, and waits for <see cref="Release"/>.
/// </summary>
public sealed class PresenceReadGate
{
    private readonly SemaphoreSlim _read = new(0);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;

    public void Arm() => Volatile.Write(ref _armed, 1);

    public Task Read => _read.WaitAsync();

    public void Release() => _release.TrySetResult();

    public void WrapRedis(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IConnectionMultiplexer));
        services.Remove(original);
        services.AddSingleton(sp =>
        {
            var inner = (IConnectionMultiplexer)original.ImplementationFactory!(sp);
            var proxy = DispatchProxy.Create<IConnectionMultiplexer, Forwarder<IConnectionMultiplexer>>();
            ((Forwarder<IConnectionMultiplexer>)(object)proxy).Setup(inner, (method, args) =>
                method.Name == nameof(IConnectionMultiplexer.GetDatabase) ? Database((IDatabase)method.Invoke(inner, args)!) : null);
            return proxy;
        });
    }

    private IDatabase Database(IDatabase inner)
    {
        var proxy = DispatchProxy.Create<IDatabase, Forwarder<IDatabase>>();
        ((Forwarder<IDatabase>)(object)proxy).Setup(inner, (method, args) =>
            method.Name == nameof(IDatabase.HashGetAsync) && args is [RedisKey key, RedisValue, CommandFlags]
            && ((string?)key)?.Contains("presence:meeting:", StringComparison.Ordinal) == true
            && Interlocked.Exchange(ref _armed, 0) == 1
                ? HeldAsync((Task<RedisValue>)method.Invoke(inner, args)!)
                : null);
        return proxy;
    }

    private async Task<RedisValue> HeldAsync(Task<RedisValue> read)
    {
        var value = await read;
        _read.Release();
        await _release.Task;
        return value;
    }
}

/// <summary>Forwards every call to the wrapped object, unless the override answers (non-null).</summary>
public class Forwarder<T> : DispatchProxy
{
    private T _inner = default!;
    private Func<MethodInfo, object?[]?, object?> _override = (_, _) => null;

    public void Setup(T inner, Func<MethodInfo, object?[]?, object?> answer)
    {
        _inner = inner;
        _override = answer;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        try
        {
            return _override(targetMethod!, args) ?? targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
