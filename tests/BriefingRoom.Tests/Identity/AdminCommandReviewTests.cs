using System.Diagnostics;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Identity;

/// <summary>The create-admin command makes the operator an administrator, never someone who registered the address first.</summary>
public sealed class AdminCommandReviewTests : IDisposable
{
    private const string Address = "it@consilium.example";
    private const string OperatorsPassword = "Council-IT-2025!";
    private const string SquattersPassword = "Squatter-2025!";

    private readonly string _directory = Directory.CreateTempSubdirectory("briefingroom-admin-").FullName;

    [Fact]
    public async Task AnAccountRegisteredForTheAddressWithoutProvingItDoesNotBecomeTheAdministrator()
    {
        await using (var open = new BriefingApp(directory: _directory).With("Briefing:Registration:Open", "true"))
        {
            using var squatter = open.CreateClient();
            await (await squatter.PostJsonAsync("/api/auth/register", new { email = Address, password = SquattersPassword })).ShouldBeAsync(200);
        }

        var (exitCode, output) = await CreateAdminAsync();
        Assert.True(exitCode == 0, $"create-admin exited with {exitCode}: {output}");

        await using var app = new BriefingApp(directory: _directory);
        using var client = app.CreateClient();
        var squatted = await client.PostJsonAsync("/api/auth/login", new { email = Address, password = SquattersPassword });
        if (squatted.IsSuccessStatusCode)
        {
            using var squatter = app.ClientWithToken((await squatted.ReadJsonAsync()).GetProperty("accessToken").GetString());
            var me = await (await squatter.GetAsync("/api/me", TestHttp.Ct)).ReadJsonAsync();
            Assert.False(me.GetProperty("isAdmin").GetBoolean(), "the account an outsider registered for the address, with the outsider's password, is the administrator");
        }

        var tokens = await client.PostJsonAsync("/api/auth/login", new { email = Address, password = OperatorsPassword });
        await tokens.ShouldBeAsync(200);
        using var admin = app.ClientWithToken((await tokens.ReadJsonAsync()).GetProperty("accessToken").GetString());
        Assert.True((await (await admin.GetAsync("/api/me", TestHttp.Ct)).ReadJsonAsync()).GetProperty("isAdmin").GetBoolean());
    }

    /// <summary>Runs <c>dotnet BriefingRoom.dll create-admin</c> on the test's database, as the operator does on the server.</summary>
    private async Task<(int ExitCode, string Output)> CreateAdminAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "BriefingRoom.dll"), "create-admin", Address, "Council IT" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__BriefingRoom"] = $"Data Source={Path.Combine(_directory, "briefingroom.db")}";
        start.Environment["Demo__Password"] = BriefingApp.Password;
        start.Environment["Briefing__Mail__PickupFolder"] = Path.Combine(_directory, "mail");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["BRIEFINGROOM_ADMIN_PASSWORD"] = OperatorsPassword;
        using var command = Process.Start(start)!;
        var output = command.StandardOutput.ReadToEndAsync(TestHttp.Ct);
        var errors = command.StandardError.ReadToEndAsync(TestHttp.Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestHttp.Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await command.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            command.Kill(entireProcessTree: true);
            Assert.Fail("create-admin did not finish: the app started serving instead.");
        }

        return (command.ExitCode, await output + await errors);
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
