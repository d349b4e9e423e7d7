using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Hosting;

/// <summary>
/// What keeps the page and its cookie safe in a browser. Every response carries a strict Content-Security-Policy
/// (no inline script or style, no framing), so that text a delegate typed can never run as code. A request that
/// carries the sign-in cookie and would change something must also carry <see cref="RequestedWithHeader"/>:
/// a form on another site cannot set a custom header, and a script on another site cannot send one without a
/// CORS preflight that this app never grants. The cookie is SameSite=Strict as well; the header is the second lock.
/// Bearer-token clients send no cookie and are unaffected.
/// </summary>
public static class BrowserSecurity
{
    public const string RequestedWithHeader = "X-Requested-With";
    public const string RequestedWithValue = "BriefingRoom";

    public const string ContentSecurityPolicy =
        // connect-src 'self' covers WebSockets to the page's own host and port (CSP Level 3, as browsers implement it):
        // the page talks to no other origin, over HTTP or WebSockets.
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>The interactive API reference (Development only) runs inline scripts: it keeps its own defaults.</summary>
    private static readonly PathString ApiReference = "/api/docs";

    public static WebApplication UseBrowserSecurity(this WebApplication app)
    {
        // HTTPS only, remembered by the browser, wherever the app is not a developer's own machine.
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.Use(CheckAsync);
        return app;
    }

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (!request.Path.StartsWithSegments(ApiReference))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }

        if (CarriesSignInCookie(context) && Refusal(request) is { } reason)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Not allowed", Detail = reason },
            });
            return;
        }

        await next(context);
    }

    private static bool CarriesSignInCookie(HttpContext context)
    {
        var cookie = context.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme).Cookie.Name;
        return cookie is not null && context.Request.Cookies.ContainsKey(cookie);
    }

    private static string? Refusal(HttpRequest request)
    {
        var guarded = request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");
        if (!guarded)
        {
            return null;
        }

        // A WebSocket handshake is a GET that no header rule can cover; a browser always names the page's origin on it.
        if (request.Headers.Origin is [{ } origin, ..] && !SameHost(origin, request))
        {
            return "Requests signed in with the BriefingRoom cookie must come from the BriefingRoom page.";
        }

        var unsafeMethod = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        return unsafeMethod && request.Headers[RequestedWithHeader] != RequestedWithValue
            ? $"A request signed in with the BriefingRoom cookie that changes something must carry the header {RequestedWithHeader}: {RequestedWithValue}."
            : null;
    }

    private static bool SameHost(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
