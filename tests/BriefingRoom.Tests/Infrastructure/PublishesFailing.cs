using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// A fault put in front of an instance's real Redis client: while it is on, a publish to a channel whose name ends with
/// the suffix given fails as one that Redis did not answer in time does, without the link ever going (Redis stalled for a
/// moment, or the try waited in the client's backlog past its time), or in any other way a test chooses. Everything else reaches Redis as it is.
/// Register it on the instance it is for: <c>s =&gt; fault.Install(s)</c>.
/// </summary>
public sealed class PublishesFailing(string channelSuffix)
{
    private int _on;
    private int _failed;
    private Func<RedisChannel, Exception> _failure = TimedOut;
    private readonly SemaphoreSlim _failures = new(0);

    /// <summary>How many publishes it failed.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>
    /// Fails each publish to the channel from now on: as one Redis did not answer in time, or with the exception
    /// <paramref name="failure"/> makes.
    /// </summary>
    public void Start(Func<RedisChannel, Exception>? failure = null)
    {
        _failure = failure ?? TimedOut;
        Volatile.Write(ref _on, 1);
    }

    /// <summary>Waits until it has failed <paramref name="count"/> more publishes, for at most <paramref name="within"/>.</summary>
    public async Task FailsAgainAsync(int count, TimeSpan within)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _failures.WaitAsync(within, TestContext.Current.CancellationToken), $"a publish was tried again within {within}");
        }
    }

    private static Exception TimedOut(RedisChannel channel) =>
        new RedisTimeoutException($"Timeout awaiting response to PUBLISH {channel} (a fault of the test)", CommandStatus.Sent);

    public void Stop() => Volatile.Write(ref _on, 0);

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

    private bool Fails(RedisChannel channel)
    {
        if (Volatile.Read(ref _on) == 0 || !channel.ToString().EndsWith(channelSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        Interlocked.Increment(ref _failed);
        _failures.Release();
        return true;
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

        protected PublishesFailing Fault { get; private set; } = null!;

        internal static T Around<TProxy>(T real, PublishesFailing fault)
            where TProxy : InFront<T>
        {
            var proxy = Create<T, TProxy>();
            var self = (TProxy)(object)proxy;
            (self.Real, self.Fault) = (real, fault);
            return proxy;
        }
    }

    /// <summary>The app's multiplexer, handing out subscribers with the fault in front.</summary>
    public class Multiplexer : InFront<IConnectionMultiplexer>
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = Forward(targetMethod!, Real, args);
            return result is ISubscriber subscriber ? InFront<ISubscriber>.Around<Subscriber>(subscriber, Fault) : result;
        }
    }

    /// <summary>A subscriber whose publishes to the channel fail while the fault is on.</summary>
    public class Subscriber : InFront<ISubscriber>
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(ISubscriber.PublishAsync) && args is [RedisChannel channel, ..] && Fault.Fails(channel))
            {
                return Task.FromException<long>(Fault._failure(channel));
            }

            return Forward(targetMethod, Real, args);
        }
    }
}
