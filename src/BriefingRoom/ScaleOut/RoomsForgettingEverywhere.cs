using BriefingRoom.Meetings;
using StackExchange.Redis;

namespace BriefingRoom.ScaleOut;

/// <summary>
/// With several instances each holds its own <see cref="SnapshotCache"/>: dropping only the rooms of the instance that
/// loaded a population table left the others serving rooms counted with the old one, at the same sequence number for a
/// meeting whose retally failed (<c>Population/PopulationReloadAcrossInstancesTests</c>). The instance that forgets tells
/// the others over Redis, and each drops its rooms when it hears it; one that asks in between gets the old room once more.
/// </summary>
public sealed partial class RoomsForgettingEverywhere(IConnectionMultiplexer redis, ScaleOutInstance instance, SnapshotCache rooms, ILogger<RoomsForgettingEverywhere> log)
    : IRoomsForgetting, IHostedService
{
    private RedisChannel Channel => RedisChannel.Literal(instance.Prefix + "rooms:forget");

    public async Task ForgetEverywhereAsync()
    {
        rooms.Forget();
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, instance.Id);
        }
        catch (Exception ex) when (ScaleOutSetup.IsRedisFailure(ex))
        {
            // The table is loaded; its retally still moves the meetings' numbers, which every instance's rooms follow.
            LogNotPublished(log, ex);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().SubscribeAsync(Channel, (_, _) => rooms.Forget());

    public Task StopAsync(CancellationToken cancellationToken) => redis.GetSubscriber().UnsubscribeAsync(Channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other instances to drop their cached rooms")]
    private static partial void LogNotPublished(ILogger logger, Exception ex);
}
