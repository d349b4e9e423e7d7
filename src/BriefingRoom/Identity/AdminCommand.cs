using Microsoft.AspNetCore.Identity;

namespace BriefingRoom.Identity;

/// <summary>
/// The administrators of an installation, from the command line on the server.
/// <c>dotnet BriefingRoom.dll create-admin admin@consilium.example "Council IT"</c>, with the password in
/// BRIEFINGROOM_ADMIN_PASSWORD or on standard input, makes one. Nobody else can: registration is closed and
/// invitations come from people who are in already. An existing account is made an admin, its password untouched;
/// one registered without proving its address (open registration) is replaced by a new one with the given password.
/// <c>dotnet BriefingRoom.dll remove-admin admin@consilium.example</c> takes the role away, and ends the account's
/// sessions at once (on every instance within the revocation sync interval): each carries the role it signed in with.
/// </summary>
public static class AdminCommand
{
    public const string Verb = "create-admin";
    public const string RemoveVerb = "remove-admin";
    public const string PasswordVariable = "BRIEFINGROOM_ADMIN_PASSWORD";

    /// <summary>
    /// The host's own arguments, and the command's (its verb, then the e-mail and, to create, the display name) when the
    /// first argument is <see cref="Verb"/> or <see cref="RemoveVerb"/>.
    /// </summary>
    public static (string[] HostArgs, string[]? Command) Split(string[] args) => args switch
    {
        [Verb, ..] => (args.Length >= 3 ? args[3..] : [], args[..Math.Min(3, args.Length)]),
        [RemoveVerb, ..] => (args.Length >= 2 ? args[2..] : [], args[..Math.Min(2, args.Length)]),
        _ => (args, null),
    };

    public static Task<int> RunAsync(WebApplication app, string[] command) =>
        command[0] == RemoveVerb ? RemoveAsync(app, command[1..]) : CreateAsync(app, command[1..]);

    private static async Task<int> CreateAsync(WebApplication app, string[] command)
    {
        if (command.Length != 2 || string.IsNullOrWhiteSpace(command[0]) || string.IsNullOrWhiteSpace(command[1]) || command[1].Contains('@', StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"Usage: dotnet BriefingRoom.dll {Verb} <e-mail address> \"<name others see>\"  (password in {PasswordVariable} or on standard input)");
            return 2;
        }

        var (email, name) = (command[0].Trim(), command[1].Trim());
        var couldNot = $"make {email} an administrator";
        // Said before anything changes: an address longer than sign-in takes made an administrator who could never sign
        // in, and a name longer than the room's made one whose locks and invitations could not be written.
        if (ArgumentProblem(email, name) is { } problem)
        {
            await Console.Error.WriteLineAsync($"Could not {couldNot}: {problem}");
            return 2;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<BriefingUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var user = await users.FindByEmailAsync(email);
        string? password = null;
        if (user is null or { EmailConfirmed: false })
        {
            // The password is checked before the account registered for the address gives way: a refused one left neither.
            password = Environment.GetEnvironmentVariable(PasswordVariable) ?? await Console.In.ReadLineAsync() ?? "";
            var broken = await users.BrokenPasswordRulesAsync(new BriefingUser { UserName = email, Email = email }, password);
            if (broken.Count > 0)
            {
                await Console.Error.WriteLineAsync($"Could not {couldNot}: {string.Join(" ", broken)}");
                return 1;
            }
        }

        if (!await roles.RoleExistsAsync(BriefingRoles.Admin))
        {
            await roles.CreateAsync(new IdentityRole(BriefingRoles.Admin));
        }

        if (user is { EmailConfirmed: false })
        {
            // Registered by someone who never proved the address (open registration), with a password of their choosing:
            // it gives way to the operator's own account, as it does to an invitation's (InvitationsApi).
            if (Failed(await users.DeleteAsync(user), couldNot))
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
                "If that password is lost, \"Forgot your password?\" on the sign-in page mails a link to choose a new one. " +
                // Each cookie, token and hub connection carries the roles it was signed in with (see RemoveAsync).
                "Where it is signed in already, the role reaches it when it next signs in at the latest.");
        }
        else
        {
            user = new BriefingUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
            if (Failed(await users.CreateAsync(user, password!), couldNot))
            {
                return 1;
            }
        }

        if (!await users.IsInRoleAsync(user, BriefingRoles.Admin) && Failed(await users.AddToRoleAsync(user, BriefingRoles.Admin), couldNot))
        {
            return 1;
        }

        await Console.Out.WriteLineAsync($"{email} is an administrator of this BriefingRoom installation.");
        return 0;
    }

    /// <summary>
    /// Takes the administrator role from the account of the address given. Its cookies and tokens carry the role they
    /// were signed in with, so every session it has is ended as a changed password's are (the security stamp changes,
    /// and the sessions of the old one are revoked): its open rooms close, and it signs in again with its own seats only.
    /// </summary>
    private static async Task<int> RemoveAsync(WebApplication app, string[] command)
    {
        if (command.Length != 1 || string.IsNullOrWhiteSpace(command[0]))
        {
            await Console.Error.WriteLineAsync($"Usage: dotnet BriefingRoom.dll {RemoveVerb} <e-mail address>");
            return 2;
        }

        var email = command[0].Trim();
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<BriefingUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null || !await users.IsInRoleAsync(user, BriefingRoles.Admin))
        {
            await Console.Error.WriteLineAsync($"{email} is not an administrator of this BriefingRoom installation: nothing was changed.");
            return 1;
        }

        var oldStamp = user.SecurityStamp ?? "";
        if (Failed(await users.RemoveFromRoleAsync(user, BriefingRoles.Admin), $"take the administrator role from {email}")
            || Failed(await users.UpdateSecurityStampAsync(user), $"end the sessions of {email}"))
        {
            return 1;
        }

        var db = scope.ServiceProvider.GetRequiredService<Data.BriefingDb>();
        await scope.ServiceProvider.GetRequiredService<SessionRevocationSync>().EndSessionsOfPasswordAsync(db, user.Id, oldStamp);
        var interval = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionOptions>>().Value.RevocationSyncInterval;
        await Console.Out.WriteLineAsync($"{email} is no longer an administrator. Its sessions have ended (on every running instance within " +
            $"{interval.TotalSeconds:0.#} s); it signs in again with its own seats in meetings only.");
        return 0;
    }

    /// <summary>What is wrong with the address or the name, as the app would refuse it elsewhere; null when nothing is.</summary>
    private static string? ArgumentProblem(string email, string name)
    {
        if (email.Length > SignInRequest.MaxEmail)
        {
            return SignInRequest.EmailTooLong;
        }

        if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email))
        {
            return $"{email} is not an e-mail address.";
        }

        if (!Invitations.Mailer.CanAddress(email))
        {
            return $"{email} is not an address a letter can be sent to (a password reset is mailed there): give the address alone, such as name@example.org.";
        }

        if (name.Length > Data.Limits.ShortText)
        {
            return $"The name others see is at most {Data.Limits.ShortText} characters.";
        }

        // One line, as every name in the room is (Api.OneLineAttribute): lists and headings fold a break into a space.
        return new Api.OneLineAttribute().IsValid(name) ? null : "The name others see is one line: leave out line breaks.";
    }

    /// <summary>Whether Identity refused, said as "Could not <paramref name="couldNot"/>: why".</summary>
    private static bool Failed(IdentityResult result, string couldNot)
    {
        if (result.Succeeded)
        {
            return false;
        }

        Console.Error.WriteLine($"Could not {couldNot}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        return true;
    }
}
