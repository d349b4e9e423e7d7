using BriefingRoom.Identity;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Identity;

/// <summary>
/// remove-admin takes the role away on the server's command line while the app runs: an administrator's cookies and
/// tokens carry the role they were signed in with, so the account's sessions end with it, its open rooms too.
/// </summary>
public sealed class AdminRemovalTests
{
    private static CancellationToken Ct => TestHttp.Ct;

    [Fact]
    public async Task AnAdministratorRemovedWhileSignedInLosesEveryMeetingAtOnceAndSignsInAgainWithoutTheRole()
    {
        await using var app = new BriefingApp(realSockets: true).With("Briefing:Sessions:RevocationSyncInterval", "00:00:00.200");
        // The demo's administrator sits in no meeting: it chairs meeting 1 only as an administrator.
        var token = await app.TokenForAsync("admin");
        using var admin = app.ClientWithToken(token);
        await (await admin.GetAsync("/api/meetings/1", Ct)).ShouldBeAsync(200);
        await using var hub = app.NewHubConnection(token);
        var closed = hub.WhenClosed();
        await hub.StartAsync(Ct);
        await hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, Ct);

        var (exitCode, output) = await CommandAsync(app, AdminCommand.RemoveVerb, BriefingApp.Email("admin"));

        Assert.True(exitCode == 0, $"remove-admin exited with {exitCode}: {output}");
        Assert.Contains($"{BriefingApp.Email("admin")} is no longer an administrator.", output, StringComparison.Ordinal);
        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await (await admin.GetAsync("/api/meetings/1", Ct)).ShouldBeAsync(401);

        using var again = await app.SignInAsync("admin");
        Assert.False((await (await again.GetAsync("/api/me", Ct)).ReadJsonAsync()).GetProperty("isAdmin").GetBoolean());
        await (await again.GetAsync("/api/meetings/1", Ct)).ShouldBeAsync(404);
    }

    /// <summary>An address that is no administrator's, or none at all, is said so, with a non-zero exit, and changes nothing.</summary>
    [Fact]
    public async Task RemovingSomeoneWhoIsNoAdministratorIsRefusedSayingSoAndEndsNoSession()
    {
        await using var app = new BriefingApp().With("Briefing:Sessions:RevocationSyncInterval", "00:00:00.200");
        using var france = await app.SignInAsync("fr");
        var stamp = app.WithDb(db => db.Users.Single(u => u.Email == BriefingApp.Email("fr")).SecurityStamp);

        var (exitCode, output) = await CommandAsync(app, AdminCommand.RemoveVerb, BriefingApp.Email("fr"));
        Assert.Equal(1, exitCode);
        Assert.Contains($"{BriefingApp.Email("fr")} is not an administrator of this BriefingRoom installation: nothing was changed.", output, StringComparison.Ordinal);
        (exitCode, output) = await CommandAsync(app, AdminCommand.RemoveVerb, "nobody@consilium.example");
        Assert.Equal(1, exitCode);
        Assert.Contains("nobody@consilium.example is not an administrator", output, StringComparison.Ordinal);
        (exitCode, output) = await CommandAsync(app, AdminCommand.RemoveVerb);
        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: dotnet BriefingRoom.dll remove-admin <e-mail address>", output, StringComparison.Ordinal);

        Assert.Equal(stamp, app.WithDb(db => db.Users.Single(u => u.Email == BriefingApp.Email("fr")).SecurityStamp));
        Assert.Empty(app.WithDb(db => db.RevokedSessions.ToList()));
        await (await france.GetAsync("/api/meetings/1", Ct)).ShouldBeAsync(200);
    }

    /// <summary>Runs <c>dotnet BriefingRoom.dll</c> with <paramref name="arguments"/> on the running app's database, as the operator does.</summary>
    private static Task<(int ExitCode, string Output)> CommandAsync(BriefingApp app, params string[] arguments) =>
        CreateAdminCommand.RunAsync(arguments, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__BriefingRoom"] = $"Data Source={app.DatabasePath}",
            ["Demo__Password"] = BriefingApp.Password,
            ["Briefing__Mail__PickupFolder"] = Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "mail"),
            ["Logging__LogLevel__Default"] = "Warning",
        });
}
