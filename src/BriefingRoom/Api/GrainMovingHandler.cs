using BriefingRoom.Live;
using Microsoft.AspNetCore.Diagnostics;

namespace BriefingRoom.Api;

/// <summary>
/// A request whose meeting's grain does not answer now (its instance stopped, the call timed out, or the activation is
/// starting again after a failed commit: <see cref="GrainCalls.IsMoving"/>) is answered 503 "try again", with Retry-After,
/// wherever in the request it happened: an access check on the way in was a 500, and a member was told nothing useful.
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
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Busy",
                Detail = GrainCalls.MovingMessage,
                Extensions = { ["retryAfterSeconds"] = 1 },
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} met a meeting that does not answer now; answered 503")]
    private static partial void LogMoving(ILogger logger, Exception ex, string method, string path);
}
