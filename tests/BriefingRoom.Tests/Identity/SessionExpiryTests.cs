using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BriefingRoom.Tests.Identity;

/// <summary>A sign-in that expires ends everywhere it was used: over REST and on the hub connections opened with it.</summary>
public class SessionExpiryTests
{
    private static CancellationToken Ct => TestHttp.Ct;

    [Fact]
    public async Task AHubConnectionClosesWhenTheSignInItWasOpenedWithExpires()
    {
        var lifetime = TimeSpan.FromSeconds(3);
        await using var app = new BriefingApp(realSockets: true)
            .WithServices(s => s.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = lifetime));
        var token = await app.TokenForAsync("fr");
        await using var hub = app.NewHubConnection(token);
        var closed = hub.WhenClosed();
        await hub.StartAsync(Ct);
        await hub.InvokeAsync<JoinedDto>("JoinMeeting", BriefingApp.DemoMeetingId, Ct);

        // The token stops opening anything after its lifetime; a socket opened with it must not go on hearing the
        // meeting and editing in it for as long as it stays up. SignalR looks on its one-second heartbeat.
        await closed.WaitAsync(lifetime + TimeSpan.FromSeconds(15), Ct);
        using var expired = app.ClientWithToken(token);
        await (await expired.GetAsync("/api/me", Ct)).ShouldBeAsync(401);
    }

    /// <summary>
    /// Typing goes over the hub's WebSocket, which carries the cookie only as it opens: the page keeps a working
    /// delegate signed in by asking "who am I" every few minutes while they work (wwwroot/js/session-keeper.js). That
    /// request must renew a cookie in the second half of its working day, or a night of typing ends at its fourteenth hour.
    /// </summary>
    [Fact]
    public async Task TheRequestThePageMakesWhileItsOwnerWorksRenewsTheCookieSoThatItOutlivesItsFirstDay()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new BriefingApp()
            .WithServices(s => s.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => o.TimeProvider = clock));
        using var browser = app.CreateClient(new() { HandleCookies = false });
        var login = await browser.PostJsonAsync("/api/auth/login?useCookies=true", new { email = BriefingApp.Email("fr"), password = BriefingApp.Password });
        await login.ShouldBeAsync(200);
        var first = CookieOf(login)!;

        // Nine hours of typing later the page asks who it is: the answer carries a renewed cookie.
        clock.Advance(TimeSpan.FromHours(9));
        var asked = await MeAsync(browser, first);
        await asked.ShouldBeAsync(200);
        var renewed = CookieOf(asked);
        Assert.NotNull(renewed);
        Assert.NotEqual(first, renewed);

        // At the fifteenth hour the first cookie no longer opens anything, and the renewed one does.
        clock.Advance(TimeSpan.FromHours(6));
        await (await MeAsync(browser, first)).ShouldBeAsync(401);
        await (await MeAsync(browser, renewed)).ShouldBeAsync(200);
    }

    private static string? CookieOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            && values.FirstOrDefault(c => c.StartsWith("briefing.auth=", StringComparison.Ordinal)) is { } setCookie
            ? setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)]
            : null;

    private static Task<HttpResponseMessage> MeAsync(HttpClient client, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request, Ct);
    }
}
