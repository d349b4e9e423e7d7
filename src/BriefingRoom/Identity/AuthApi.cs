using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using BriefingRoom.Data;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Identity;

/// <summary>
/// An address no longer than an account's can be (Identity's 256): each one tried is kept by the sign-in throttle for
/// minutes, and a megabyte each, thirty a second, filled the server's memory.
/// </summary>
public sealed record SignInRequest(
    [property: Required, StringLength(SignInRequest.MaxEmail, ErrorMessage = SignInRequest.EmailTooLong)] string Email,
    [property: Required] string Password)
{
    public const int MaxEmail = 256;
    public const string EmailTooLong = "An e-mail address is at most 256 characters.";
}

public sealed record RegisterAccountRequest(
    [property: Required, StringLength(SignInRequest.MaxEmail, ErrorMessage = SignInRequest.EmailTooLong)] string Email,
    [property: Required] string Password);

public sealed record MeDto(string Id, string Email, string Name, bool IsAdmin);

/// <summary>Whether the caller is signed in, and as whom: the page's probe, which answers 200 either way.</summary>
public sealed record SessionDto(bool SignedIn, MeDto? Me);

/// <summary>Settings under "Briefing:Registration".</summary>
public sealed class RegistrationOptions
{
    public const string Section = "Briefing:Registration";

    /// <summary>
    /// Lets anyone create an account at /api/auth/register. Off by default: accounts come from invitations, so an
    /// address proves itself before it gets a seat. An account registered this way has no seat until invited.
    /// </summary>
    public bool Open { get; set; }
}

/// <summary>
/// Sign-in, token refresh, sign-out and registration. Our own rather than Identity's MapIdentityApi, because each
/// must know about sessions: a refreshed token keeps the session it came from, and signing out ends that session
/// on the server (see <see cref="SessionRevocations"/>).
/// </summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Sign-in");

        auth.MapPost("/login", async Task<Results<Ok<AccessTokenResponse>, EmptyHttpResult, ProblemHttpResult>> (
                SignInRequest request, bool? useCookies, HttpContext http, PasswordCheck passwords, SignInManager<BriefingUser> signIn) =>
            {
                switch (await passwords.CheckAsync(request.Email, request.Password, http))
                {
                    case PasswordCheck.Passed passed:
                        // The browser gets an HttpOnly cookie; API and load clients get a bearer token in the body.
                        signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
                        await signIn.SignInAsync(passed.User, isPersistent: useCookies == true);
                        return TypedResults.Empty;
                    case PasswordCheck.HeldBack held:
                        return HeldBack(http, held.Wait);
                    default:
                        return SignInFailed();
                }
            })
            .WithSummary("Sign in: with ?useCookies=true a cookie for the browser, else a bearer token and a refresh token. " +
                "A wrong password and an unknown address get the same answer; a client that keeps guessing one address waits (429).");

        auth.MapPost("/refresh", async Task<Results<Ok<AccessTokenResponse>, SignInHttpResult, ChallengeHttpResult>> (
                RefreshRequest request, SignInManager<BriefingUser> signIn, IOptionsMonitor<BearerTokenOptions> bearer,
                SessionRevocations sessions, TimeProvider clock) =>
            {
                var ticket = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
                if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
                    || sessions.IsEnded(ticket.Principal)
                    || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
                {
                    return TypedResults.Challenge();
                }

                var principal = await signIn.CreateUserPrincipalAsync(user);
                BriefingClaimsFactory.KeepSession(principal, ticket.Principal);
                return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
            })
            .WithSummary("A new bearer token for a refresh token, in the same session.");

        auth.MapPost("/logout", async (ClaimsPrincipal user, SignInManager<BriefingUser> signIn, SessionRevocationSync sessions, BriefingDb db) =>
            {
                if (SessionRevocations.SessionOf(user) is { } sid)
                {
                    await sessions.RevokeAsync(db, sid);
                }

                await signIn.SignOutAsync();
                return TypedResults.NoContent();
            })
            .RequireAuthorization()
            .WithSummary("Sign out: ends this session on the server, its cookie or its bearer and refresh tokens, and closes its live connections.");

        auth.MapPost("/register", async Task<Results<Ok, ValidationProblem, ProblemHttpResult>> (
                RegisterAccountRequest request, UserManager<BriefingUser> users, DecoyPassword decoy, IOptions<RegistrationOptions> registration) =>
            {
                if (!registration.Value.Open)
                {
                    return TypedResults.Problem(
                        title: "Registration is closed",
                        detail: "Accounts are created by accepting an invitation: ask the meeting's secretariat to invite you.",
                        statusCode: StatusCodes.Status403Forbidden);
                }

                var email = request.Email.Trim();
                var candidate = new BriefingUser { UserName = email, Email = email };
                // Everything that can be wrong with the request is said before looking for the address, and said alike.
                if (await Problems(users, candidate, request.Password) is { } invalid)
                {
                    return invalid;
                }

                if (await users.FindByEmailAsync(email) is not null)
                {
                    // The same answer, after about the same work, as for a new address: the existing account is untouched.
                    decoy.Hash(request.Password);
                    return TypedResults.Ok();
                }

                IdentityResult created;
                try
                {
                    created = await users.CreateAsync(candidate, request.Password);
                }
                catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
                {
                    // The same address registered a moment ago, past Identity's own check for duplicates: it has an account now.
                    return TypedResults.Ok();
                }

                return created.Succeeded || created.Errors.All(e => e.Code is "DuplicateUserName" or "DuplicateEmail")
                    ? TypedResults.Ok()
                    : TypedResults.ValidationProblem(ErrorsOf(created.Errors));
            })
            .WithSummary("Create an account, when Briefing:Registration:Open allows it (off by default). The answer is the same whether or not the address already has one.");

        app.MapGet("/api/me", (ClaimsPrincipal user) => TypedResults.Ok(MeOf(user)))
            .RequireAuthorization().WithTags("Sign-in").WithSummary("Who the caller is.");

        // The page asks this on every load and after a dropped connection: "not signed in" is an answer, not an error,
        // so that a signed-out visitor's console stays clean and the page can tell an ended session from a dead link.
        app.MapGet("/api/auth/session", (ClaimsPrincipal user) =>
                TypedResults.Ok(user.Identity?.IsAuthenticated == true ? new SessionDto(true, MeOf(user)) : new SessionDto(false, null)))
            .AllowAnonymous().WithTags("Sign-in").WithSummary("Whether the caller is signed in, and as whom (200 either way).");

        return auth;
    }

    private static MeDto MeOf(ClaimsPrincipal user)
    {
        var caller = Meetings.MeetingAccessResolver.CallerOf(user);
        return new MeDto(caller.UserId, user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "", caller.Name, caller.IsAdmin);
    }

    /// <summary>One answer for every failed sign-in, whatever failed: it must not tell an existing account from others.</summary>
    public static ProblemHttpResult SignInFailed() => TypedResults.Problem(
        title: "Sign-in failed",
        detail: "The e-mail address and the password do not match an account.",
        statusCode: StatusCodes.Status401Unauthorized);

    public static ProblemHttpResult HeldBack(HttpContext http, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            title: "Too many attempts",
            detail: $"Too many wrong passwords for this address from here: try again in {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static async Task<ValidationProblem?> Problems(UserManager<BriefingUser> users, BriefingUser candidate, string password)
    {
        if (!new EmailAddressAttribute().IsValid(candidate.Email))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Not an e-mail address."] });
        }

        if (!Invitations.Mailer.CanAddress(candidate.Email!))
        {
            // [EmailAddress] only looks for an @: "eve.@example.org" passed, and its password reset letter could not be addressed.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Not an address a letter can be sent to: give the address alone, such as name@example.org."] });
        }

        var broken = await users.BrokenPasswordRulesAsync(candidate, password);
        return broken.Count == 0 ? null : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [.. broken] }, detail: string.Join(" ", broken));
    }

    /// <summary>
    /// What <paramref name="password"/> breaks of the password rule, in Identity's words, asked before anything is stored:
    /// registration, a change, a reset and the demo's seed all ask it this one way.
    /// </summary>
    public static async Task<IReadOnlyList<string>> BrokenPasswordRulesAsync(this UserManager<BriefingUser> users, BriefingUser user, string password)
    {
        var broken = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            broken.AddRange((await validator.ValidateAsync(users, user, password)).Errors.Select(e => e.Description));
        }

        return broken;
    }

    private static Dictionary<string, string[]> ErrorsOf(IEnumerable<IdentityError> errors) =>
        new() { ["password"] = [.. errors.Select(e => e.Description)] };
}
