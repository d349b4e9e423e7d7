using System.Net;
using System.Security.Claims;
using BriefingRoom.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;

namespace BriefingRoom.Hosting;

public static class HostingSetup
{
    /// <summary>Request size limits, proxies, health checks: what running it for real needs.</summary>
    public static WebApplicationBuilder AddBriefingHosting(this WebApplicationBuilder builder)
    {
        // The largest legitimate request is a whole draft pasted at once: 200,000 UTF-16 units, escaped JSON.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 2 * 1024 * 1024);

        var proxies = KnownProxies(builder.Configuration);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }
        });

        builder.Services.AddHealthChecks().AddDbContextCheck<BriefingDb>("database", tags: ["ready"]);
        return builder;
    }

    public const string KnownProxiesSetting = "Briefing:KnownProxies";

    /// <summary>
    /// Read as the app starts: a name or a network here used to stop it only once the pipeline was built, after the
    /// migrations, with "An invalid IP address was specified" and nothing saying which setting held it.
    /// </summary>
    private static List<IPAddress> KnownProxies(IConfiguration configuration)
    {
        var proxies = new List<IPAddress>();
        foreach (var entry in configuration.GetSection(KnownProxiesSetting).GetChildren())
        {
            if (!IPAddress.TryParse(entry.Value?.Trim(), out var address))
            {
                throw new InvalidOperationException(
                    $"{entry.Path} is \"{entry.Value}\": list each proxy by its IP address, such as 10.0.0.5 (not a host name or a network).");
            }

            proxies.Add(address);
        }

        return proxies;
    }

    public static WebApplication UseRequestLogScope(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BriefingRoom.Requests");
        app.Use(async (http, next) =>
        {
            // Not around the hub: a WebSocket request lasts as long as the connection, and the hub filter scopes each call.
            if (http.Request.Path.StartsWithSegments("/hubs"))
            {
                await next(http);
                return;
            }

            using (log.BeginScope(new Dictionary<string, object?> { ["UserId"] = http.User.FindFirstValue(ClaimTypes.NameIdentifier) }))
            {
                await next(http);
            }
        });
        return app;
    }

    /// <summary>/healthz: the process answers. /readyz: it can reach what it needs (the database, and Redis when configured).</summary>
    public static WebApplication MapBriefingHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
