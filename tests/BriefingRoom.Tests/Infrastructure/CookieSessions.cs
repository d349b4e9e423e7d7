using BriefingRoom.Hosting;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>A browser's cookie session, held as a string, as someone who copied the cookie would hold it.</summary>
public static class CookieSessions
{
    /// <summary>Signs in as the browser does and returns the cookie.</summary>
    public static async Task<string> CookieForAsync(this BriefingApp app, string who, string password = BriefingApp.Password)
    {
        using var client = app.CreateClient(new() { HandleCookies = false, BaseAddress = app.BaseAddress });
        var login = await client.PostJsonAsync("/api/auth/login?useCookies=true", new { email = BriefingApp.Email(who), password });
        await login.ShouldBeAsync(200);
        return CookieIn(login);
    }

    /// <summary>The session cookie a response sets.</summary>
    public static string CookieIn(HttpResponseMessage response)
    {
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("briefing.auth=", StringComparison.Ordinal));
        return setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>A request with that cookie and the page's header, as the page sends it.</summary>
    public static async Task<HttpResponseMessage> SendWithCookieAsync(this BriefingApp app, string cookie, HttpMethod method, string path, string? json = null)
    {
        using var client = app.CreateClient(new() { HandleCookies = false, BaseAddress = app.BaseAddress });
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add(BrowserSecurity.RequestedWithHeader, BrowserSecurity.RequestedWithValue);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, TestHttp.Ct);
    }
}
