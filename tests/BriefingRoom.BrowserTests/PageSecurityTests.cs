using System.Net;
using System.Net.Sockets;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class PageSecurityTests : RoomTest
{
    [Fact]
    public async Task ThePageIsServedWithAStrictContentSecurityPolicy()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var response = await http.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("style-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("connect-src 'self';", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task TheRoomRunsUnderItsPolicyWithoutViolations()
    {
        var violations = new List<string>();
        var france = await OpenAsync("fr", 1);
        france.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        await france.Page.ReloadAsync();
        await Expect(france.Connection).ToContainTextAsync("Live");
        await france.TypeAtEndAsync(1, " CSP check.");
        await Expect(france.Page.Locator(".editor-draft .status-text")).ToHaveTextAsync("All changes saved.");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task TheRoomConnectsOverWebSocketsAndThePolicyBlocksSocketsToAnyOtherOrigin()
    {
        var france = await OpenAsync("fr", 1);
        var sockets = new List<string>();
        france.Page.WebSocket += (_, socket) => sockets.Add(socket.Url);
        await france.Page.ReloadAsync();
        await Expect(france.Connection).ToContainTextAsync("Live");
        Assert.Contains(sockets, url => url.StartsWith($"ws://127.0.0.1:{Server.Port}/hubs/briefing", StringComparison.Ordinal));

        // Another origin that would accept the connection: only the policy can keep the page from it.
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var reached = elsewhere.AcceptSocketAsync(Ct).AsTask();
        var outcome = await france.Page.EvaluateAsync<string>(
            """
            (url) => new Promise((resolve) => {
              document.addEventListener('securitypolicyviolation', (e) => resolve(`blocked ${e.effectiveDirective} ${e.blockedURI}`), { once: true });
              setTimeout(() => resolve('not blocked'), 3000);
              try { new WebSocket(url); } catch (e) { resolve(`blocked ${e.name}`); }
            })
            """,
            $"ws://127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}/");

        Assert.StartsWith("blocked", outcome, StringComparison.Ordinal);
        Assert.False(reached.IsCompleted, "the page opened a connection to another origin");
    }

    [Fact]
    public async Task ACookieSignedChangeWithoutTheAppsHeaderIsRefused()
    {
        var chair = await OpenAsync("chair", 1);

        var withoutHeader = await chair.FetchAsync("POST", "/api/meetings/1/items/1/lock", new { reason = "forged" }, withAppHeader: false);
        Assert.Equal(403, withoutHeader.Status);
        Assert.Contains("X-Requested-With", withoutHeader.Body);
        await Expect(chair.Page.Locator(".item-chips")).Not.ToContainTextAsync("Locked");

        var withHeader = await chair.FetchAsync("POST", "/api/meetings/1/items/1/lock", new { reason = "real" });
        Assert.Equal(200, withHeader.Status);
    }

    [Fact]
    public async Task TextADelegateTypesIsShownAsTextNeverAsMarkup()
    {
        var france = await OpenAsync("fr", 1);
        var ireland = await OpenAsync("ie", 1);
        const string Payload = "<img src=x onerror=\"document.body.dataset.pwned='yes'\"><b>bold</b>";

        var position = france.Page.GetByRole(AriaRole.Textbox, new() { Name = "Position text of France" });
        await position.FocusAsync();
        await position.PressSequentiallyAsync(Payload);

        var shown = ireland.Page.Locator(".positions tr[data-key='FR'] .position-text");
        await Expect(shown).ToHaveTextAsync(Payload);
        await Expect(ireland.Page.Locator(".positions img")).ToHaveCountAsync(0);
        Assert.Null(await ireland.Page.EvaluateAsync<string?>("() => document.body.dataset.pwned ?? null"));
    }
}
