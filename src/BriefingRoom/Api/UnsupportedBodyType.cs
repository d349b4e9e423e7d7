using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace BriefingRoom.Api;

/// <summary>
/// The words of a 415. Routing refuses a body of a type the endpoint does not take before the endpoint is chosen, and the
/// endpoint that answers (routing's own) knows nothing of the types it was looking for: they are found again here among
/// the endpoints for this path and method, so the sender learns what it sent and what to send instead.
/// </summary>
internal static class UnsupportedBodyType
{
    public static string Detail(HttpContext http)
    {
        var sent = http.Request.ContentType is { Length: > 0 } type ? $"\"{RequestValidation.Shown(type)}\"" : "none";
        var taken = TypesTakenAt(http).ToList();
        return taken.Count == 0
            ? $"This endpoint does not take a body of this type (the request's Content-Type: {sent})."
            : $"This endpoint takes a body of type {string.Join(", ", taken)}; the request's Content-Type is {sent}.";
    }

    private static IEnumerable<string> TypesTakenAt(HttpContext http)
    {
        var endpoints = http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints;
        return endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase) == true)
            .Select(e => (Endpoint: e, Accepts: e.Metadata.GetMetadata<IAcceptsMetadata>()))
            .Where(e => e.Accepts is { ContentTypes.Count: > 0 } && new TemplateMatcher(new RouteTemplate(e.Endpoint.RoutePattern), []).TryMatch(http.Request.Path, []))
            .SelectMany(e => e.Accepts!.ContentTypes)
            .Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
