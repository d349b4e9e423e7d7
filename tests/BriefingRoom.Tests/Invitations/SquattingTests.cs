using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Invitations;

/// <summary>
/// The audit's attack: an outsider registers a delegate's address before the delegate does. Only JSON over HTTP here,
/// so that the same test runs against any version of the app.
/// </summary>
[Collection(MailCollection.Name)]
public partial class SquattingTests(MailServer mail)
{
    private const string Lena = "lena.weber@example.org";

    [Fact]
    public async Task AnOutsiderWhoRegisteredADelegatesAddressFirstGetsNoSeat()
    {
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true");
        foreach (var (key, value) in mail.AppSettings)
        {
            app.With(key, value);
        }

        using var squatter = app.CreateClient();
        await (await squatter.PostJsonAsync("/api/auth/register", new { email = Lena, password = "Squatter-2025!" })).ShouldBeAsync(200);
        var stolen = (await (await squatter.PostJsonAsync("/api/auth/login", new { email = Lena, password = "Squatter-2025!" })).ReadJsonAsync()).GetProperty("accessToken").GetString();
        squatter.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stolen);

        // The chair seats Austria's delegate the only way the app offers: by her address.
        using var chair = await app.SignInAsync("chair");
        var seated = await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = Lena, displayName = "Austria – Lena Weber", role = "delegate", delegationCode = "AT" });
        if (!seated.IsSuccessStatusCode)
        {
            seated = await chair.PostJsonAsync("/api/meetings/1/memberships", new { email = Lena, role = "delegate", delegationCode = "AT" });
        }

        await seated.ShouldBeAsync(200);
        await (await squatter.GetAsync("/api/meetings/1", TestHttp.Ct)).ShouldBeAsync(404);

        // The real Lena follows the link that reached her mailbox, with a password of her own.
        var link = Link().Match((await mail.WaitForMessageToAsync(Lena)).TextBody ?? "").Value;
        using var lena = app.CreateClient();
        await (await lena.PostJsonAsync("/api/invitations/accept", new { token = BriefingApp.TokenOf(link), password = "Wien-Brussels-2025!" })).ShouldBeAsync(200);

        Assert.False((await squatter.GetAsync("/api/meetings/1", TestHttp.Ct)).IsSuccessStatusCode);
        await (await squatter.PostJsonAsync("/api/auth/login", new { email = Lena, password = "Squatter-2025!" })).ShouldBeAsync(401);
        using var real = app.CreateClient();
        var token = (await (await real.PostJsonAsync("/api/auth/login", new { email = Lena, password = "Wien-Brussels-2025!" })).ReadJsonAsync()).GetProperty("accessToken").GetString();
        real.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await (await real.GetAsync("/api/meetings/1", TestHttp.Ct)).ShouldBeAsync(200);
    }

    [GeneratedRegex(@"http://\S+#/invitation/[A-Za-z0-9_-]+")]
    private static partial Regex Link();
}
