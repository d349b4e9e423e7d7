using StackExchange.Redis;

namespace BriefingRoom.ScaleOut;

/// <summary>
/// Asks Redis once before the silo joins its cluster there. Nothing can run without it, and where nothing answered (a
/// mistyped port, a server not started) the start failed in the Redis client's words about an Orleans command
/// (HSETNX), which did not say which setting held the address (<c>Hosting/SiloPortTests</c>).
/// Registered before the silo, so that it starts first.
/// </summary>
public sealed class RedisAtStart(IConnectionMultiplexer redis) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
        }
        catch (Exception ex) when (ScaleOutSetup.IsRedisFailure(ex))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ScaleOutSetup.RedisConnectionName}: no Redis answers at {string.Join(", ", redis.GetEndPoints().Select(e => e.ToString()))}. " +
                "Start it, or correct the address.", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
