using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using BriefingRoom.Data;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.Data;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Identity;

public sealed record SignInRequest([property: Required] string Email, [property: Required] string Password);

public sealed record RegisterAccountRequest([property: Required] string Email, [property: Required] string Password);

public sealed record MeDto(string Id, string Email, string Name, bool IsAdmin);

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
                SignInRequest request, bool? useCookies, SignInManager<BriefingUser> signIn) =>
            {
                // The browser gets an HttpOnly cookie; API and load clients get a bearer token in the body.
                signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
                var result = await signIn.PasswordSignInAsync(request.Email, request.Password, isPersistent: useCookies == true, lockoutOnFailure: true);
                return result.Succeeded
                    ? TypedResults.Empty
                    : TypedResults.Problem(result.ToString(), statusCode: StatusCodes.Status401Unauthorized);
            })
            .WithSummary("Sign in: with ?useCookies=true a cookie for the browser, else a bearer token and a refresh token.");

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

        auth.MapPost("/logout", async (ClaimsPrincipal user, SignInManager<BriefingUser> signIn, SessionRevocationSync sessions, BriefingDb db, CancellationToken ct) =>
            {
                if (SessionRevocations.SessionOf(user) is { } sid)
                {
                    await sessions.RevokeAsync(db, sid, ct);
                }

                await signIn.SignOutAsync();
                return TypedResults.NoContent();
            })
            .RequireAuthorization()
            .WithSummary("Sign out: ends this session on the server, its cookie or its bearer and refresh tokens, and closes its live connections.");

        auth.MapPost("/register", async Task<Results<Ok, ValidationProblem>> (RegisterAccountRequest request, UserManager<BriefingUser> users) =>
            {
                var email = request.Email.Trim();
                if (!new EmailAddressAttribute().IsValid(email))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Not an e-mail address."] });
                }

                var created = await users.CreateAsync(new BriefingUser { UserName = email, Email = email }, request.Password);
                return created.Succeeded
                    ? TypedResults.Ok()
                    : TypedResults.ValidationProblem(created.Errors.GroupBy(e => e.Code).ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
            })
            .WithSummary("Create an account.");

        app.MapGet("/api/me", (ClaimsPrincipal user) =>
            {
                var caller = Meetings.MeetingAccessResolver.CallerOf(user);
                return TypedResults.Ok(new MeDto(caller.UserId, user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "", caller.Name, caller.IsAdmin));
            })
            .RequireAuthorization().WithTags("Sign-in").WithSummary("Who the caller is.");

        return auth;
    }
}
