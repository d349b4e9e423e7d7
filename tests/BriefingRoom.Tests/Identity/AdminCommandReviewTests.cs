using BriefingRoom.Identity;
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

    /// <summary>
    /// An account that is the address's own (here, from an invitation) keeps its password: the command said only "is an
    /// administrator", and the operator who had given a password, to make the account or to recover it, could not sign in with it.
    /// </summary>
    [Fact]
    public async Task AnExistingAccountMadeAdministratorIsToldItKeepsItsOwnPassword()
    {
        await using (var app = new BriefingApp(directory: _directory))
        {
            (await app.InviteAndAcceptAsync(Address, "secretariat", null, "IT desk")).Dispose();
        }

        var (exitCode, output) = await CreateAdminAsync();
        Assert.True(exitCode == 0, $"create-admin exited with {exitCode}: {output}");
        Assert.Contains($"{Address} already had an account: it keeps its own password, and {AdminCommand.PasswordVariable} was not used.", output, StringComparison.Ordinal);
        Assert.Contains("Where it is signed in already, the role reaches it when it next signs in at the latest.", output, StringComparison.Ordinal);

        await using var again = new BriefingApp(directory: _directory);
        using var client = again.CreateClient();
        await (await client.PostJsonAsync("/api/auth/login", new { email = Address, password = OperatorsPassword })).ShouldBeAsync(401);
        var tokens = await client.PostJsonAsync("/api/auth/login", new { email = Address, password = BriefingApp.Password });
        await tokens.ShouldBeAsync(200);
        using var admin = again.ClientWithToken((await tokens.ReadJsonAsync()).GetProperty("accessToken").GetString());
        Assert.True((await (await admin.GetAsync("/api/me", TestHttp.Ct)).ReadJsonAsync()).GetProperty("isAdmin").GetBoolean());
    }

    public static TheoryData<string, string, string, string> RefusedArguments => new()
    {
        // A password the rule refuses: the account registered for the address was removed first, and none made.
        { Address, "Council IT", "short", "Passwords must be at least 10 characters." },
        // Longer than any name the room takes (an invitation's, the name on a lock or a withdrawal).
        { Address, new string('N', 201), OperatorsPassword, "The name others see is at most 200 characters." },
        // A name of two lines, which every list and heading would fold into one.
        { Address, "Council IT\nhelp desk", OperatorsPassword, "The name others see is one line: leave out line breaks." },
        // Longer than any address can sign in with: the administrator made could never sign in.
        { new string('a', 250) + "@consilium.example", "Council IT", OperatorsPassword, SignInRequest.EmailTooLong },
        // An address [EmailAddress] takes and no letter can be addressed to: its password reset letter could not be sent.
        { "it.@consilium.example", "Council IT", OperatorsPassword, "it.@consilium.example is not an address a letter can be sent to" },
    };

    /// <summary>
    /// Arguments the app would not take made the command remove the account registered for the address before it found
    /// the password too short, or made an administrator whose address was too long ever to sign in with, or whose name no
    /// lock or invitation can carry. Each is now said, with a non-zero exit, before anything is changed.
    /// </summary>
    [Theory]
    [MemberData(nameof(RefusedArguments))]
    public async Task ArgumentsTheAppWouldNotTakeAreRefusedSayingWhyAndChangeNothing(string address, string name, string password, string said)
    {
        List<string> before;
        await using (var open = new BriefingApp(directory: _directory).With("Briefing:Registration:Open", "true"))
        {
            using var squatter = open.CreateClient();
            await (await squatter.PostJsonAsync("/api/auth/register", new { email = Address, password = SquattersPassword })).ShouldBeAsync(200);
            before = Accounts(open);
        }

        var (exitCode, output) = await CreateAdminAsync(address, name, password);

        Assert.True(exitCode != 0, $"create-admin exited with 0: {output}");
        Assert.Contains(said, output, StringComparison.Ordinal);
        await using var app = new BriefingApp(directory: _directory);
        Assert.Equal(before, Accounts(app));
    }

    /// <summary>Every account, with its id and roles: what the command must leave as it was when it refuses.</summary>
    private static List<string> Accounts(BriefingApp app) => app.WithDb(db =>
        db.Users.Select(u => u.Id + " " + u.Email + " " + u.PasswordHash).ToList()
            .Concat(db.UserRoles.Select(r => r.UserId + " in " + r.RoleId).ToList())
            .Order(StringComparer.Ordinal).ToList());

    /// <summary>Runs <c>dotnet BriefingRoom.dll create-admin</c> on the test's database, as the operator does on the server.</summary>
    private Task<(int ExitCode, string Output)> CreateAdminAsync(string address = Address, string name = "Council IT", string password = OperatorsPassword) =>
        CreateAdminCommand.RunAsync(address, name, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__BriefingRoom"] = $"Data Source={Path.Combine(_directory, "briefingroom.db")}",
            ["Demo__Password"] = BriefingApp.Password,
            ["Briefing__Mail__PickupFolder"] = Path.Combine(_directory, "mail"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["BRIEFINGROOM_ADMIN_PASSWORD"] = password,
        });

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
