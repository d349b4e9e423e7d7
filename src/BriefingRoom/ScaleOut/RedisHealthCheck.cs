using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace BriefingRoom.ScaleOut;

public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (Exception ex) when (ScaleOutSetup.IsRedisFailure(ex))
        {
            return HealthCheckResult.Unhealthy("Redis does not answer.", ex);
        }
    }
}
