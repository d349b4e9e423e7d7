using System.Net.Http.Headers;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Identity;

/// <summary>Signing out ends the session on the server: a copy of its cookie or token taken before is worth nothing after.</summary>
public class SignOutTests
{
    private static CancellationToken Ct => TestHttp.Ct;

    [Fact]
    public async Task ACookieCapturedBeforeSignOutNeitherReadsNorWritesAfterIt()
    {
        await using var app = new BriefingApp();
        var cookie = await app.CookieForAsync("chair");
        await (await app.SendWithCookieAsync(cookie, HttpMethod.Get, "/api/meetings/1")).ShouldBeAsync(200);

        await (await app.SendWithCookieAsync(cookie, HttpMethod.Post, "/api/auth/logout")).ShouldBeAsync(204);

        await (await app.SendWithCookieAsync(cookie, HttpMethod.Get, "/api/meetings/1")).ShouldBeAsync(401);
        await Fingerprint.AssertUnchangedAsync(app, async () =>
            await (await app.SendWithCookieAsync(cookie, HttpMethod.Post, "/api/meetings/1/items/1/lock", """{"reason":"replayed"}""")).ShouldBeAsync(401));
    }

    [Fact]
    public async Task ABearerTokenAndItsRefreshTokenEndWithSignOut()
    {
        await using var app = new BriefingApp();
        using var anonymous = app.CreateClient();
        var tokens = await (await anonymous.PostJsonAsync("/api/auth/login", new { email = BriefingApp.Email("fr"), password = BriefingApp.Password })).ReadJsonAsync();
        var access = tokens.GetProperty("accessToken").GetString()!;
        var refresh = tokens.GetProperty("refreshToken").GetString()!;
        using var france = app.ClientWithToken(access);

        await (await france.PostAsync("/api/auth/logout", null, Ct)).ShouldBeAsync(204);

        await (await france.GetAsync("/api/me", Ct)).ShouldBeAsync(401);
        await (await anonymous.PostJsonAsync("/api/auth/refresh", new { refreshToken = refresh })).ShouldBeAsync(401);
    }

    [Fact]
    public async Task ATokenRefreshedBeforeSignOutEndsWithTheSessionItCameFrom()
    {
        await using var app = new BriefingApp();
        using var anonymous = app.CreateClient();
        var first = await (await anonymous.PostJsonAsync("/api/auth/login", new { email = BriefingApp.Email("fr"), password = BriefingApp.Password })).ReadJsonAsync();
        var refreshed = await (await anonymous.PostJsonAsync("/api/auth/refresh", new { refreshToken = first.GetProperty("refreshToken").GetString() })).ReadJsonAsync();
        using var france = app.ClientWithToken(first.GetProperty("accessToken").GetString());

        await (await france.PostAsync("/api/auth/logout", null, Ct)).ShouldBeAsync(204);

        france.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", refreshed.GetProperty("accessToken").GetString());
        await (await france.GetAsync("/api/me", Ct)).ShouldBeAsync(401);
        await (await anonymous.PostJsonAsync("/api/auth/refresh", new { refreshToken = refreshed.GetProperty("refreshToken").GetString() })).ShouldBeAsync(401);
    }

    [Fact]
    public async Task SigningOutClosesTheSessionsOpenHubConnectionsAndRefusesNewOnes()
    {
        await using var app = new BriefingApp(realSockets: true);
        var token = await app.TokenForAsync("fr");
        await using var hub = app.NewHubConnection(token);
        var closed = hub.WhenClosed();
        await hub.StartAsync(Ct);
        await hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, Ct);

        using var france = app.ClientWithToken(token);
        await (await france.PostAsync("/api/auth/logout", null, Ct)).ShouldBeAsync(204);

        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await using var again = app.NewHubConnection(token);
        await Assert.ThrowsAnyAsync<Exception>(() => again.StartAsync(Ct));
    }

    [Fact]
    public async Task SigningOutOfOneSessionLeavesTheSameUsersOtherSessionsSignedIn()
    {
        await using var app = new BriefingApp();
        var laptop = await app.CookieForAsync("fr");
        using var tablet = await app.SignInAsync("fr");

        await (await app.SendWithCookieAsync(laptop, HttpMethod.Post, "/api/auth/logout")).ShouldBeAsync(204);

        await (await app.SendWithCookieAsync(laptop, HttpMethod.Get, "/api/me")).ShouldBeAsync(401);
        await (await tablet.GetAsync("/api/me", Ct)).ShouldBeAsync(200);
    }

    [Fact]
    public async Task ASignOutOnOneInstanceEndsTheSessionOnAnotherSharingTheDatabase()
    {
        await using var first = new BriefingApp().With("Briefing:Sessions:RevocationSyncInterval", "00:00:00.200");
        var token = await first.TokenForAsync("chair");
        await using var second = new BriefingApp(realSockets: true)
            .With("ConnectionStrings:BriefingRoom", $"Data Source={first.DatabasePath}")
            .With("Briefing:Sessions:RevocationSyncInterval", "00:00:00.200");
        await using var hub = second.NewHubConnection(token);
        var closed = hub.WhenClosed();
        await hub.StartAsync(Ct);
        await hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, Ct);
        using var onSecond = second.ClientWithToken(token);
        await (await onSecond.GetAsync("/api/meetings/1", Ct)).ShouldBeAsync(200);

        using var onFirst = first.ClientWithToken(token);
        await (await onFirst.PostAsync("/api/auth/logout", null, Ct)).ShouldBeAsync(204);

        // The other instance learns of the sign-out on its next look at the database, a fraction of a second later,
        // and closes the session's connections there: that is the moment to look.
        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await (await onSecond.GetAsync("/api/meetings/1", Ct)).ShouldBeAsync(401);
    }
}
