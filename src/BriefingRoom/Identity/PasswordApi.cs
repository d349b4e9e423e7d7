using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using BriefingRoom.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace BriefingRoom.Identity;

public sealed record ChangePasswordRequest([property: Required] string CurrentPassword, [property: Required] string NewPassword);

public sealed record ForgotPasswordRequest(
    [property: Required, StringLength(SignInRequest.MaxEmail, ErrorMessage = SignInRequest.EmailTooLong)] string Email);

public sealed record ResetPasswordRequest(
    [property: Required, StringLength(SignInRequest.MaxEmail, ErrorMessage = SignInRequest.EmailTooLong)] string Email,
    [property: Required, StringLength(ResetPasswordRequest.MaxCode, ErrorMessage = "A reset code is at most 2,000 characters: copy the link from the message whole.")] string ResetCode,
    [property: Required] string NewPassword)
{
    public const int MaxCode = 2_000;
}

/// <summary>
/// A password changed by its holder, and a forgotten one reset through a link sent to the account's address. Either
/// way every other session signed in with the old password ends at once, on every instance (its cookie, its tokens and
/// its open rooms): someone who changes a password because a laptop went missing is rid of whoever holds it.
/// </summary>
public static class PasswordApi
{
    public const string WrongCurrent = "This is not your current password.";
    public const string LinkNotValid = "This link is not valid any more (it works once, for an hour, and only until the password changes): ask for a new one.";

    public static void MapPasswords(this RouteGroupBuilder auth)
    {
        auth.MapPost("/password", async Task<Results<NoContent, SignInHttpResult, ValidationProblem, ProblemHttpResult>> (
                ChangePasswordRequest request, ClaimsPrincipal caller, HttpContext http, UserManager<BriefingUser> users,
                SignInManager<BriefingUser> signIn, PasswordCheck passwords, SessionRevocationSync sessions, BriefingDb db) =>
            {
                if (await users.GetUserAsync(caller) is not { Email: { } email } user)
                {
                    return TypedResults.Problem(title: "No such account", detail: "Your account no longer exists.", statusCode: StatusCodes.Status401Unauthorized);
                }

                if (await NewPasswordProblems(users, user, request.NewPassword) is { } invalid)
                {
                    return invalid;
                }

                // Throttled as a sign-in is: whoever holds a session that is not theirs must not guess the password through it.
                switch (await passwords.CheckAsync(email, request.CurrentPassword, http))
                {
                    case PasswordCheck.HeldBack held:
                        return AuthApi.HeldBack(http, held.Wait);
                    case PasswordCheck.Failed:
                        return Invalid("currentPassword", WrongCurrent);
                }

                if (request.NewPassword == request.CurrentPassword)
                {
                    return Invalid("newPassword", "The new password is the one you have now: choose another.");
                }

                var oldStamp = user.SecurityStamp ?? "";
                var changed = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
                if (!changed.Succeeded)
                {
                    return changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
                        ? TypedResults.Problem(title: "Changed meanwhile", detail: "Your account changed while this was saved (the password was changed elsewhere?): try again.", statusCode: StatusCodes.Status409Conflict)
                        : NewPasswordRefused([.. changed.Errors.Select(e => e.Description)]);
                }

                await sessions.EndSessionsOfPasswordAsync(db, user.Id, oldStamp);

                // This session goes on under the new password, with its own id: a browser gets its cookie again, an API
                // client new tokens (its old ones carry the old password's stamp, which has just ended).
                var principal = await signIn.CreateUserPrincipalAsync(user);
                BriefingClaimsFactory.KeepSession(principal, caller);
                var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
                if (cookie.Succeeded)
                {
                    await http.SignInAsync(IdentityConstants.ApplicationScheme, principal, cookie.Properties);
                    return TypedResults.NoContent();
                }

                return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
            })
            .RequireAuthorization()
            .WithSummary("Change your password: give the current one and the new one. Every other session signed in with the old " +
                "password ends; this one goes on (a cookie is renewed, a bearer client gets new tokens in the answer).");

        auth.MapPost("/forgot-password", async Task<Results<Accepted, ValidationProblem>> (
                ForgotPasswordRequest request, HttpContext http, UserManager<BriefingUser> users, PasswordResetLetters letters) =>
            {
                var email = request.Email.Trim();
                if (!new EmailAddressAttribute().IsValid(email))
                {
                    return Invalid("email", "Not an e-mail address.");
                }

                // The same answer whether or not the address has an account; the letter goes out after it.
                if (await users.FindByEmailAsync(email) is { } user && await users.HasPasswordAsync(user))
                {
                    var code = await users.GeneratePasswordResetTokenAsync(user);
                    letters.Send(user, code, Invitations.InvitationsApi.RequestBase(http));
                }

                return TypedResults.Accepted((string?)null);
            })
            .AllowAnonymous()
            .WithSummary("Ask for a link to choose a new password. The answer (202) is the same whether or not the address has an " +
                "account; if it has, a link that works once, for an hour, is sent to it (at most one letter every two minutes).");

        auth.MapPost("/reset-password", async Task<Results<NoContent, ValidationProblem>> (
                ResetPasswordRequest request, HttpContext http, UserManager<BriefingUser> users, SignInThrottle throttle,
                SessionRevocationSync sessions, BriefingDb db) =>
            {
                var email = request.Email.Trim();
                var user = await users.FindByEmailAsync(email);
                if (await NewPasswordProblems(users, user ?? new BriefingUser { UserName = email, Email = email }, request.NewPassword) is { } invalid)
                {
                    return invalid;
                }

                if (user is null)
                {
                    return Invalid("resetCode", LinkNotValid);
                }

                var oldStamp = user.SecurityStamp ?? "";
                var reset = await users.ResetPasswordAsync(user, request.ResetCode, request.NewPassword);
                if (!reset.Succeeded)
                {
                    return reset.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.InvalidToken) or nameof(IdentityErrorDescriber.ConcurrencyFailure))
                        ? Invalid("resetCode", LinkNotValid)
                        : NewPasswordRefused([.. reset.Errors.Select(e => e.Description)]);
                }

                if (!user.EmailConfirmed)
                {
                    // The link reached the address: it is proven, as an accepted invitation proves it.
                    user.EmailConfirmed = true;
                    await users.UpdateAsync(user);
                }

                await sessions.EndSessionsOfPasswordAsync(db, user.Id, oldStamp);
                // Whoever just chose the password may sign in with it at once, even if they had guessed wrong before.
                throttle.Succeeded(users.NormalizeEmail(email) ?? "", http.Connection.RemoteIpAddress);
                return TypedResults.NoContent();
            })
            .AllowAnonymous()
            .WithSummary("Choose a new password with the code from a reset link. Every session signed in with the old password ends.");
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);

    private static async Task<ValidationProblem?> NewPasswordProblems(UserManager<BriefingUser> users, BriefingUser user, string password)
    {
        var errors = await users.BrokenPasswordRulesAsync(user, password);
        return errors.Count == 0 ? null : NewPasswordRefused([.. errors]);
    }

    /// <summary>The new password refused, each broken rule under the field and all of them in the detail a page shows.</summary>
    private static ValidationProblem NewPasswordRefused(string[] errors) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = errors }, detail: string.Join(" ", errors));
}
