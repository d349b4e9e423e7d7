using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Identity;

/// <summary>A password hash of nothing, checked when an address has no account, so that the answer takes as long as a real check.</summary>
public sealed class DecoyPassword(IOptions<PasswordHasherOptions> options)
{
    private readonly Lazy<string> _hash = new(() => new PasswordHasher<BriefingUser>(options).HashPassword(new BriefingUser(), Guid.NewGuid().ToString()));

    public void Check(string password) =>
        new PasswordHasher<BriefingUser>(options).VerifyHashedPassword(new BriefingUser(), _hash.Value, password);

    /// <summary>Spends what hashing a new password costs, for an answer that must not show that nothing was stored.</summary>
    public void Hash(string password) => new PasswordHasher<BriefingUser>(options).HashPassword(new BriefingUser(), password);
}

/// <summary>
/// Checks an address and a password the same way for sign-in and for accepting an invitation as an existing account:
/// throttled per (address, client), one answer for a wrong password and an unknown address, in about the same time.
/// </summary>
public sealed class PasswordCheck(UserManager<BriefingUser> users, DecoyPassword decoy, SignInThrottle throttle)
{
    public abstract record Result;
    public sealed record Passed(BriefingUser User) : Result;
    public sealed record Failed : Result;
    public sealed record HeldBack(TimeSpan Wait) : Result;

    public async Task<Result> CheckAsync(string email, string password, HttpContext http)
    {
        var client = http.Connection.RemoteIpAddress;
        // Counted under the address as the account lookup reads it: every spelling that finds the same account (another
        // case, "K" written as U+212A KELVIN SIGN, an accent decomposed) is the same address, not a fresh count of guesses.
        var address = users.NormalizeEmail(email.Trim()) ?? "";
        if (throttle.TryBegin(address, client) is { } wait)
        {
            return new HeldBack(wait);
        }

        BriefingUser? user;
        var passed = false;
        try
        {
            user = await users.FindByEmailAsync(email.Trim());
            if (user is null)
            {
                decoy.Check(password);
            }
            else
            {
                // An account an administrator locked stays shut; failures here never lock one (see SignInThrottle).
                passed = await users.CheckPasswordAsync(user, password) && !await users.IsLockedOutAsync(user);
            }
        }
        catch
        {
            throttle.Abandoned(address, client);
            throw;
        }

        if (!passed)
        {
            throttle.Failed(address, client);
            return new Failed();
        }

        throttle.Succeeded(address, client);
        return new Passed(user!);
    }
}
