using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Tests.Identity;

/// <summary>
/// Issue 14: the page asks whether it is signed in on every load and after a dropped link; "no" is an answer
/// (200), not an error that lands in every visitor's console. And a quiet live connection hears from the server
/// often enough that a page, which counts a server silent for a few seconds as gone, does not take a live link for dead.
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
    public async Task AQuietHubConnectionIsPingedUnasked()
    {
        await using var app = new BriefingApp(realSockets: true);
        var token = await app.TokenForAsync("fr");
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/briefing", Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri;
        await socket.ConnectAsync(address, Ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, Ct);

        // The handshake's answer first, then nothing but pings: this connection joins nothing and says nothing.
        // How often they come is a matter of time, measured by the side-by-side storm (docs/BENCHMARKS.md), not here;
        // the ten seconds are a guard against a hang.
        var buffer = new byte[4096];
        var messages = new List<string>();
        while (messages.Count(m => m != "{}") < 3)
        {
            var received = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
            messages.AddRange(Encoding.UTF8.GetString(buffer, 0, received.Count).Split('\u001e', StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.Equal("{}", messages[0]);
        Assert.All(messages.Skip(1), message => Assert.Equal("{\"type\":6}", message));
    }

    /// <summary>
    /// The page counts a server it has not heard for SILENCE_MS as gone (room-session.js). SignalR writes a ping on its
    /// connection heartbeat (Kestrel's, once a second) to a connection quiet for the hub's KeepAliveInterval, so a quiet
    /// page, on time, waits at most the interval and one heartbeat for it; the rest of SILENCE_MS is what a late tick
    /// may take before a page shows a live link as offline. That margin must stay at least a whole heartbeat.
    /// </summary>
    [Fact]
    public async Task AQuietPageHearsAPingWellBeforeItWouldCountTheServerGone()
    {
        await using var app = new BriefingApp();
        var hub = app.Services.GetRequiredService<IOptions<HubOptions<BriefingHub>>>().Value;
        var global = app.Services.GetRequiredService<IOptions<HubOptions>>().Value;
        var keepAlive = hub.KeepAliveInterval ?? global.KeepAliveInterval ?? TimeSpan.FromSeconds(15);
        var heartbeat = TimeSpan.FromSeconds(1);

        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "wwwroot", "js", "room-session.js"));
        var declared = Regex.Match(page, @"export const SILENCE_MS = ([0-9_]+);");
        Assert.True(declared.Success, "room-session.js no longer declares SILENCE_MS");
        var silence = TimeSpan.FromMilliseconds(int.Parse(declared.Groups[1].Value.Replace("_", ""), CultureInfo.InvariantCulture));

        var onTime = keepAlive + heartbeat;
        Assert.True(silence - onTime >= heartbeat,
            $"a quiet page waits up to {onTime.TotalMilliseconds} ms for a ping on time and counts the server gone after {silence.TotalMilliseconds} ms: less than a heartbeat to spare");
    }
}
