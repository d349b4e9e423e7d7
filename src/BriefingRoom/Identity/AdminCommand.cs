using Microsoft.AspNetCore.Identity;

namespace BriefingRoom.Identity;

/// <summary>
/// The first administrator of an installation, from the command line on the server:
/// <c>dotnet BriefingRoom.dll create-admin admin@consilium.example "Council IT"</c>, with the password in
/// BRIEFINGROOM_ADMIN_PASSWORD or on standard input. Nobody else can make one: registration is closed and
/// invitations come from people who are in already. An existing account is made an admin, its password untouched;
/// one registered without proving its address (open registration) is replaced by a new one with the given password.
/// </summary>
public static class AdminCommand
{
    public const string Verb = "create-admin";
    public const string PasswordVariable = "BRIEFINGROOM_ADMIN_PASSWORD";

    /// <summary>The host's own arguments, and the command's (e-mail, display name) when the first argument is <see cref="Verb"/>.</summary>
    public static (string[] HostArgs, string[]? Command) Split(string[] args) =>
        args.Length > 0 && args[0] == Verb ? (args.Length >= 3 ? args[3..] : [], args[1..Math.Min(3, args.Length)]) : (args, null);

    public static async Task<int> RunAsync(WebApplication app, string[] command)
    {
        if (command.Length != 2 || string.IsNullOrWhiteSpace(command[0]) || string.IsNullOrWhiteSpace(command[1]) || command[1].Contains('@', StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"Usage: dotnet BriefingRoom.dll {Verb} <e-mail address> \"<name others see>\"  (password in {PasswordVariable} or on standard input)");
            return 2;
        }

        var (email, name) = (command[0].Trim(), command[1].Trim());
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<BriefingUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(BriefingRoles.Admin))
        {
            await roles.CreateAsync(new IdentityRole(BriefingRoles.Admin));
        }

        var user = await users.FindByEmailAsync(email);
        if (user is { EmailConfirmed: false })
        {
            // Registered by someone who never proved the address (open registration), with a password of their choosing:
            // it gives way to the operator's own account, as it does to an invitation's (InvitationsApi).
            if (Failed(await users.DeleteAsync(user), email))
            {
                return 1;
            }

            await Console.Out.WriteLineAsync($"An account registered for {email} without proving the address was removed.");
            user = null;
        }

        if (user is not null)
        {
            // Said, since the operator may have given a password to recover the account, and would otherwise try it in vain.
            var unused = Environment.GetEnvironmentVariable(PasswordVariable) is null ? "" : $", and {PasswordVariable} was not used";
            await Console.Out.WriteLineAsync($"{email} already had an account: it keeps its own password{unused}. " +
                "If that password is lost, \"Forgot your password?\" on the sign-in page mails a link to choose a new one.");
        }
        else
        {
            var password = Environment.GetEnvironmentVariable(PasswordVariable) ?? await Console.In.ReadLineAsync() ?? "";
            user = new BriefingUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
            if (Failed(await users.CreateAsync(user, password), email))
            {
                return 1;
            }
        }

        if (!await users.IsInRoleAsync(user, BriefingRoles.Admin) && Failed(await users.AddToRoleAsync(user, BriefingRoles.Admin), email))
        {
            return 1;
        }

        await Console.Out.WriteLineAsync($"{email} is an administrator of this BriefingRoom installation.");
        return 0;
    }

    private static bool Failed(IdentityResult result, string email)
    {
        if (result.Succeeded)
        {
            return false;
        }

        Console.Error.WriteLine($"Could not make {email} an administrator: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        return true;
    }
}
