using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Identity;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Invitations;

public static class InvitationsApi
{
    public static IServiceCollection AddInvitations(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.AddSingleton<Mailer>();
        services.AddScoped<InvitationService>();
        return services;
    }

    public static void MapInvitations(this IEndpointRouteBuilder app)
    {
        var meeting = app.MapGroup("/api/meetings/{meetingId:int}/invitations").RequireAuthorization().WithTags("Invitations");

        meeting.MapPost("/", async Task<Results<Ok<InvitationDto>, ProblemHttpResult>> (
                int meetingId, CreateInvitationRequest request, HttpContext http, MeetingAccessResolver gate, InvitationService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(http.User, meetingId, access => service.CreateAsync(access, request, RequestBase(http), ct), ct)))
            .WithSummary("Invite an e-mail address to a seat: role, delegation and the name the room will see (chair, secretariat; a chair only by an admin). " +
                "The link goes out by e-mail; in Development without an SMTP server it comes back in `link` instead.");

        meeting.MapGet("/", async Task<Results<Ok<IReadOnlyList<InvitationDto>>, ProblemHttpResult>> (
                int meetingId, ClaimsPrincipal user, MeetingAccessResolver gate, InvitationService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.ListAsync(access, ct), ct)))
            .WithSummary("The meeting's invitations, newest first, with their state (chair, secretariat).");

        meeting.MapDelete("/{invitationId:int}", async Task<Results<Ok<InvitationDto>, ProblemHttpResult>> (
                int meetingId, int invitationId, ClaimsPrincipal user, MeetingAccessResolver gate, InvitationService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.WithdrawAsync(access, invitationId, ct), ct)))
            .WithSummary("Withdraw an invitation that has not been accepted: its link stops working (chair, secretariat).");

        var invitations = app.MapGroup("/api/invitations").WithTags("Invitations");

        // POST, not GET: the token stays out of addresses, logs and histories (the link carries it after '#').
        invitations.MapPost("/preview", async Task<Results<Ok<InvitationPreviewDto>, ProblemHttpResult>> (
                InvitationTokenRequest request, InvitationService service, CancellationToken ct) =>
            ApiResults.Ok(await service.PreviewAsync(request.Token, ct)))
            .WithSummary("What an invitation link offers, or why it can no longer be used.");

        invitations.MapPost("/accept", async Task<Results<Ok<AcceptedInvitationDto>, ProblemHttpResult, ValidationProblem>> (
                AcceptInvitationRequest request, bool? useCookies, HttpContext http, InvitationService service,
                UserManager<BriefingUser> users, PasswordCheck passwords, SignInManager<BriefingUser> signIn, BriefingDb db, CancellationToken ct) =>
            {
                var found = await service.FindOpenAsync(request.Token, ct);
                if (found.Refusal is { } closed)
                {
                    return ApiResults.Problem(closed);
                }

                var invitation = found.Value!;
                var account = await AccountForAsync(invitation, request.Password, http, users, passwords, db);
                if (account.Answer is { } answer)
                {
                    return answer;
                }

                var user = account.User!;
                var seated = await service.SeatAsync(invitation, user, ct);
                if (seated.Refusal is { } refusal)
                {
                    // Made for this seat alone, which it did not get (the link was withdrawn, or its seat went, while the
                    // account was being made): left behind, it would be a confirmed account at the address, in no
                    // meeting, that no standing invitation let in. The invitee's own choice of password goes with it.
                    // Unless it holds a seat: the same link clicked twice, whose other acceptance found this account,
                    // proved its password and took the seat with it before this one was refused ("used already"). The
                    // meeting's grain ran that seat's change before this refusal, so it is committed and seen here;
                    // deleting the account took that seat with it.
                    if (account.Created && !await db.Memberships.AnyAsync(m => m.UserId == user.Id, CancellationToken.None))
                    {
                        await users.DeleteAsync(user);
                    }

                    return ApiResults.Problem(refusal);
                }

                if (useCookies == true)
                {
                    signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
                    await signIn.SignInAsync(user, isPersistent: true);
                }

                return TypedResults.Ok(seated.Value!);
            })
            .WithSummary("Accept an invitation: choose a password (a new account) or give the account's own (an existing one, or be signed in as it). " +
                "With ?useCookies=true the browser is signed in too. A wrong password gets the same answer as at sign-in.");
    }

    /// <summary>The account that takes the seat (<c>Created</c> when made here, for it), or the answer to give instead.</summary>
    private static async Task<(BriefingUser? User, ProblemHttpResult? Answer, bool Created)> AccountForAsync(
        Invitation invitation, string? password, HttpContext http, UserManager<BriefingUser> users, PasswordCheck passwords, BriefingDb db)
    {
        BriefingUser? existing;
        // Looked at twice at most: an account can appear for the address between the look and the write (the same link
        // clicked twice, an open registration), and is then looked at as one that was there before: a registered one gives
        // way, the invitee's own asks for its password.
        for (var look = 1; ; look++)
        {
            existing = await users.FindByEmailAsync(invitation.Email);
            if (existing is { EmailConfirmed: false } && http.User.FindFirstValue(ClaimTypes.NameIdentifier) != existing.Id)
            {
                // Registered by someone who never proved the address (open registration): the link proves it. That account
                // gives way to the invitee's own, with a new id, so that whatever the registrant still holds opens nothing.
                await users.DeleteAsync(existing);
                existing = null;
            }

            if (existing is not null)
            {
                break;
            }

            if (string.IsNullOrEmpty(password))
            {
                return (null, ApiResults.Problem(new InvalidRefusal("password", "Choose a password for your new account: at least 10 characters, with a capital, a small letter, a digit and a sign.")), false);
            }

            var account = new BriefingUser { UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true, DisplayName = invitation.DisplayName };
            IdentityResult created;
            try
            {
                created = await users.CreateAsync(account, password);
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
            {
                // Written past Identity's own look for a duplicate, by a request that had looked at the same moment: the
                // unique index refused it. Not saved, so not kept for the next save either.
                db.Entry(account).State = EntityState.Detached;
                created = IdentityResult.Failed(new IdentityErrorDescriber().DuplicateUserName(invitation.Email));
            }

            if (created.Succeeded)
            {
                return (account, null, true);
            }

            if (!created.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
            {
                return (null, ApiResults.Problem(new InvalidRefusal("password", string.Join(" ", created.Errors.Select(e => e.Description)))), false);
            }

            if (look == 2)
            {
                // The address got an account a moment ago, again: it must prove it holds that account.
                existing = await users.FindByEmailAsync(invitation.Email);
                break;
            }
        }

        if (existing is null)
        {
            return (null, AuthApi.SignInFailed(), false);
        }

        if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) == existing.Id)
        {
            if (!existing.EmailConfirmed)
            {
                // Signed in as the account and holding the link sent to its address: the address is proven.
                existing.EmailConfirmed = true;
                await users.UpdateAsync(existing);
            }

            return (existing, null, false);
        }

        if (string.IsNullOrEmpty(password))
        {
            return (null, ApiResults.Problem(http.User.Identity?.IsAuthenticated == true
                ? new ForbiddenRefusal("This invitation is for another account than the one you are signed in with: sign out, then open the link again.")
                : new InvalidRefusal("password", "You already have a BriefingRoom account: enter its password to accept.")), false);
        }

        return await passwords.CheckAsync(invitation.Email, password, http) switch
        {
            PasswordCheck.Passed passed => (passed.User, null, false),
            PasswordCheck.HeldBack held => (null, AuthApi.HeldBack(http, held.Wait), false),
            _ => (null, AuthApi.SignInFailed(), false),
        };
    }

    /// <summary>The address the caller reached the app at, for links in mail when <see cref="MailOptions.PublicUrl"/> is not set.</summary>
    public static Uri RequestBase(HttpContext http) => new($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
}
