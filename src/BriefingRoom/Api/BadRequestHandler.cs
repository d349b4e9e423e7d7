using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace BriefingRoom.Api;

/// <summary>
/// Turns a request the framework could not even bind (malformed JSON, an unknown enum name, a number where
/// text belongs, no body at all) into a validation problem that names the field, instead of a bare 400 or a 500.
/// The words are <see cref="RequestValidation"/>'s, so the hub, which binds its bodies itself, says the same.
/// </summary>
public sealed partial class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var (field, message) = bad.InnerException switch
        {
            JsonException json => RequestValidation.Describe(json, BodyType(context)),
            // A JSON body sent without a Content-Type passes routing and is refused as it is read: the same words as
            // routing's 415 for a type the endpoint does not take.
            _ when bad.StatusCode == StatusCodes.Status415UnsupportedMediaType => (RequestValidation.BodyField, UnsupportedBodyType.Detail(context)),
            _ when bad.Message.StartsWith("Implicit body inferred for parameter", StringComparison.Ordinal) => (RequestValidation.BodyField, RequestValidation.MissingBody),
            _ when NotProvided().Match(bad.Message) is { Success: true } missing => missing.Groups["source"].Value == "body"
                ? (RequestValidation.BodyField, RequestValidation.MissingBody)
                : (missing.Groups["name"].Value, $"The {missing.Groups["name"].Value} parameter is required."),
            _ when NotBound().Match(bad.Message) is { Success: true } unbound => (unbound.Groups["name"].Value, NotBoundMessage(unbound.Groups["type"].Value, unbound.Groups["value"].Value)),
            _ => (RequestValidation.BodyField, bad.Message),
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

    /// <summary>The type the failed endpoint reads its body as (the exception handler has taken the endpoint off the context; its feature keeps it).</summary>
    private static Type? BodyType(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;

    private static string NotBoundMessage(string type, string value)
    {
        // An optional number is named "Nullable<int>", not "int?".
        var plain = OptionalType().Match(type) is { Success: true } optional ? optional.Groups["type"].Value : type.TrimEnd('?');
        var expected = Keywords.TryGetValue(plain, out var known) ? RequestValidation.ExpectedValue(known) : $"a value of type {plain}";
        return $"Expected {expected}, given once, not \"{RequestValidation.Shown(value)}\".";
    }

    /// <summary>The C# keywords the framework names a parameter's type by, for the ones whose words we have.</summary>
    private static readonly Dictionary<string, Type> Keywords = new(StringComparer.Ordinal)
    {
        ["int"] = typeof(int),
        ["long"] = typeof(long),
        ["bool"] = typeof(bool),
    };

    /// <summary>The framework's words for a query or route value it could not convert: Failed to bind parameter "long since" from "abc".</summary>
    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]*) (?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex NotBound();

    [GeneratedRegex("^Nullable<(?<type>\\w+)>$")]
    private static partial Regex OptionalType();

    /// <summary>
    /// The framework's words for a missing required value: Required parameter "PutPositionRequest request" was not
    /// provided from body (or "Implicit body inferred for parameter ... but no body was provided" for a JSON null).
    /// </summary>
    [GeneratedRegex("""^Required parameter "[^"]* (?<name>\w+)" was not provided from (?<source>[\w ]+)\.$""")]
    private static partial Regex NotProvided();
}
