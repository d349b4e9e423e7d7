using System.Net.WebSockets;
using System.Text;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Identity;

/// <summary>
/// Issue 14: the page asks whether it is signed in on every load and after a dropped link; "no" is an answer
/// (200), not an error that lands in every visitor's console. And a quiet live connection hears from the server
/// often enough for a page to notice a dead link within about two seconds.
/// </summary>
public class SessionProbeTests
{
    private static CancellationToken Ct => TestHttp.Ct;

    [Fact]
    public async Task TheSessionProbeAnswers200WhetherOrNotTheCallerIsSignedIn()
    {
        await using var app = new BriefingApp();
        using var anonymous = app.CreateClient();
        var nobody = await anonymous.GetAsync("/api/auth/session", Ct);
        await nobody.ShouldBeAsync(200);
        var nobodyJson = await nobody.ReadJsonAsync();
        Assert.False(nobodyJson.GetProperty("signedIn").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, nobodyJson.GetProperty("me").ValueKind);

        using var france = await app.SignInAsync("fr");
        var signedIn = await france.GetAsync("/api/auth/session", Ct);
        await signedIn.ShouldBeAsync(200);
        var signedInJson = await signedIn.ReadJsonAsync();
        Assert.True(signedInJson.GetProperty("signedIn").GetBoolean());
        Assert.Equal("France delegate", signedInJson.GetProperty("me").GetProperty("name").GetString());
    }

    [Fact]
    public async Task ACookieWhoseSessionEndedIsToldSoWithA200()
    {
        await using var app = new BriefingApp();
        using var browser = app.CreateClient(new() { HandleCookies = false });
        var login = await browser.PostJsonAsync("/api/auth/login?useCookies=true", new { email = BriefingApp.Email("fr"), password = BriefingApp.Password });
        await login.ShouldBeAsync(200);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("briefing.auth=", StringComparison.Ordinal));
        var cookie = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];

        Assert.True((await ProbeAsync(browser, cookie)).GetProperty("signedIn").GetBoolean());
        var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add("Cookie", cookie);
        logout.Headers.Add("X-Requested-With", "BriefingRoom");
        await (await browser.SendAsync(logout, Ct)).ShouldBeAsync(204);

        Assert.False((await ProbeAsync(browser, cookie)).GetProperty("signedIn").GetBoolean());
    }

    private static async Task<System.Text.Json.JsonElement> ProbeAsync(HttpClient client, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/session");
        request.Headers.Add("Cookie", cookie);
        var response = await client.SendAsync(request, Ct);
        await response.ShouldBeAsync(200);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task AQuietHubConnectionIsPingedAboutOnceASecond()
    {
        await using var app = new BriefingApp(realSockets: true);
        var token = await app.TokenForAsync("fr");
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/briefing", Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri;
        await socket.ConnectAsync(address, Ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, Ct);

        var buffer = new byte[4096];
        var pings = new List<TimeSpan>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        // The handshake answer first, then nothing but pings: this connection joins nothing and says nothing.
        while (pings.Count < 4)
        {
            var received = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
            var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
            foreach (var message in text.Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
            {
                if (message.Contains("\"type\":6", StringComparison.Ordinal))
                {
                    pings.Add(clock.Elapsed - last);
                    last = clock.Elapsed;
                }
            }
        }

        // The first gap counts from the handshake; every one must leave a page with a 2.5 s timeout a good margin.
        Assert.All(pings, gap => Assert.True(gap < TimeSpan.FromSeconds(1.9), $"a quiet connection went {gap.TotalMilliseconds:F0} ms without a ping"));
    }
}
