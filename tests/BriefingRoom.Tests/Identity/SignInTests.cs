using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BriefingRoom.Tests.Identity;

public class SignInTests
{
    [Fact]
    public async Task RepeatedFailedSignInsLockTheAccountOut()
    {
        await using var app = new BriefingApp();
        var client = app.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await (await client.PostJsonAsync("/api/auth/login", new { email = "hu@briefing.example", password = "wrong-password" })).ShouldBeAsync(401);
        }

        var withTheRightPassword = await client.PostJsonAsync("/api/auth/login", new { email = "hu@briefing.example", password = BriefingApp.Password });

        await withTheRightPassword.ShouldBeAsync(401);
        Assert.Contains("LockedOut", await withTheRightPassword.Content.ReadAsStringAsync(TestHttp.Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASelfRegisteredAccountSeesNoMeetingUntilAMembershipIsGranted()
    {
        await using var app = new BriefingApp();
        var newcomer = await app.RegisterOutsiderAsync("newcomer@example.org");
        Assert.Empty(await newcomer.GetJsonAsync<List<MeetingSummaryDto>>("/api/meetings"));
        await (await newcomer.GetAsync("/api/meetings/1", TestHttp.Ct)).ShouldBeAsync(404);

        var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync("/api/meetings/1/memberships", new { email = "newcomer@example.org", role = "observer" })).ShouldBeAsync(200);

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
    public async Task OnlyAnAdminAppointsAChair()
    {
        await using var app = new BriefingApp();
        await app.RegisterOutsiderAsync("vice@example.org");
        var chair = await app.SignInAsync("chair");
        var admin = await app.SignInAsync("admin");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
            await (await chair.PostJsonAsync("/api/meetings/1/memberships", new { email = "vice@example.org", role = "chair" })).ShouldBeAsync(403));
        await (await admin.PostJsonAsync("/api/meetings/1/memberships", new { email = "vice@example.org", role = "chair" })).ShouldBeAsync(200);
    }
}
