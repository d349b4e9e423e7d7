using BriefingRoom.Meetings;
using StackExchange.Redis;

namespace BriefingRoom.ScaleOut;

/// <summary>
/// With several instances each holds its own <see cref="SnapshotCache"/>: dropping only the rooms of the instance that
/// loaded a population table left the others serving rooms counted with the old one, at the same sequence number for a
/// meeting whose retally failed (<c>Population/PopulationReloadAcrossInstancesTests</c>). The instance that forgets tells
/// the others over Redis, and each drops its rooms when it hears it; one that asks in between gets the old room once more.
/// Redis keeps no message for a subscriber that is cut off, so an instance whose link to Redis comes back drops its rooms
/// too (it may have missed a message meanwhile).
/// A message that could not be published, for whatever reason, is owed until it is: it is tried again when a link to
/// Redis is back, and every <see cref="RetryEvery"/> meanwhile. A link-back alone was not enough: its two events (one
/// per connection) can both come while the first try is still waiting in StackExchange.Redis's backlog, which then fails
/// it, and a Redis that stalls for a moment (a failover, a long command) fails the publish without the link ever being
/// seen to go.
/// </summary>
public sealed partial class RoomsForgettingEverywhere(IConnectionMultiplexer redis, ScaleOutInstance instance, SnapshotCache rooms, ILogger<RoomsForgettingEverywhere> log)
    : BackgroundService, IRoomsForgetting
{
    /// <summary>How often a message owed is tried again while Redis does not take it.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    private RedisChannel Channel => RedisChannel.Literal(instance.Prefix + "rooms:forget");

    /// <summary>Set while a message to forget has not been published: the others may still hold rooms this instance dropped.</summary>
    private int _owed;

    /// <summary>Released when a message is owed after a failed try, or a link to Redis is back.</summary>
    private readonly SemaphoreSlim _tryAgain = new(0);

    public async Task ForgetEverywhereAsync()
    {
        rooms.Forget();
        Volatile.Write(ref _owed, 1);
        if (!await TryPublishAsync(firstFailure: true))
        {
            _tryAgain.Release();
        }
    }

    /// <summary>Publishes the message owed, if one is: false when Redis did not take it (it stays owed).</summary>
    private async Task<bool> TryPublishAsync(bool firstFailure)
    {
        if (Interlocked.Exchange(ref _owed, 0) == 0)
        {
            return true;
        }

        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, instance.Id);
            return true;
        }
        catch (Exception ex)
        {
            // Any failure, not only Redis's own: the table is loaded and committed, so its request must not be answered
            // as failed, and an exception out of the retries would end this service and with it the instance. Its
            // retally still moves the meetings' numbers, which every instance's rooms follow.
            Volatile.Write(ref _owed, 1);
            if (firstFailure)
            {
                LogNotPublished(log, ex);
            }

            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            await _tryAgain.WaitAsync(stoppingToken);
            for (var tries = 1; !await TryPublishAsync(firstFailure: false); tries++)
            {
                if (tries == 1)
                {
                    LogStillOwed(log, RetryEvery);
                }

                await _tryAgain.WaitAsync(RetryEvery, stoppingToken);
            }
        }
    }

    private void LinkBack(object? sender, ConnectionFailedEventArgs args)
    {
        LogLinkBack(log, args.ConnectionType);
        rooms.Forget();
        _tryAgain.Release();
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += LinkBack;
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, _) => rooms.Forget());
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= LinkBack;
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(Channel);
        }
        catch (Exception ex) when (ScaleOutSetup.IsRedisFailure(ex) || ex is ObjectDisposedException)
        {
            // Redis gone, or the client closed already (a stop that comes twice, as under the test host): the subscription
            // ends with the connection.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other instances to drop their cached rooms; they are told once Redis takes the message")]
    private static partial void LogNotPublished(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The other instances are still owed a message to drop their cached rooms: tried again when a link to Redis is back, and every {RetryEvery}")]
    private static partial void LogStillOwed(ILogger logger, TimeSpan retryEvery);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {ConnectionType} link to Redis is back: cached rooms dropped, in case a message to drop them was missed")]
    private static partial void LogLinkBack(ILogger logger, ConnectionType connectionType);
}
