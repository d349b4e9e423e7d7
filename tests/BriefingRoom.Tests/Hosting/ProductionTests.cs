using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Hosting;

/// <summary>The app as it runs in production (README, "Production"): outside Development, behind a proxy that ends TLS.</summary>
public sealed class ProductionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("briefingroom-production-").FullName;

    private BriefingApp ProductionApp(bool realSockets = false, string? database = null)
    {
        var app = new BriefingApp(realSockets) { Environment = "Production" }
            .InProduction()
            .With("Demo:Seed", "true");
        return database is null ? app : app.With("ConnectionStrings:BriefingRoom", $"Data Source={database}");
    }

    [Fact]
    public async Task TheKeysThatSignCookiesAreStoredEncryptedWithTheCertificate()
    {
        var database = Path.Combine(_directory, "briefingroom.db");
        string cookie;
        await using (var first = ProductionApp(database: database))
        {
            using var browser = first.CreateClient(new() { HandleCookies = false });
            var login = await browser.PostJsonAsync("/api/auth/login?useCookies=true", new { email = "chair@briefing.example", password = BriefingApp.Password });
            await login.ShouldBeAsync(200);
            cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("briefing.auth=", StringComparison.Ordinal)).Split(';')[0];

            var stored = first.WithDb(db => db.DataProtectionKeys.Select(k => k.Xml).ToList());
            Assert.NotEmpty(stored);
            Assert.All(stored, xml =>
            {
                Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            });
        }

        // Restarted on the same database with the same certificate, the app still reads the cookie it issued.
        await using var second = ProductionApp(database: database);
        using var again = second.CreateClient(new() { HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", cookie);
        await (await again.SendAsync(request, TestHttp.Ct)).ShouldBeAsync(200);
    }

    [Fact]
    public async Task TheAppWillNotStartWithoutACertificateForItsKeys()
    {
        await using var app = new BriefingApp { Environment = "Production" };

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Briefing:DataProtection:CertificatePath", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignInCookieIsSecureEvenWhenTheProxyInFrontEndsTls()
    {
        await using var app = ProductionApp(realSockets: true);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };

        // The proxy speaks plain http to the app and says so in X-Forwarded-Proto; the browser spoke https to the proxy.
        foreach (var forwardedProto in new[] { null, "https" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login?useCookies=true")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { email = "fr@briefing.example", password = BriefingApp.Password }),
            };
            if (forwardedProto is not null)
            {
                request.Headers.Add("X-Forwarded-Proto", forwardedProto);
                request.Headers.Add("X-Forwarded-Host", "briefing.example.org");
            }

            var login = await client.SendAsync(request, TestHttp.Ct);
            await login.ShouldBeAsync(200);
            var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("briefing.auth=", StringComparison.Ordinal));
            Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(forwardedProto == "https", login.Headers.Contains("Strict-Transport-Security"));
        }
    }

    [Fact]
    public async Task WithMigrationsRunApartTheAppRefusesADatabaseThatIsBehind()
    {
        await using var app = ProductionApp().With("Briefing:MigrateOnStart", "false");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("migration bundle", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFirstAdministratorIsMadeFromTheCommandLine()
    {
        var database = Path.Combine(_directory, "briefingroom.db");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__BriefingRoom"] = $"Data Source={database}",
            ["Briefing__DataProtection__CertificatePath"] = DataProtectionCertificate.Path,
            ["Briefing__DataProtection__CertificatePassword"] = DataProtectionCertificate.Password,
            ["Briefing__Mail__PickupFolder"] = Path.Combine(_directory, "mail"),
            ["Briefing__Mail__PublicUrl"] = "https://briefing.consilium.example",
            ["BRIEFINGROOM_ADMIN_PASSWORD"] = "Council-IT-2025!",
        };
        var (exitCode, output) = await CreateAdminCommand.RunAsync("it@consilium.example", "Council IT", environment);
        Assert.True(exitCode == 0, $"create-admin exited with {exitCode}: {output}");

        await using var app = new BriefingApp { Environment = "Production" }
            .InProduction()
            .With("ConnectionStrings:BriefingRoom", $"Data Source={database}");
        using var client = app.CreateClient();
        var tokens = await (await client.PostJsonAsync("/api/auth/login", new { email = "it@consilium.example", password = "Council-IT-2025!" })).ReadJsonAsync();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("accessToken").GetString());
        var me = await (await client.GetAsync("/api/me", TestHttp.Ct)).ReadJsonAsync();
        Assert.True(me.GetProperty("isAdmin").GetBoolean());
        Assert.Equal("Council IT", me.GetProperty("name").GetString());

        // And taken away the same way (README, Production); that the sessions end with it is Identity/AdminRemovalTests.
        (exitCode, output) = await CreateAdminCommand.RunAsync(["remove-admin", "it@consilium.example"], environment);
        Assert.True(exitCode == 0, $"remove-admin exited with {exitCode}: {output}");
        client.DefaultRequestHeaders.Authorization = null;
        tokens = await (await client.PostJsonAsync("/api/auth/login", new { email = "it@consilium.example", password = "Council-IT-2025!" })).ReadJsonAsync();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("accessToken").GetString());
        Assert.False((await (await client.GetAsync("/api/me", TestHttp.Ct)).ReadJsonAsync()).GetProperty("isAdmin").GetBoolean());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
    }
}
