using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Hosting;

/// <summary>Per-user token buckets: a sustained rate and a burst. Settings under "Briefing:RateLimits".</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Briefing:RateLimits";

    /// <summary>API requests per second for a signed-in user.</summary>
    [Range(1, 100_000)] public int ApiPerSecond { get; set; } = 50;
    [Range(1, 100_000)] public int ApiBurst { get; set; } = 200;

    /// <summary>API requests per second from one address without identity (sign-in, registration).</summary>
    [Range(1, 100_000)] public int AnonymousPerSecond { get; set; } = 30;
    [Range(1, 100_000)] public int AnonymousBurst { get; set; } = 300;

    /// <summary>Hub calls per second for one user, all connections together (operations, carets, catch-up).</summary>
    [Range(1, 100_000)] public int HubPerSecond { get; set; } = 60;
    [Range(1, 100_000)] public int HubBurst { get; set; } = 300;
}

public static class RateLimits
{
    public static IServiceCollection AddBriefingRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HubRateLimiter>();
        // Our own small middleware rather than UseRateLimiter: the framework's middleware keeps a replenishing limiter
        // of its own that nobody disposes, whose timer keeps every stopped app alive in a process that starts many.
        services.AddSingleton<ApiRateLimiter>();
        return services;
    }

    /// <summary>Refuses API requests over the caller's budget with 429, Retry-After and problem details.</summary>
    public static IApplicationBuilder UseApiRateLimits(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<ApiRateLimiter>();
        return app.Use(async (http, next) =>
        {
            using var lease = limiter.Limiter.AttemptAcquire(http);
            if (lease.IsAcquired)
            {
                await next(http);
                return;
            }

            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = $"Slow down: try again in {seconds} s.",
                },
            });
        });
    }

    internal static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>The API's budget: a bucket per signed-in user, and one per client address (an IPv6 client's /64) for requests without identity.</summary>
public sealed class ApiRateLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    public PartitionedRateLimiter<HttpContext> Limiter { get; } = PartitionedRateLimiter.Create<HttpContext, string>(http =>
    {
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            return RateLimitPartition.GetNoLimiter("not-api");
        }

        var limits = options.Value;
        var user = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        return user is not null
            ? RateLimitPartition.GetTokenBucketLimiter($"user:{user}", _ => RateLimits.Bucket(limits.ApiPerSecond, limits.ApiBurst))
            : RateLimitPartition.GetTokenBucketLimiter($"ip:{ClientNetwork.Of(http.Connection.RemoteIpAddress)}", _ => RateLimits.Bucket(limits.AnonymousPerSecond, limits.AnonymousBurst));
    });

    public void Dispose() => Limiter.Dispose();
}

/// <summary>The hub's per-user budget: one bucket per user across all of their connections.</summary>
public sealed class HubRateLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(user =>
        RateLimitPartition.GetTokenBucketLimiter(user, _ => RateLimits.Bucket(options.Value.HubPerSecond, options.Value.HubBurst)));

    /// <summary>Null when the call may go ahead, else how long to wait.</summary>
    public TimeSpan? TryAcquire(string user)
    {
        using var lease = _limiter.AttemptAcquire(user);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
    }

    public void Dispose() => _limiter.Dispose();
}
