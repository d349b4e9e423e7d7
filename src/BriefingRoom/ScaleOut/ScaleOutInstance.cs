using StackExchange.Redis;

namespace BriefingRoom.ScaleOut;

/// <summary>This instance among several: its id, and the key it keeps alive in Redis while it runs.</summary>
public sealed class ScaleOutInstance(string prefix)
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    public string Prefix { get; } = prefix;

    public RedisKey AliveKey(string instanceId) => $"{Prefix}instance:{instanceId}";
}

/// <summary>
/// Keeps this instance's alive key fresh, and removes it on a clean stop, so that other instances drop its
/// connections from presence at once (after a crash, when the key expires).
/// </summary>
public sealed partial class InstanceHeartbeat(IConnectionMultiplexer redis, ScaleOutInstance instance, ILogger<InstanceHeartbeat> log) : BackgroundService
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Beat);
        do
        {
            try
            {
                await redis.GetDatabase().StringSetAsync(instance.AliveKey(instance.Id), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Lifetime);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Any failure, not only Redis's own: an exception out of here would end this service and, with it, the
                // instance and every room on it. The next beat tries again; the key lives for three beats.
                LogBeatFailed(log, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(instance.AliveKey(instance.Id));
        }
        catch (ObjectDisposedException)
        {
            // The client was closed already: a stop that came twice, as the test host's does (its own stop, and the app's
            // when RunAsync sees it), the second after the services were disposed. The key expires within Lifetime.
        }
        catch (Exception ex)
        {
            // Any other failure too, as a beat's: Redis's own, and the cancellation StackExchange.Redis gives every
            // command once its reader has failed (its issue 3085). Out of here it would fail the instance's stop, for a
            // key that expires within Lifetime anyway.
            LogGoneKeyNotDeleted(log, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete this instance's presence key in Redis as it stops; it expires by itself")]
    private static partial void LogGoneKeyNotDeleted(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh this instance's presence key in Redis")]
    private static partial void LogBeatFailed(ILogger logger, Exception ex);
}
