using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using StackExchange.Redis;

namespace BriefingRoom.ScaleOut;

public static class ScaleOutSetup
{
    public const string RedisConnectionName = "Redis";

    /// <summary>
    /// With ConnectionStrings:Redis set, SignalR uses the Redis backplane (groups and sends reach clients on every
    /// instance) and presence lives in Redis; without it, one instance keeps both in memory.
    /// Briefing:RedisPrefix separates installations (or test runs) that share one Redis.
    /// </summary>
    public static IServiceCollection AddBriefingScaleOut(this IServiceCollection services, IConfiguration configuration)
    {
        var redis = configuration.GetConnectionString(RedisConnectionName);
        if (string.IsNullOrWhiteSpace(redis))
        {
            return services;
        }

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:{RedisConnectionName} is not a valid Redis configuration: {ex.Message}", ex);
        }

        var prefix = RedisPrefix(configuration);
        options.AbortOnConnectFail = false;
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options.Clone()));
        services.AddSingleton(new ScaleOutInstance(prefix));
        services.AddSingleton<IPresenceStore, RedisPresenceStore>();
        services.AddHostedService<InstanceHeartbeat>();
        services.AddSingleton<RoomsForgettingEverywhere>();
        services.AddSingleton<IRoomsForgetting>(sp => sp.GetRequiredService<RoomsForgettingEverywhere>());
        services.AddHostedService(sp => sp.GetRequiredService<RoomsForgettingEverywhere>());
        services.AddSignalR().AddStackExchangeRedis(o =>
        {
            o.Configuration = options;
            o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix + "signalr");
        });
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Redis did not answer, or answered with an error. A timeout is a RedisTimeoutException, which is no RedisException:
    /// caught as one alone, a slow answer escaped and stopped the whole instance (<c>Hosting/RedisStallTests</c>).
    /// </summary>
    public static bool IsRedisFailure(Exception ex) => ex is RedisException or RedisTimeoutException;

    public const string RedisPrefixSetting = "Briefing:RedisPrefix";

    /// <summary>
    /// The prefix of every key and channel, and (without its trailing colons) the silos' cluster id. One of colons or
    /// spaces alone left that id empty, and the start failed in Orleans' words about a setting nobody wrote.
    /// </summary>
    public static string RedisPrefix(IConfiguration configuration)
    {
        var value = configuration[RedisPrefixSetting];
        if (string.IsNullOrEmpty(value))
        {
            return "briefing:";
        }

        if (string.IsNullOrWhiteSpace(value.TrimEnd(':')))
        {
            throw new InvalidOperationException(
                $"{RedisPrefixSetting} is \"{value}\": it needs a name before its colons, such as briefing-prod: (it also names the instances' cluster).");
        }

        return value;
    }
}
