using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace BriefingRoom.Api;

/// <summary>
/// Turns a request the framework could not even bind (malformed JSON, an unknown enum name, a number where
/// text belongs) into a validation problem that names the field, instead of a bare 400 or a 500.
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var (field, message) = bad.InnerException switch
        {
            JsonException json => (FieldOf(json.Path), FirstSentence(json.Message)),
            _ => ("body", bad.Message),
        };

        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status400BadRequest ? "The request is not valid" : "The request was refused",
                Detail = $"{field}: {message}",
            },
        });
    }

    /// <summary>"$.positions[2].stance" becomes "positions[2].stance"; the whole body is "body".</summary>
    private static string FieldOf(string? path) => path switch
    {
        null or "$" or "" => "body",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ => path.TrimStart('$'),
    };

    private static string FirstSentence(string message)
    {
        // The serializer appends "Path: $.x | LineNumber: ..." and, for its own messages, names our types: keep the first sentence only.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var first = cut > 0 ? message[..cut] : message;
        return first.Contains("BriefingRoom.", StringComparison.Ordinal) ? "The value has the wrong type here." : first;
    }
}
