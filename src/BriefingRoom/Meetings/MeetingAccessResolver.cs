using System.Security.Claims;
using BriefingRoom.Data;
using BriefingRoom.Identity;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Meetings;

/// <summary>Turns the authenticated principal into a <see cref="MeetingAccess"/> for one meeting, or null when the meeting is not theirs to see.</summary>
public sealed class MeetingAccessResolver(BriefingDb db)
{
    public static Caller CallerOf(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authenticated principal without a user id."),
        // Never Identity.Name: that is the e-mail address, and this name is shown to the whole room.
        user.FindFirstValue(BriefingClaims.DisplayName) ?? "Participant",
        user.IsInRole(BriefingRoles.Admin));

    public async Task<MeetingAccess?> ResolveAsync(ClaimsPrincipal user, int meetingId, CancellationToken ct)
    {
        var caller = CallerOf(user);
        var membership = await db.Memberships.AsNoTracking()
            .Where(m => m.MeetingId == meetingId && m.UserId == caller.UserId)
            .Select(m => new
            {
                m.Role,
                m.DelegationCode,
                Kind = db.Delegations.Where(d => d.Code == m.DelegationCode).Select(d => (DelegationKind?)d.Kind).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);

        if (membership is not null)
        {
            return new MeetingAccess(meetingId, caller, membership.Role, membership.DelegationCode, membership.Kind);
        }

        if (caller.IsAdmin && await db.Meetings.AnyAsync(m => m.Id == meetingId, ct))
        {
            return new MeetingAccess(meetingId, caller, MeetingRole.Chair, null, null);
        }

        return null;
    }
}

public static class MeetingAccessResolverExtensions
{
    /// <summary>Runs <paramref name="action"/> as the caller in the meeting, or answers "not found" when the meeting is not theirs to see.</summary>
    public static async Task<Realtime.Outcome<T>> AsMemberAsync<T>(
        this MeetingAccessResolver resolver, ClaimsPrincipal user, int meetingId,
        Func<MeetingAccess, Task<Realtime.Outcome<T>>> action, CancellationToken ct)
    {
        var access = await resolver.ResolveAsync(user, meetingId, ct);
        return access is null ? Api.ApiResults.MeetingNotFound(meetingId) : await action(access);
    }
}
