using System.Globalization;
using BriefingRoom.Identity;
using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Hosting;

/// <summary>
/// Wraps every hub call: the caller's rate budget, a log scope naming the user, connection, meeting and method,
/// and the count of open connections. Nothing a client sends can take the hub down: refusals are HubExceptions.
/// </summary>
public sealed partial class HubGuard(HubRateLimiter limiter, BriefingMetrics metrics, SessionRevocations sessions, ILogger<HubGuard> log) : IHubFilter
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

        var user = context.UserIdentifier ?? "anonymous";
        if (limiter.TryAcquire(user) is { } wait)
        {
            throw new HubException($"Too many requests: slow down and try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s.");
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
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(log, ex, invocation.HubMethodName);
                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub call {HubMethod} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string hubMethod, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub call {HubMethod} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string hubMethod);

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        sessions.Track(context.Context);
        await next(context);
        metrics.Connections.Add(1);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        sessions.Forget(context.Context);
        metrics.Connections.Add(-1);
        await next(context, exception);
    }
}
