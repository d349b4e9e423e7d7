using BriefingRoom.Meetings;
using StackExchange.Redis;

namespace BriefingRoom.ScaleOut;

/// <summary>
/// With several instances each holds its own <see cref="SnapshotCache"/>: dropping only the rooms of the instance that
/// loaded a population table left the others serving rooms counted with the old one, at the same sequence number for a
/// meeting whose retally failed (<c>Population/PopulationReloadAcrossInstancesTests</c>). The instance that forgets tells
/// the others over Redis, and each drops its rooms when it hears it; one that asks in between gets the old room once more.
/// Redis keeps no message for a subscriber that is cut off, so an instance whose link to Redis comes back drops its rooms
/// too (it may have missed a message meanwhile), and one that could not publish publishes once its link is back.
/// </summary>
public sealed partial class RoomsForgettingEverywhere(IConnectionMultiplexer redis, ScaleOutInstance instance, SnapshotCache rooms, ILogger<RoomsForgettingEverywhere> log)
    : IRoomsForgetting, IHostedService
{
    private RedisChannel Channel => RedisChannel.Literal(instance.Prefix + "rooms:forget");

    /// <summary>Set while a message to forget could not be published: the others still hold rooms this instance dropped.</summary>
    private int _owed;

    public async Task ForgetEverywhereAsync()
    {
        rooms.Forget();
        Volatile.Write(ref _owed, 1);
        await PublishAsync();
    }

    private async Task PublishAsync()
    {
        if (Interlocked.Exchange(ref _owed, 0) == 0)
        {
            return;
        }

        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, instance.Id);
        }
        catch (Exception ex) when (ScaleOutSetup.IsRedisFailure(ex))
        {
            // The table is loaded; its retally still moves the meetings' numbers, which every instance's rooms follow. The
            // message goes out when the link to Redis is back.
            Volatile.Write(ref _owed, 1);
            LogNotPublished(log, ex);
        }
    }

    private void LinkBack(object? sender, ConnectionFailedEventArgs args)
    {
        LogLinkBack(log, args.ConnectionType);
        rooms.Forget();
        // Raised on StackExchange.Redis's own thread: nothing that fails here may go unobserved.
        _ = PublishAsync().ContinueWith(t => LogNotPublished(log, t.Exception!), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += LinkBack;
        return redis.GetSubscriber().SubscribeAsync(Channel, (_, _) => rooms.Forget());
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= LinkBack;
        return redis.GetSubscriber().UnsubscribeAsync(Channel);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other instances to drop their cached rooms; they are told when Redis is back")]
    private static partial void LogNotPublished(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {ConnectionType} link to Redis is back: cached rooms dropped, in case a message to drop them was missed")]
    private static partial void LogLinkBack(ILogger logger, ConnectionType connectionType);
}
