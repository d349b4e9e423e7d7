using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BriefingRoom.Api;

/// <summary>Maps refusals to RFC 9457 problem details, the same way for every endpoint.</summary>
public static class ApiResults
{
    public static ProblemHttpResult Problem(Refusal refusal) => refusal switch
    {
        InvalidRefusal invalid => TypedResults.Problem(WithExtensions(new HttpValidationProblemDetails(invalid.Errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = invalid.Title,
            Detail = invalid.Detail,
        }, invalid.Extensions)),
        ConflictRefusal conflict => TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = conflict.Title,
            Detail = conflict.Detail,
            Extensions = { ["current"] = conflict.Current },
        }),
        BusyRefusal busy => TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = busy.Title,
            Detail = busy.Detail,
            Extensions = { ["retryAfterSeconds"] = (int)Math.Ceiling(busy.RetryAfter.TotalSeconds) },
        }),
        _ => TypedResults.Problem(new ProblemDetails
        {
            Status = refusal switch
            {
                NotFoundRefusal => StatusCodes.Status404NotFound,
                ForbiddenRefusal => StatusCodes.Status403Forbidden,
                LockedRefusal => StatusCodes.Status409Conflict,
                GoneRefusal => StatusCodes.Status410Gone,
                _ => StatusCodes.Status400BadRequest,
            },
            Title = refusal.Title,
            Detail = refusal.Detail,
        }),
    };

    private static HttpValidationProblemDetails WithExtensions(HttpValidationProblemDetails problem, IReadOnlyDictionary<string, object?>? extensions)
    {
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    public static Results<Ok<T>, ProblemHttpResult> Ok<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refusal ? Problem(refusal) : TypedResults.Ok(outcome.Value!);

    public static Results<NoContent, ProblemHttpResult> NoContent<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refusal ? Problem(refusal) : TypedResults.NoContent();

    public static NotFoundRefusal MeetingNotFound(int meetingId) =>
        new($"Meeting {meetingId} does not exist or you are not a member of it.");
}
