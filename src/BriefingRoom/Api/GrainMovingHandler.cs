using BriefingRoom.Live;
using Microsoft.AspNetCore.Diagnostics;

namespace BriefingRoom.Api;

/// <summary>
/// A request whose meeting's grain does not answer now (its instance stopped, the call timed out, or the activation is
/// starting again after a failed commit: <see cref="GrainCalls.IsMoving"/>) is answered as <see cref="GrainCalls.Moving"/>,
/// 503 "try again" with Retry-After, wherever in the request it happened: an access check on the way in was a 500, and a
/// member was told nothing useful.
/// </summary>
public sealed partial class GrainMovingHandler(IProblemDetailsService problems, ILogger<GrainMovingHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!GrainCalls.IsMoving(exception))
        {
            return false;
        }

        LogMoving(log, exception, context.Request.Method, context.Request.Path);
        var moving = GrainCalls.Moving();
        var problem = ApiResults.Problem(moving).ProblemDetails;
        context.Response.StatusCode = problem.Status!.Value;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(moving.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = problem });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} met a meeting that does not answer now; answered 503")]
    private static partial void LogMoving(ILogger logger, Exception ex, string method, string path);
}
