using System.Security.Cryptography;
using System.Text;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Identity;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Invitations;

/// <summary>
/// The only way to a seat: the chair, the secretariat or an admin invites an e-mail address to a role, a delegation
/// and a name; the link in the e-mail, used once before it expires, creates the membership through the meeting's
/// one change path. Invitations are not meeting events: the room never sees an address.
/// </summary>
public sealed partial class InvitationService(
    BriefingDb db, MeetingChanges changes, UserManager<BriefingUser> users, Mailer mailer,
    IOptions<MailOptions> options, IHostEnvironment environment, TimeProvider clock, ILogger<InvitationService> log,
    MeetingEventPublisher publisher, SqliteWriteGate writers)
{
    public const string LinkPath = "/#/invitation/";

    public async Task<Outcome<InvitationDto>> CreateAsync(MeetingAccess access, CreateInvitationRequest request, Uri requestBase, CancellationToken ct)
    {
        if (!access.CanInvite)
        {
            return new ForbiddenRefusal("Only the chair and the secretariat invite people to the meeting.");
        }

        var role = request.Role!.Value;
        if (role == MeetingRole.Chair && !access.Caller.IsAdmin)
        {
            return new ForbiddenRefusal("Only an admin may appoint a chair.");
        }

        var email = request.Email.Trim();
        if (!Mailer.CanAddress(email))
        {
            return new InvalidRefusal("email", $"\"{email}\" is not an address a letter can be sent to: give the address alone, such as name@example.org.");
        }

        var displayName = request.DisplayName.Trim();
        if (displayName.Length == 0 || displayName.Contains('@', StringComparison.Ordinal))
        {
            return new InvalidRefusal("displayName", "The name the others will see is a name, such as \"Austria – delegate\", not an e-mail address.");
        }

        if (Legibility.Problem(displayName, "The name the others will see") is { } nameProblem)
        {
            return new InvalidRefusal("displayName", nameProblem);
        }

        var code = string.IsNullOrWhiteSpace(request.DelegationCode) ? null : request.DelegationCode.Trim().ToUpperInvariant();
        if (await MembershipService.ValidateDelegationAsync(db, access.MeetingId, role, code, ct) is { } invalid)
        {
            return invalid;
        }

        var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == access.MeetingId, ct);
        var account = await users.FindByEmailAsync(email);
        if (account is not null
            && await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.MeetingId == access.MeetingId && m.UserId == account.Id, ct) is { } seat)
        {
            return new ConflictRefusal($"{account.NameForOthers} already has a seat in this meeting ({seat.Role}).", new { membershipId = seat.Id, seat.Role, seat.DelegationCode });
        }

        var now = clock.GetUtcNow();
        var token = NewToken();
        var invitation = new Invitation
        {
            MeetingId = access.MeetingId,
            Email = email,
            DisplayName = displayName,
            Role = role,
            DelegationCode = code,
            TokenHash = HashOf(token),
            CreatedAt = now,
            CreatedByUserId = access.Caller.UserId,
            CreatedByName = access.Caller.Name,
            ExpiresAt = now + options.Value.InvitationLifetime,
        };
        // The seat is asked for again in the transaction that writes the invitation, and nobody may take the delegation out
        // of the meeting meanwhile (MembershipService.HoldSeatsAsync): a removal withdraws the delegation's open
        // invitations, and one checked before the removal and written after it stood open for a seat that was gone.
        using (await writers.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await MembershipService.HoldSeatsAsync(db, access.MeetingId, ct);
            if (await MembershipService.ValidateDelegationAsync(db, access.MeetingId, role, code, ct) is { } gone)
            {
                return gone;
            }

            // From here on the invitation is being made, and a letter sent: a request cancelled now (the tab closed, the
            // link lost) must not leave it half done, with the earlier link to the same address still open and the other
            // inviters never told (Invitations/InvitationReviewTests).
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync(CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        var link = new Uri(BaseOf(requestBase), LinkPath + token).ToString();
        var delegationName = code is null ? null : await db.Delegations.Where(d => d.Code == code).Select(d => d.Name).SingleAsync(CancellationToken.None);
        // The letter names the invitee as the room will: an account registered without proving the address gives way.
        var letter = new InvitationLetter(email, NameInTheRoom(invitation, account is { EmailConfirmed: true } ? account : null), meeting.Title, meeting.DocumentNumber,
            Mailer.SeatOf(role, delegationName), access.Caller.Name, link, invitation.ExpiresAt);
        Delivery delivery;
        try
        {
            delivery = await mailer.DeliverAsync(letter, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Not sent means not offered: a seat waiting behind a link that nobody received helps no one.
            LogNotSent(log, ex, access.MeetingId);
            db.Invitations.Remove(invitation);
            await db.SaveChangesAsync(CancellationToken.None);
            return new BusyRefusal($"The invitation to {email} could not be sent ({ex.Message}). Nothing was saved: try again.", TimeSpan.FromSeconds(30));
        }

        // A new invitation replaces any earlier one still open for the same address: only the latest link works. The
        // same address as the account lookup sees it (Identity's normalizer, which folds "É" and "é" as it does "E" and
        // "e"), compared here rather than in SQL, whose lower() folds only ASCII on SQLite; the open invitations of one
        // meeting are few. Earlier by id, not any other: two invitations to one address that cross (a double click, two
        // colleagues) would otherwise each withdraw the other, and neither link would work.
        var address = users.NormalizeEmail(email);
        var open = await db.Invitations.AsNoTracking()
            .Where(i => i.MeetingId == access.MeetingId && i.Id < invitation.Id && i.AcceptedAt == null && i.WithdrawnAt == null)
            .Select(i => new { i.Id, i.Email })
            .ToListAsync(CancellationToken.None);
        var earlier = open.Where(i => users.NormalizeEmail(i.Email) == address).Select(i => i.Id).ToList();
        if (earlier.Count > 0)
        {
            // Only while still open as it is written, as a withdrawal is: an earlier link accepted meanwhile stays accepted.
            await db.Invitations
                .Where(i => earlier.Contains(i.Id) && i.AcceptedAt == null && i.WithdrawnAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.WithdrawnAt, now).SetProperty(i => i.WithdrawnByName, access.Caller.Name), CancellationToken.None);
        }

        await TellInvitersAsync(access.MeetingId);
        // The link goes to the inviter only when nobody received it: Development without an SMTP server.
        var shown = delivery == Delivery.Written && environment.IsDevelopment() ? link : null;
        return InvitationDto.From(invitation, now, shown);
    }

    /// <summary>
    /// The meeting's other inviters (its chairs and secretariat, and the administrators) see the list change at once: an
    /// invitation sent or withdrawn is no room event (it holds an address), so it is told to them alone.
    /// </summary>
    private async Task TellInvitersAsync(int meetingId)
    {
        List<string> inviters;
        try
        {
            inviters = await db.Memberships.AsNoTracking()
                .Where(m => m.MeetingId == meetingId && (m.Role == MeetingRole.Chair || m.Role == MeetingRole.Secretariat))
                .Select(m => m.UserId).ToListAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The invitation is made (and its letter sent): the answer says so. The other inviters see it on their next read.
            LogInvitersNotTold(log, ex, meetingId);
            return;
        }

        publisher.InvitationsChanged(meetingId, inviters);
    }

    public async Task<Outcome<IReadOnlyList<InvitationDto>>> ListAsync(MeetingAccess access, CancellationToken ct)
    {
        if (!access.CanInvite)
        {
            return new ForbiddenRefusal("Only the chair and the secretariat see the meeting's invitations.");
        }

        var now = clock.GetUtcNow();
        var list = await db.Invitations.AsNoTracking().Where(i => i.MeetingId == access.MeetingId).OrderByDescending(i => i.Id).ToListAsync(ct);
        return Outcome<IReadOnlyList<InvitationDto>>.From([.. list.Select(i => InvitationDto.From(i, now))]);
    }

    public async Task<Outcome<InvitationDto>> WithdrawAsync(MeetingAccess access, int invitationId, CancellationToken ct)
    {
        if (!access.CanInvite)
        {
            return new ForbiddenRefusal("Only the chair and the secretariat withdraw invitations.");
        }

        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.MeetingId == access.MeetingId, ct);
        if (invitation is null)
        {
            return new NotFoundRefusal($"Invitation {invitationId} does not exist in this meeting.");
        }

        if (invitation.Role == MeetingRole.Chair && !access.Caller.IsAdmin)
        {
            return new ForbiddenRefusal("Only an admin may withdraw an invitation to chair.");
        }

        var now = clock.GetUtcNow();
        switch (invitation.StateAt(now))
        {
            case InvitationState.Accepted:
                return new ConflictRefusal("This invitation was accepted already: the chair revokes the seat instead (Seats, in the room).", InvitationDto.From(invitation, now));
            case InvitationState.Withdrawn:
                return InvitationDto.From(invitation, now);
        }

        // Written only if the invitation is still open as it is written: an acceptance that landed since it was read above
        // has seated the invitee, and the inviter must hear that, not "withdrawn" (which they would take as done).
        var written = await db.Invitations
            .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.WithdrawnAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.WithdrawnAt, now).SetProperty(i => i.WithdrawnByName, access.Caller.Name), ct);
        // Withdrawn is done: a request cancelled now must still tell the other inviters.
        await db.Entry(invitation).ReloadAsync(CancellationToken.None);
        if (written > 0)
        {
            await TellInvitersAsync(access.MeetingId);
        }

        return written == 0 && invitation.StateAt(now) == InvitationState.Accepted
            ? new ConflictRefusal("This invitation was accepted already: the chair revokes the seat instead (Seats, in the room).", InvitationDto.From(invitation, now))
            : InvitationDto.From(invitation, now);
    }

    /// <summary>The invitation behind a link, if it can still be accepted; else why not, in words for the person holding it.</summary>
    public async Task<Outcome<Invitation>> FindOpenAsync(string token, CancellationToken ct)
    {
        var hash = HashOf(token.Trim());
        var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null)
        {
            return new NotFoundRefusal("This invitation link is not valid. Check that you opened the whole link from the e-mail, or ask the secretariat for a new invitation.");
        }

        // Asked again in the acceptance's own transaction; asked here too, so that a link that cannot be used any more
        // says so before the invitee chooses a password, and no account is made for a seat that cannot be taken.
        return await ClosedAsync(db, invitation, clock.GetUtcNow(), ct) is { } closed ? closed : invitation;
    }

    public async Task<Outcome<InvitationPreviewDto>> PreviewAsync(string token, CancellationToken ct)
    {
        var found = await FindOpenAsync(token, ct);
        if (found.Refusal is { } refusal)
        {
            return refusal;
        }

        var i = found.Value!;
        var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == i.MeetingId, ct);
        var delegationName = i.DelegationCode is null ? null : await db.Delegations.Where(d => d.Code == i.DelegationCode).Select(d => d.Name).SingleOrDefaultAsync(ct);
        // An account nobody proved the address of (open registration) does not count: the invitee makes their own.
        var account = await users.FindByEmailAsync(i.Email) is { EmailConfirmed: true } confirmed ? confirmed : null;
        var hasAccount = account is not null;
        return new InvitationPreviewDto(i.Email, NameInTheRoom(i, account), i.Role, i.DelegationCode, delegationName,
            meeting.Id, meeting.Title, meeting.DocumentNumber, meeting.Date, i.CreatedByName, i.ExpiresAt, hasAccount);
    }

    /// <summary>
    /// Seats <paramref name="user"/> as the invitation says, through the meeting's one change path, and marks the
    /// invitation used in the same transaction: two acceptances at once make one seat.
    /// </summary>
    public async Task<Outcome<AcceptedInvitationDto>> SeatAsync(Invitation invitation, BriefingUser user, CancellationToken ct)
    {
        var name = NameInTheRoom(invitation, user);
        var newcomer = new MeetingAccess(invitation.MeetingId, new Caller(user.Id, name, false), invitation.Role, invitation.DelegationCode, null);
        var outcome = await changes.ApplyAsync(newcomer, new AcceptInvitation(invitation.Id, user.Id, invitation.Role, invitation.DelegationCode, name), ct);

        // An account without a name takes the one the inviter chose, from the next sign-in on. Read afresh: the change
        // path cleared the context, and the user validator would load a second copy of a detached one.
        if (outcome.Succeeded && string.IsNullOrWhiteSpace(user.DisplayName) && await users.FindByIdAsync(user.Id) is { } seated && string.IsNullOrWhiteSpace(seated.DisplayName))
        {
            seated.DisplayName = invitation.DisplayName;
            await users.UpdateAsync(seated);
        }

        return outcome;
    }

    /// <summary>
    /// The name the room will see: the account's own once it has one. The name is the account's, in every meeting, so an
    /// invitation names only a newcomer: one to another meeting would otherwise rename the person in the meetings where
    /// they already sit, where other people chose that name.
    /// </summary>
    public static string NameInTheRoom(Invitation invitation, BriefingUser? account) =>
        string.IsNullOrWhiteSpace(account?.DisplayName) ? invitation.DisplayName : account.DisplayName;

    /// <summary>
    /// Why the invitation can no longer be accepted (used, withdrawn, expired, or its seat gone from the meeting), or null.
    /// A gone seat is named before a withdrawal: removing a delegation withdraws its open invitations, and its invitee
    /// learns why.
    /// </summary>
    internal static async Task<Refusal?> ClosedAsync(BriefingDb db, Invitation invitation, DateTimeOffset now, CancellationToken ct) =>
        invitation.StateAt(now) switch
        {
            InvitationState.Accepted => new GoneRefusal("This invitation has been used already: it works once. If it was you, sign in; if not, tell the secretariat."),
            _ when await MembershipService.ValidateDelegationAsync(db, invitation.MeetingId, invitation.Role, invitation.DelegationCode, ct) is not null =>
                new GoneRefusal("The seat this invitation offers no longer exists in the meeting: ask the secretariat for a new invitation."),
            InvitationState.Withdrawn => new GoneRefusal("This invitation was withdrawn. Ask the secretariat for a new one if you still need a seat."),
            InvitationState.Expired => new GoneRefusal($"This invitation expired on {invitation.ExpiresAt.UtcDateTime:d MMMM yyyy, HH:mm} UTC. Ask the secretariat for a new one."),
            _ => null,
        };

    private Uri BaseOf(Uri requestBase) => options.Value.LinkBase(requestBase);

    /// <summary>256 random bits, URL-safe: as hard to guess as a key, and short enough to paste.</summary>
    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: an invitation could not be sent")]
    private static partial void LogNotSent(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: its inviters could not be told that its invitations changed")]
    private static partial void LogInvitersNotTold(ILogger logger, Exception ex, int meetingId);
}

/// <summary>
/// Taking the seat an invitation offers, through the meeting's one change path: the invitation is marked used in the
/// same transaction, so two acceptances at once make one seat. The person is not a member yet: the invitation, checked
/// here, is what lets them in.
/// </summary>
public sealed record AcceptInvitation(int InvitationId, string UserId, MeetingRole Role, string? DelegationCode, string Name) : MeetingChange<AcceptedInvitationDto>
{
    public override bool GoesOnWhenClosed => true;

    public override MeetingAccess? AccessForNonMember(int meetingId, Caller caller) =>
        caller.UserId == UserId ? new MeetingAccess(meetingId, caller, Role, DelegationCode, null) : null;

    public override async Task<Outcome<ChangeStep<AcceptedInvitationDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var open = await ctx.Db.Invitations.SingleOrDefaultAsync(i => i.Id == InvitationId && i.MeetingId == ctx.Meeting.Id, ct);
        if (open is null)
        {
            return new NotFoundRefusal("This invitation link is not valid: ask the secretariat for a new invitation.");
        }

        if (await InvitationService.ClosedAsync(ctx.Db, open, ctx.Now, ct) is { } closed)
        {
            return closed;
        }

        var existing = await ctx.Db.Memberships.SingleOrDefaultAsync(m => m.MeetingId == ctx.Meeting.Id && m.UserId == UserId, ct);
        if (existing is not null)
        {
            return new ConflictRefusal($"You already have a seat in this meeting ({existing.Role}).", new { membershipId = existing.Id, existing.Role, existing.DelegationCode });
        }

        // Taken only if still open as it is written, as a withdrawal is: on PostgreSQL nothing else orders the two, and a
        // withdrawal committed since the read above would be answered "withdrawn" while this seated the invitee.
        var taken = await ctx.Db.Invitations
            .Where(i => i.Id == open.Id && i.AcceptedAt == null && i.WithdrawnAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.AcceptedAt, ctx.Now).SetProperty(i => i.AcceptedByUserId, UserId), ct);
        if (taken == 0)
        {
            await ctx.Db.Entry(open).ReloadAsync(ct);
            return await InvitationService.ClosedAsync(ctx.Db, open, ctx.Now, ct)
                ?? new GoneRefusal("This invitation can no longer be used: ask the secretariat for a new one.");
        }

        var membership = new Membership
        {
            UserId = UserId,
            MeetingId = ctx.Meeting.Id,
            Role = open.Role,
            DelegationCode = open.DelegationCode,
            GrantedAt = ctx.Now,
            GrantedBy = open.CreatedByName,
        };
        ctx.Db.Memberships.Add(membership);
        await ctx.Db.SaveChangesAsync(ct);
        return new ChangeStep<AcceptedInvitationDto>(
            new AcceptedInvitationDto(ctx.Meeting.Id, membership.Id, open.Role, open.DelegationCode, Name),
            new PendingEvent("membership.granted", null, new MembershipEventDto(membership.Id, Name, open.Role, open.DelegationCode), []));
    }
}
