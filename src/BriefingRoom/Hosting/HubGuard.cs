using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using BriefingRoom.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Hosting;

/// <summary>
/// Wraps every hub call: the caller's rate budget, a log scope naming the user, connection, meeting and method,
/// and the count of open connections. Nothing a client sends can take the hub down: refusals are HubExceptions.
/// </summary>
public sealed partial class HubGuard(
    HubRateLimiter limiter, HubConnectionLimit connections, BriefingMetrics metrics, SessionRevocations sessions, ILogger<HubGuard> log) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocation.Context;
        // In memory: the sign-out closes the connection too, this covers the moment in between.
        if (context.User is { } principal && sessions.IsEnded(principal))
        {
            context.Abort();
            throw new HubException("Your session has ended: sign in again.");
        }

        var user = context.UserIdentifier ?? Anonymous;
        // Closing is not counted: refused, the page would close from its side only, and its next screen could be turned
        // away by this connection (BriefingHub.CloseConnection says why). It ends the connection, so it comes once.
        if (invocation.HubMethodName != nameof(Realtime.BriefingHub.CloseConnection) && limiter.TryAcquire(user) is { } wait)
        {
            throw new HubException(TooManyRequests(wait));
        }

        var scope = new Dictionary<string, object?>
        {
            ["UserId"] = user,
            ["ConnectionId"] = context.ConnectionId,
            ["HubMethod"] = invocation.HubMethodName,
            ["MeetingId"] = invocation.HubMethodArguments.Count > 0 && invocation.HubMethodArguments[0] is int meetingId ? meetingId : null,
        };
        using (log.BeginScope(scope))
        {
            try
            {
                return await next(invocation);
            }
            catch (HubException ex)
            {
                // A refusal the caller can act on (locked, not allowed, invalid): routine, not an error of ours.
                LogRefused(log, invocation.HubMethodName, ex.Message);
                throw;
            }
            catch (Exception ex) when (Live.GrainCalls.IsMoving(ex))
            {
                // The meeting's grain does not answer now (moving to another instance, or starting again after a failed
                // commit): the page tries again, as it does for any refusal that says it is busy.
                LogMoving(log, ex, invocation.HubMethodName);
                throw Live.GrainCalls.Moving().AsHubException();
            }
            // A cancellation is routine only when the caller has gone: one the connection did not ask for (a database or
            // Redis command cancelled under us) is a failure of ours, which the caller sees as one.
            catch (Exception ex) when (ex is not OperationCanceledException || !context.ConnectionAborted.IsCancellationRequested)
            {
                LogFailed(log, ex, invocation.HubMethodName);
                throw;
            }
        }
    }

    /// <summary>The budget of callers without a user id (none reach the hub, which requires one).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The refusal of a call over the caller's budget, saying when to try again.</summary>
    public static string TooManyRequests(TimeSpan wait) =>
        $"Too many requests: slow down and try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s.";

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub call {HubMethod} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string hubMethod, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub call {HubMethod} met a meeting that does not answer now; the caller is told to try again")]
    private static partial void LogMoving(ILogger logger, Exception ex, string hubMethod);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub call {HubMethod} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string hubMethod);

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var user = context.Context.UserIdentifier ?? "anonymous";
        // The HTTP check turned away almost everyone over the limit; this catches those who raced past it together.
        if (!connections.TryOpen(context.Context, user))
        {
            throw new HubException(connections.Refusal);
        }

        try
        {
            sessions.Track(context.Context);
            await next(context);
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync for a connection whose OnConnectedAsync failed.
            connections.Release(context.Context);
            sessions.Forget(context.Context);
            throw;
        }

        metrics.Connections.Add(1);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        // Released already if the page closed it with BriefingHub.CloseConnection.
        connections.Release(context.Context);
        sessions.Forget(context.Context);
        metrics.Connections.Add(-1);
        await next(context, exception);
    }
}

/// <summary>Settings under "Briefing".</summary>
public sealed class HubConnectionOptions
{
    /// <summary>Open hub connections one user may hold on one instance: tabs and devices together.</summary>
    [Range(1, 10_000)]
    public int MaxConnectionsPerUser { get; set; } = 20;
}

/// <summary>
/// Counts each user's open hub connections, so that one account cannot hold a thousand sockets (and their memory).
/// Per instance, in memory: behind N instances a user may hold up to N times the limit. Counting across instances
/// would put Redis on every connect and disconnect and leave stale counts when an instance dies; a per-instance cap
/// already bounds what one account can cost each machine, which is what it is for.
/// </summary>
public sealed class HubConnectionLimit(IOptions<HubConnectionOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public int Max => options.Value.MaxConnectionsPerUser;

    public string Refusal =>
        $"Too many connections: you have {Max} open to BriefingRoom already (tabs and devices together). Close one and try again.";

    public bool IsFull(string user) => _open.TryGetValue(user, out var count) && count >= Max;

    private const string SlotKey = "briefing.connection-slot";

    /// <summary>Counts the connection toward its user's limit, unless they hold the limit already.</summary>
    public bool TryOpen(HubCallerContext connection, string user)
    {
        while (true)
        {
            var count = _open.GetOrAdd(user, 0);
            if (count >= Max)
            {
                return false;
            }

            if (_open.TryUpdate(user, count + 1, count))
            {
                connection.Items[SlotKey] = new Slot(user);
                return true;
            }
        }
    }

    /// <summary>
    /// The connection no longer counts toward its user's limit: once only, whether the page released it before closing
    /// (BriefingHub.CloseConnection) or it closed (the two can run together).
    /// </summary>
    public void Release(HubCallerContext connection)
    {
        if (connection.Items.TryGetValue(SlotKey, out var value) && value is Slot slot && Interlocked.Exchange(ref slot.Released, 1) == 0)
        {
            Closed(slot.User);
        }
    }

    /// <summary>A connection's place in its user's count, held in the connection's items.</summary>
    private sealed class Slot(string user)
    {
        public string User { get; } = user;

        public int Released;
    }

    private void Closed(string user)
    {
        while (_open.TryGetValue(user, out var count))
        {
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(user, count)) : _open.TryUpdate(user, count - 1, count))
            {
                return;
            }
        }
    }
}

public static class HubConnectionLimitSetup
{
    public static IServiceCollection AddHubConnectionLimit(this IServiceCollection services)
    {
        services.AddOptions<HubConnectionOptions>().BindConfiguration(BriefingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HubConnectionLimit>();
        return services;
    }

    /// <summary>
    /// Turns a user who is at the limit away before SignalR sets up anything: 429 with a problem detail that says why,
    /// on the negotiation and on the connection request (WebSocket handshake included).
    /// </summary>
    public static WebApplication UseHubConnectionLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<HubConnectionLimit>();
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/hubs"), hubs => hubs.Use(async (http, next) =>
        {
            if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } user && limit.IsFull(user))
            {
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails { Status = StatusCodes.Status429TooManyRequests, Title = "Too many connections", Detail = limit.Refusal },
                });
                return;
            }

            await next(http);
        }));
        return app;
    }
}
