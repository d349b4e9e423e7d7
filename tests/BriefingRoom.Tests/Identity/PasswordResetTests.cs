using System.Text.RegularExpressions;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BriefingRoom.Tests.Identity;

/// <summary>
/// A forgotten password, reset through a link sent to the account's address by a real SMTP server (smtp4dev). Each test
/// uses addresses of its own: the mailbox is shared by the "mail" collection.
/// </summary>
[Collection(MailCollection.Name)]
public partial class PasswordResetTests(MailServer mail)
{
    private const string NewPassword = "Valletta-Summit-2026!";
    private static CancellationToken Ct => TestHttp.Ct;

    [Fact]
    public async Task AForgottenPasswordIsResetThroughTheLinkMailedToTheAddressAndTheOldSessionsEnd()
    {
        await using var app = NewApp();
        var address = Address();
        using var stolen = await app.RegisterOutsiderAsync(address);
        using var anonymous = app.CreateClient();

        await (await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = address })).ShouldBeAsync(202);
        var (email, code) = LinkIn(await mail.WaitForMessageToAsync(address));
        Assert.Equal(address, email);

        await (await anonymous.PostJsonAsync("/api/auth/reset-password", new { email, resetCode = code, newPassword = NewPassword })).ShouldBeAsync(204);

        await (await stolen.GetAsync("/api/me", Ct)).ShouldBeAsync(401);
        await (await anonymous.PostJsonAsync("/api/auth/login", new { email = address, password = BriefingApp.Password })).ShouldBeAsync(401);
        await (await anonymous.PostJsonAsync("/api/auth/login", new { email = address, password = NewPassword })).ShouldBeAsync(200);
        // The link works once.
        var again = await anonymous.PostJsonAsync("/api/auth/reset-password", new { email, resetCode = code, newPassword = "Another-password-2026!" });
        await again.ShouldBeAsync(400);
        Assert.True((await again.ReadJsonAsync()).GetProperty("errors").TryGetProperty("resetCode", out _));
        await (await anonymous.PostJsonAsync("/api/auth/login", new { email = address, password = NewPassword })).ShouldBeAsync(200);
    }

    [Fact]
    public async Task AnAddressWithoutAnAccountGetsTheSameAnswerAndNoLetter()
    {
        await using var app = NewApp();
        var known = Address();
        var unknown = Address();
        using var _ = await app.RegisterOutsiderAsync(known);
        using var anonymous = app.CreateClient();

        var forUnknown = await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = unknown });
        var forKnown = await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = known });

        await forUnknown.ShouldBeAsync(202);
        await forKnown.ShouldBeAsync(202);
        Assert.Equal(await forKnown.Content.ReadAsStringAsync(Ct), await forUnknown.Content.ReadAsStringAsync(Ct));
        // Letters go out one after another, in the order asked: once the known address's has arrived, one for the
        // unknown address would have too.
        await mail.WaitForMessageToAsync(known);
        Assert.Equal(0, await mail.CountMessagesToAsync(unknown));
    }

    [Fact]
    public async Task AskingAgainAndAgainSendsOneLetterNotAFloodOfThem()
    {
        await using var app = NewApp();
        var victim = Address();
        var other = Address();
        using var _ = await app.RegisterOutsiderAsync(victim);
        using var __ = await app.RegisterOutsiderAsync(other);
        using var anonymous = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            await (await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = victim })).ShouldBeAsync(202);
        }

        await (await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = other })).ShouldBeAsync(202);
        await mail.WaitForMessageToAsync(other);
        Assert.Equal(1, await mail.CountMessagesToAsync(victim));
    }

    [Fact]
    public async Task AWrongCodeOrAWeakPasswordIsRefusedNamingTheFieldAndChangesNothing()
    {
        await using var app = NewApp();
        var address = Address();
        using var session = await app.RegisterOutsiderAsync(address);
        using var anonymous = app.CreateClient();
        await (await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = address })).ShouldBeAsync(202);
        var (email, code) = LinkIn(await mail.WaitForMessageToAsync(address));

        var wrongCode = await anonymous.PostJsonAsync("/api/auth/reset-password", new { email, resetCode = code[..^4] + "AAAA", newPassword = NewPassword });
        await wrongCode.ShouldBeAsync(400);
        Assert.True((await wrongCode.ReadJsonAsync()).GetProperty("errors").TryGetProperty("resetCode", out _));
        var weak = await anonymous.PostJsonAsync("/api/auth/reset-password", new { email, resetCode = code, newPassword = "short" });
        await weak.ShouldBeAsync(400);
        Assert.True((await weak.ReadJsonAsync()).GetProperty("errors").TryGetProperty("newPassword", out _));
        var otherAddress = await anonymous.PostJsonAsync("/api/auth/reset-password", new { email = Address(), resetCode = code, newPassword = NewPassword });
        await otherAddress.ShouldBeAsync(400);
        Assert.True((await otherAddress.ReadJsonAsync()).GetProperty("errors").TryGetProperty("resetCode", out _));

        await (await session.GetAsync("/api/me", Ct)).ShouldBeAsync(200);
        await (await anonymous.PostJsonAsync("/api/auth/login", new { email = address, password = BriefingApp.Password })).ShouldBeAsync(200);
        // The code was not used up by the refusals.
        await (await anonymous.PostJsonAsync("/api/auth/reset-password", new { email, resetCode = code, newPassword = NewPassword })).ShouldBeAsync(204);
    }

    /// <summary>
    /// The letter's link was made from the address the request came to, and the request is anyone's: asking for a
    /// delegate's reset with "Host: evil.example" mailed the delegate a genuine letter whose link, code included, opened
    /// the asker's site, which read the code and chose the password. Outside Development the app now needs its own
    /// address to send mail (it will not start without it, naming the setting), and the link goes there whatever the
    /// request says.
    /// </summary>
    [Fact]
    public async Task AResetLinkLeadsToTheAppsOwnAddressNeverToOneTheAskerGives()
    {
        await using (var unset = ProductionApp().With("Briefing:Mail:PublicUrl", ""))
        {
            var refused = Assert.ThrowsAny<Exception>(() => unset.CreateClient());
            Assert.Contains("Briefing:Mail:PublicUrl", refused.ToString(), StringComparison.Ordinal);
        }

        await using var app = ProductionApp().With("Briefing:Mail:PublicUrl", "https://briefing.consilium.example");
        var address = Address();
        using var _ = await app.RegisterOutsiderAsync(address);
        using var asker = app.CreateClient();
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/auth/forgot-password")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { email = address }),
        };
        forged.Headers.Host = "evil.example";
        (await asker.SendAsync(forged, Ct)).EnsureSuccessStatusCode();

        var letter = (await mail.WaitForMessageToAsync(address)).TextBody ?? "";
        Assert.Contains("https://briefing.consilium.example/#/reset-password?email=", letter, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", letter, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same outside Development with the letters written to a pickup folder, from which a mail server sends them: the
    /// link was still made from the request's Host. The app needs its own address there too.
    /// </summary>
    [Fact]
    public async Task AResetLetterWrittenToAPickupFolderLinksToTheAppsOwnAddressToo()
    {
        var folder = Directory.CreateTempSubdirectory("briefingroom-pickup-").FullName;
        BriefingApp PickupApp() => new BriefingApp { Environment = "Production" }.InProduction()
            .With("Briefing:Registration:Open", "true").With("Briefing:Mail:PickupFolder", folder);
        await using (var unset = PickupApp().With("Briefing:Mail:PublicUrl", ""))
        {
            var refused = Assert.ThrowsAny<Exception>(() => unset.CreateClient());
            Assert.Contains("Briefing:Mail:PublicUrl", refused.ToString(), StringComparison.Ordinal);
        }

        await using var app = PickupApp().With("Briefing:Mail:PublicUrl", "https://briefing.consilium.example");
        var address = Address();
        using var _ = await app.RegisterOutsiderAsync(address);
        var before = Directory.GetFiles(folder, "*.eml").ToHashSet();
        using var watcher = new FileSystemWatcher(folder, "*.eml") { EnableRaisingEvents = true };
        var written = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Renamed += (_, e) => written.TrySetResult(e.FullPath);
        using var asker = app.CreateClient();
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/auth/forgot-password")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { email = address }),
        };
        forged.Headers.Host = "evil.example";
        (await asker.SendAsync(forged, Ct)).EnsureSuccessStatusCode();

        var file = await written.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.DoesNotContain(file, before);
        var letter = (await MimeKit.MimeMessage.LoadAsync(file, Ct)).TextBody ?? "";
        Assert.Contains("https://briefing.consilium.example/#/reset-password?email=", letter, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", letter, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    private BriefingApp ProductionApp()
    {
        var app = new BriefingApp { Environment = "Production" }.InProduction().With("Briefing:Registration:Open", "true");
        foreach (var (key, value) in mail.AppSettings)
        {
            app.With(key, value);
        }

        return app;
    }

    /// <summary>
    /// An SMTP server that takes the connection and then stops answering (overloaded, a half-open firewall). The letters
    /// go out one after another, so a letter that waited on it for ever would hold every later one; and a failure that
    /// escaped the loop sending them would end it, and with it, by .NET's default for a background service, the whole
    /// instance. MailKit gives up after <c>Briefing:Mail:SmtpTimeout</c> (with a TimeoutException, whose inner exception
    /// is its own cancellation): that letter is not sent, the asker may ask again, and the next letter goes out.
    /// </summary>
    [Fact]
    public async Task AnSmtpServerThatStopsAnsweringNeitherStopsTheLettersNorTheApp()
    {
        await using var app = NewApp();
        await using var link = mail.BehindARelayFor(app);
        var lost = Address();
        var next = Address();
        using var _ = await app.RegisterOutsiderAsync(lost);
        using var __ = await app.RegisterOutsiderAsync(next);
        using var anonymous = app.CreateClient();

        link.Stall();
        await (await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = lost })).ShouldBeAsync(202);
        Assert.True(await link.AppHangsUpAsync(TimeSpan.FromSeconds(30)), "The letter never gave up on the server that stopped answering.");
        link.Resume();

        await (await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = next })).ShouldBeAsync(202);
        await mail.WaitForMessageToAsync(next);
        Assert.False(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        await (await anonymous.GetAsync("/healthz", Ct)).ShouldBeAsync(200);
        Assert.Equal(0, await mail.CountMessagesToAsync(lost));
    }

    /// <summary>
    /// An account whose address MimeKit cannot read ("eve.@example.org": [EmailAddress] only looks for an @). Asking a
    /// reset for it, anonymously, threw as the letter was addressed, outside the loop's catch: the service sending the
    /// letters failed, and by .NET's default the whole instance stopped. Registration now refuses such an address; an
    /// account that has one from before gets no letter, and the next letter still goes out.
    /// </summary>
    [Fact]
    public async Task AnAccountWhoseAddressNoLetterCanBeSentToNeitherStopsTheLettersNorTheApp()
    {
        await using var app = NewApp();
        const string Unaddressable = "eve.@example.org";
        using var anonymous = app.CreateClient();
        var refused = await anonymous.PostJsonAsync("/api/auth/register", new { email = Unaddressable, password = BriefingApp.Password });
        await refused.ShouldBeAsync(400);
        Assert.Contains("a letter can be sent to", (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("email")[0].GetString(), StringComparison.Ordinal);

        // An account made before registration refused it.
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<BriefingRoom.Identity.BriefingUser>>();
            var made = await users.CreateAsync(new BriefingRoom.Identity.BriefingUser { UserName = Unaddressable, Email = Unaddressable, DisplayName = "Eve" }, BriefingApp.Password);
            Assert.True(made.Succeeded, string.Join(" ", made.Errors.Select(e => e.Description)));
        }

        var next = Address();
        using var _ = await app.RegisterOutsiderAsync(next);

        await (await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = Unaddressable })).ShouldBeAsync(202);
        await (await anonymous.PostJsonAsync("/api/auth/forgot-password", new { email = next })).ShouldBeAsync(202);

        await mail.WaitForMessageToAsync(next);
        Assert.False(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        await (await anonymous.GetAsync("/healthz", Ct)).ShouldBeAsync(200);
    }

    private BriefingApp NewApp()
    {
        var app = mail.NewApp();
        app.With("Briefing:Registration:Open", "true");
        return app;
    }

    private static string Address() => $"reset-{Guid.NewGuid():N}@example.org";

    /// <summary>The address and the code the letter's link carries, as the page reads them.</summary>
    private static (string Email, string Code) LinkIn(MimeKit.MimeMessage letter)
    {
        var link = Link().Match(letter.TextBody ?? "");
        Assert.True(link.Success, letter.TextBody);
        return (Uri.UnescapeDataString(link.Groups["email"].Value), Uri.UnescapeDataString(link.Groups["code"].Value));
    }

    [GeneratedRegex(@"http://\S+#/reset-password\?email=(?<email>[^&\s]+)&code=(?<code>\S+)")]
    private static partial Regex Link();
}
