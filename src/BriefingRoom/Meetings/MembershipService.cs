using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Identity;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Meetings;

/// <summary>
/// Who may enter a meeting and in what role. A seat is granted only by accepting an invitation
/// (<see cref="Invitations.InvitationService"/>), so that nobody gets a delegation's seat by registering its address first.
/// </summary>
public sealed class MembershipService(BriefingDb db, MeetingChanges changes)
{
    public async Task<Outcome<IReadOnlyList<MembershipDto>>> ListAsync(MeetingAccess access, CancellationToken ct)
    {
        if (!access.CanSeeMemberships)
        {
            return new ForbiddenRefusal("Only the chair and the secretariat see the meeting's memberships.");
        }

        var list = await db.Memberships.AsNoTracking().Where(m => m.MeetingId == access.MeetingId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m, u.Email, u.DisplayName })
            .OrderBy(x => x.m.Id).ToListAsync(ct);
        // Addresses are for those who seat people (the chair, an admin); the secretariat sees names, as the room does.
        var withAddresses = access.CanManageMemberships;
        return Outcome<IReadOnlyList<MembershipDto>>.From(
            [.. list.Select(x => new MembershipDto(x.m.Id, x.m.UserId, withAddresses ? x.Email : null, BriefingUser.NameFor(x.m.UserId, x.DisplayName), x.m.Role, x.m.DelegationCode, x.m.GrantedAt))]);
    }

    /// <summary>Revokes a seat; the meeting's grain takes the person's connections out of the room as the change commits.</summary>
    public Task<Outcome<int>> RevokeAsync(MeetingAccess access, int membershipId, CancellationToken ct) =>
        changes.ApplyAsync(access, new RevokeMembership(membershipId), ct);

    /// <summary>
    /// Taken, inside the transaction, by whoever checks that a delegation takes part in the meeting and writes an
    /// invitation to its seat, and by the removal of a delegation before it withdraws that delegation's open invitations:
    /// the one waits for the other's commit and then reads it (<see cref="TransactionLocks.Seats"/>).
    /// </summary>
    internal static Task HoldSeatsAsync(BriefingDb db, int meetingId, CancellationToken ct) =>
        db.HoldUntilCommitAsync(TransactionLocks.Seats, meetingId, ct);

    /// <summary>A delegate speaks for exactly one taking-part delegation; an observer may be tied to a guest delegation; chair and secretariat to none.</summary>
    public static async Task<InvalidRefusal?> ValidateDelegationAsync(BriefingDb db, int meetingId, MeetingRole role, string? code, CancellationToken ct)
    {
        if (role is MeetingRole.Chair or MeetingRole.Secretariat)
        {
            return code is null ? null : new InvalidRefusal("delegationCode", $"A {role.ToString().ToLowerInvariant()} speaks for no delegation.");
        }

        if (code is null)
        {
            return role == MeetingRole.Delegate ? new InvalidRefusal("delegationCode", "A delegate speaks for one delegation: name it.") : null;
        }

        var kind = await db.Participants.Where(p => p.MeetingId == meetingId && p.DelegationCode == code)
            .Select(p => (DelegationKind?)p.Delegation!.Kind).SingleOrDefaultAsync(ct);
        if (kind is null)
        {
            return new InvalidRefusal("delegationCode", $"Delegation {code} does not take part in this meeting.");
        }

        return role == MeetingRole.Observer && kind != DelegationKind.Guest
            ? new InvalidRefusal("delegationCode", "Only a guest delegation's observers are tied to it; other observers see the whole meeting.")
            : null;
    }

}

/// <summary>The chair's change to who may enter: see <see cref="MembershipService.RevokeAsync"/>.</summary>
public sealed record RevokeMembership(int MembershipId) : MeetingChange<int>
{
    public override bool GoesOnWhenClosed => true;

    public override async Task<Outcome<ChangeStep<int>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        if (!ctx.Access.CanManageMemberships)
        {
            return ItemRules.ChairOnly("revoke memberships");
        }

        var membership = await ctx.Db.Memberships.SingleOrDefaultAsync(m => m.Id == MembershipId && m.MeetingId == ctx.Meeting.Id, ct);
        if (membership is null)
        {
            return new NotFoundRefusal($"Membership {MembershipId} does not exist in this meeting.");
        }

        if (membership.Role == MeetingRole.Chair && !ctx.Access.Caller.IsAdmin)
        {
            return new ForbiddenRefusal("Only an admin may remove a chair.");
        }

        var user = await ctx.Services.GetRequiredService<UserManager<BriefingUser>>().FindByIdAsync(membership.UserId);
        ctx.Db.Memberships.Remove(membership);
        return new ChangeStep<int>(MembershipId, new PendingEvent("membership.revoked", null,
            new MembershipEventDto(membership.Id, user?.NameForOthers ?? "", membership.Role, membership.DelegationCode), []));
    }
}
