using System.Diagnostics;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Identity;

public class SignInTests
{
    private const string Attacker = "203.0.113.66";
    private const string HungarysOffice = "198.51.100.7";
    private static readonly string[] Accounts = ["hu@briefing.example", "fr@briefing.example", "de@briefing.example", "it@briefing.example"];

    [Fact]
    public async Task WrongPasswordsFromOneClientDoNotLockTheAccountOutForItsOwner()
    {
        await using var app = new BriefingApp(realSockets: true);
        using var client = app.CreateClient();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var wrong = await SignInFromAsync(client, Attacker, "hu@briefing.example", "wrong-password");
            Assert.True((int)wrong.StatusCode is 401 or 429, $"attempt {attempt}: {(int)wrong.StatusCode}");
        }

        await (await SignInFromAsync(client, HungarysOffice, "hu@briefing.example", BriefingApp.Password)).ShouldBeAsync(200);
    }

    [Fact]
    public async Task AClientThatKeepsGuessingIsHeldBackEvenWithTheRightPassword()
    {
        await using var app = new BriefingApp(realSockets: true);
        using var client = app.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await (await SignInFromAsync(client, Attacker, "hu@briefing.example", "wrong-password")).ShouldBeAsync(401);
        }

        var held = await SignInFromAsync(client, Attacker, "hu@briefing.example", BriefingApp.Password);

        await held.ShouldBeAsync(429);
        Assert.NotNull(held.Headers.RetryAfter);
    }

    [Fact]
    public async Task SignInAnswersAlikeWhetherOrNotTheAccountExists()
    {
        await using var app = new BriefingApp(realSockets: true);
        using var client = app.CreateClient();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var existing = await SignInFromAsync(client, Attacker, "hu@briefing.example", "wrong-password");
            var unknown = await SignInFromAsync(client, Attacker, "nobody@briefing.example", "wrong-password");

            Assert.Equal(existing.StatusCode, unknown.StatusCode);
            Assert.Equal(await WithoutTraceIdAsync(existing), await WithoutTraceIdAsync(unknown));
            Assert.Equal(existing.Headers.RetryAfter?.Delta.HasValue, unknown.Headers.RetryAfter?.Delta.HasValue);
        }
    }

    [Fact]
    public async Task SignInTakesAsLongForAnUnknownAddressAsForAWrongPassword()
    {
        // The production cost of a password hash, so that skipping it would show.
        await using var app = new BriefingApp().WithServices(s => s.Configure<PasswordHasherOptions>(o => o.IterationCount = 100_000));
        using var client = app.CreateClient();
        await SignInFromAsync(client, null, "hu@briefing.example", "warm-up");
        await SignInFromAsync(client, null, "warm-up@briefing.example", "warm-up");

        // Interleaved, over four accounts so that none reaches the throttle; medians, against a busy machine.
        var existing = new List<double>();
        var unknown = new List<double>();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            existing.Add(await TimeAsync(() => SignInFromAsync(client, null, Accounts[attempt % Accounts.Length], $"wrong-{attempt}")));
            unknown.Add(await TimeAsync(() => SignInFromAsync(client, null, $"nobody{attempt}@briefing.example", $"wrong-{attempt}")));
        }

        // Skipping the hash makes the unknown address some ten times faster; the same work keeps them within noise.
        var (a, b) = (Median(existing), Median(unknown));
        Assert.True(Math.Min(a, b) / Math.Max(a, b) > 1.0 / 3, $"wrong password: {a:F1} ms, unknown address: {b:F1} ms");
    }

    [Fact]
    public async Task RegistrationAnswersAlikeWhetherOrNotTheAddressHasAnAccount()
    {
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true");
        using var client = app.CreateClient();

        var taken = await client.PostJsonAsync("/api/auth/register", new { email = "fr@briefing.example", password = "Another-password-1!" });
        var free = await client.PostJsonAsync("/api/auth/register", new { email = "newcomer@example.org", password = "Another-password-1!" });

        Assert.Equal(free.StatusCode, taken.StatusCode);
        Assert.Equal(await WithoutTraceIdAsync(free), await WithoutTraceIdAsync(taken));
        // The existing account is untouched: its password is still its own.
        await (await SignInFromAsync(client, null, "fr@briefing.example", BriefingApp.Password)).ShouldBeAsync(200);
        await (await SignInFromAsync(client, null, "fr@briefing.example", "Another-password-1!")).ShouldBeAsync(401);
    }

    [Fact]
    public async Task TwoRegistrationsOfOneNewAddressAtOnceBothGetTheUsualAnswer()
    {
        var inserts = new HoldingInterceptor(sql => sql.Contains("INSERT INTO \"AspNetUsers\"", StringComparison.Ordinal));
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true")
            .WithServices(s => s.ConfigureDbContext<BriefingRoom.Data.SqliteBriefingDb>(o => o.AddInterceptors(inserts)));
        using var client = app.CreateClient();
        var newcomer = new { email = "newcomer@example.org", password = "Another-password-1!" };

        // The first is past every check and writing; the second checks now, finds no account yet, and writes first.
        inserts.HoldNext();
        var first = client.PostJsonAsync("/api/auth/register", newcomer);
        await inserts.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        var second = await client.PostJsonAsync("/api/auth/register", newcomer);
        inserts.Release();

        await second.ShouldBeAsync(200);
        // Whoever lost the race is answered as for an address that has an account: alike, never a 500.
        await (await first).ShouldBeAsync(200);
        Assert.Equal(1, app.WithDb(db => db.Users.Count(u => u.Email == "newcomer@example.org")));
    }

    [Fact]
    public async Task OpenRegistrationIsOffByDefaultAndSaysHowToGetIn()
    {
        await using var app = new BriefingApp();
        using var client = app.CreateClient();

        var refused = await client.PostJsonAsync("/api/auth/register", new { email = "squatter@example.org", password = "Squatter-2025!" });

        await refused.ShouldBeAsync(403);
        Assert.Contains("invitation", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, app.WithDb(db => db.Users.Count(u => u.Email == "squatter@example.org")));
    }

    [Fact]
    public async Task ASelfRegisteredAccountSeesNoMeetingUntilItAcceptsAnInvitation()
    {
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true");
        var newcomer = await app.RegisterOutsiderAsync("newcomer@example.org");
        Assert.Empty(await newcomer.GetJsonAsync<List<MeetingSummaryDto>>("/api/meetings"));
        await (await newcomer.GetAsync("/api/meetings/1", TestHttp.Ct)).ShouldBeAsync(404);

        var chair = await app.SignInAsync("chair");
        var invitation = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "newcomer@example.org", displayName = "Observer (newcomer)", role = "observer" })).ReadJsonAsync();
        Assert.Empty(await newcomer.GetJsonAsync<List<MeetingSummaryDto>>("/api/meetings"));
        // Signed in as the invited account, the link is enough.
        await (await newcomer.PostJsonAsync("/api/invitations/accept", new { token = BriefingApp.TokenOf(invitation.GetProperty("link").GetString()!) })).ShouldBeAsync(200);

        var meetings = await newcomer.GetJsonAsync<List<MeetingSummaryDto>>("/api/meetings");
        Assert.Equal(MeetingRole.Observer, Assert.Single(meetings).Role);
        var snapshot = await newcomer.GetJsonAsync<MeetingSnapshot>("/api/meetings/1");
        Assert.False(snapshot.You!.CanEditDrafts);
    }

    [Fact]
    public async Task TheBrowserSignsInWithAStrictHttpOnlyCookie()
    {
        await using var app = new BriefingApp();
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

        var login = await browser.PostJsonAsync("/api/auth/login?useCookies=true", new { email = "chair@briefing.example", password = BriefingApp.Password });

        await login.ShouldBeAsync(200);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("briefing.auth=", StringComparison.Ordinal));
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var snapshot = await browser.GetJsonAsync<MeetingSnapshot>("/api/meetings/1");
        Assert.Equal(MeetingRole.Chair, snapshot.You!.Role);
    }

    [Fact]
    public async Task OnlyAnAdminInvitesAChair()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var admin = await app.SignInAsync("admin");
        var vice = new { email = "vice@example.org", displayName = "Vice-chair", role = "chair" };

        await Fingerprint.AssertUnchangedAsync(app, async () => await (await chair.PostJsonAsync("/api/meetings/1/invitations", vice)).ShouldBeAsync(403));
        await (await admin.PostJsonAsync("/api/meetings/1/invitations", vice)).ShouldBeAsync(200);
    }

    [Fact]
    public async Task AnAddressLongerThanAnyAccountCanHaveIsRefusedNamingTheField()
    {
        // Each address tried is held in the sign-in throttle's memory for minutes: a megabyte each, 30 a second, was a
        // gigabyte a minute from one client. No account's address is longer than Identity's 256 characters.
        await using var app = new BriefingApp();
        using var client = app.CreateClient();
        var huge = new string('a', 1_000_000) + "@briefing.example";

        foreach (var path in new[] { "/api/auth/login", "/api/auth/login?useCookies=true" })
        {
            var refused = await client.PostJsonAsync(path, new { email = huge, password = "wrong-password" });

            await refused.ShouldBeAsync(400);
            Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("email", out _));
        }
    }

    /// <summary>A sign-in as it reaches the app through the proxy, from <paramref name="clientAddress"/> (null: the test client's own).</summary>
    private static Task<HttpResponseMessage> SignInFromAsync(HttpClient client, string? clientAddress, string email, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { email, password }),
        };
        if (clientAddress is not null)
        {
            request.Headers.Add("X-Forwarded-For", clientAddress);
        }

        return client.SendAsync(request, TestHttp.Ct);
    }

    /// <summary>The body as the client reads it, less the trace id that differs on every response.</summary>
    private static async Task<string> WithoutTraceIdAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestHttp.Ct);
        if (body.Length == 0 || System.Text.Json.Nodes.JsonNode.Parse(body) is not System.Text.Json.Nodes.JsonObject json)
        {
            return body;
        }

        json.Remove("traceId");
        return json.ToJsonString();
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> act)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await act();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
