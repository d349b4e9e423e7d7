using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// A fault put in front of an instance's real Redis client: while it is on, a call of the method named (a subscriber's
/// <c>PublishAsync</c>, a database's <c>StringSetAsync</c>) on a channel or key whose name <c>names</c> picks out
/// fails as one that Redis did not answer in time does, without the link ever going (Redis stalled for a moment, or the
/// try waited in the client's backlog past its time), or in any other way a test chooses. Everything else reaches Redis
/// as it is. Register it on the instance it is for: <c>s =&gt; fault.Install(s)</c>.
/// </summary>
public sealed class RedisCallsFailing(string method, Func<string, bool> names)
{
    private int _on;
    private int _failed;
    private Func<string, Exception> _failure = TimedOut;
    private readonly SemaphoreSlim _failures = new(0);

    /// <summary>How many calls it failed.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>
    /// Fails each such call from now on: as one Redis did not answer in time, or with the exception
    /// <paramref name="failure"/> makes of the channel's or key's name.
    /// </summary>
    public void Start(Func<string, Exception>? failure = null)
    {
        _failure = failure ?? TimedOut;
        Volatile.Write(ref _on, 1);
    }

    public void Stop() => Volatile.Write(ref _on, 0);

    /// <summary>Waits until it has failed <paramref name="count"/> more calls, for at most <paramref name="within"/>.</summary>
    public async Task FailsAgainAsync(int count, TimeSpan within)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _failures.WaitAsync(within, TestContext.Current.CancellationToken), $"{method} was tried again within {within}");
        }
    }

    /// <summary>Puts the fault in front of the <see cref="IConnectionMultiplexer"/> the app registered.</summary>
    public void Install(IServiceCollection services)
    {
        var real = services.LastOrDefault(d => d.ServiceType == typeof(IConnectionMultiplexer))
            ?? throw new InvalidOperationException("The app registered no IConnectionMultiplexer: is ConnectionStrings:Redis set?");
        var connect = real.ImplementationFactory
            ?? throw new InvalidOperationException("The app's IConnectionMultiplexer is no longer made by a factory: this fault wraps what that makes.");
        services.Remove(real);
        services.AddSingleton(sp => InFront<IConnectionMultiplexer>.Around<Multiplexer>((IConnectionMultiplexer)connect(sp), this));
    }

    /// <summary>
    /// Puts the fault in front of the client of SignalR's Redis backplane, which makes its own; in front of the faults
    /// installed there before it, if any, so that an instance's backplane can fail in more than one way.
    /// </summary>
    public void InstallOnBackplane(IServiceCollection services) =>
        services.PostConfigure<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions>(o =>
        {
            var configuration = o.Configuration;
            var before = o.ConnectionFactory;
            o.ConnectionFactory = async log =>
                InFront<IConnectionMultiplexer>.Around<Multiplexer>(before is null ? await ConnectionMultiplexer.ConnectAsync(configuration, log) : await before(log), this);
        });

    /// <summary>A call Redis did not answer in time (the default failure).</summary>
    public static Exception TimedOut(string name) =>
        new RedisTimeoutException($"Timeout awaiting response to a command on {name} (a fault of the test)", CommandStatus.Sent);

    /// <summary>A call made while the link to Redis is down.</summary>
    public static Exception LinkDown(string name) =>
        new RedisConnectionException(ConnectionFailureType.SocketFailure, $"No connection to Redis for a command on {name} (a fault of the test)");

    /// <summary>The exception for this call of <paramref name="called"/>; null when it goes to Redis.</summary>
    private Exception? Fails(MethodInfo called, object?[]? args)
    {
        var name = args is [RedisChannel channel, ..] ? channel.ToString() : args is [RedisKey key, ..] ? key.ToString() : null;
        if (Volatile.Read(ref _on) == 0 || called.Name != method || name is null || !names(name))
        {
            return null;
        }

        Interlocked.Increment(ref _failed);
        _failures.Release();
        return _failure(name);
    }

    private static object? Forward(MethodInfo method, object target, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    /// <summary>A proxy in front of one of the real client's objects, with the fault at hand.</summary>
    public abstract class InFront<T> : DispatchProxy
        where T : class
    {
        protected T Real { get; private set; } = null!;

        protected RedisCallsFailing Fault { get; private set; } = null!;

        internal static T Around<TProxy>(T real, RedisCallsFailing fault)
            where TProxy : InFront<T>
        {
            var proxy = Create<T, TProxy>();
            var self = (TProxy)(object)proxy;
            (self.Real, self.Fault) = (real, fault);
            return proxy;
        }
    }

    /// <summary>The app's multiplexer, handing out subscribers and databases with the fault in front.</summary>
    public class Multiplexer : InFront<IConnectionMultiplexer>
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Forward(targetMethod!, Real, args) switch
        {
            ISubscriber subscriber => InFront<ISubscriber>.Around<Faulty<ISubscriber>>(subscriber, Fault),
            IDatabase database => InFront<IDatabase>.Around<Faulty<IDatabase>>(database, Fault),
            var other => other,
        };
    }

    /// <summary>A subscriber or database whose calls of the method fail while the fault is on.</summary>
    public class Faulty<T> : InFront<T>
        where T : class
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (Fault.Fails(targetMethod!, args) is not { } failure)
            {
                return Forward(targetMethod!, Real, args);
            }

            // The calls a fault is for return tasks: one that has failed, as the client's own do.
            return targetMethod!.ReturnType.GetGenericArguments() is [var result]
                ? typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!.MakeGenericMethod(result).Invoke(null, [failure])
                : Task.FromException(failure);
        }
    }
}
