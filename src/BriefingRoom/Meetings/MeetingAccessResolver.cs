using System.Security.Claims;
using BriefingRoom.Identity;
using BriefingRoom.Live;

namespace BriefingRoom.Meetings;

/// <summary>
/// Turns the authenticated principal into a <see cref="MeetingAccess"/> for one meeting, or null when the meeting is not
/// theirs to see. The meeting's grain answers from the memberships it holds in memory: no database on the way.
/// </summary>
public sealed class MeetingAccessResolver(IGrainFactory grains)
{
    public static Caller CallerOf(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authenticated principal without a user id."),
        // Never Identity.Name: that is the e-mail address, and this name is shown to the whole room.
        user.FindFirstValue(BriefingClaims.DisplayName) ?? "Participant",
        user.IsInRole(BriefingRoles.Admin));

    public async Task<MeetingAccess?> ResolveAsync(ClaimsPrincipal user, int meetingId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return meetingId <= 0 ? null : await grains.GetGrain<IMeetingGrain>(meetingId).Access(CallerOf(user));
    }

    /// <summary>The caller's access and the meeting's last committed sequence number, in one call to the meeting's grain.</summary>
    public async Task<JoinTicket?> ResolveWithSeqAsync(ClaimsPrincipal user, int meetingId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return meetingId <= 0 ? null : await grains.GetGrain<IMeetingGrain>(meetingId).AccessNow(CallerOf(user));
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

    /// <summary>
    /// Builds the room for the caller with <paramref name="build"/>, and gives it only if no change of seats came after
    /// the caller's admission (<paramref name="seatsChangedAt"/> of what was built: the grain's number of its last such
    /// change). Otherwise the caller is admitted again, or refused, before any room is given: a member admitted just
    /// before her seat was revoked is never shown what the room did after she left it. It asks again only while seats
    /// keep changing under it.
    /// </summary>
    public static async Task<Realtime.Outcome<T>> ToTheRoomAsync<T>(
        this MeetingAccessResolver resolver, ClaimsPrincipal user, int meetingId,
        Func<JoinTicket, Task<Realtime.Outcome<T>>> build, Func<T, long> seatsChangedAt, CancellationToken ct)
    {
        while (true)
        {
            if (await resolver.ResolveWithSeqAsync(user, meetingId, ct) is not { } ticket)
            {
                return Api.ApiResults.MeetingNotFound(meetingId);
            }

            var built = await build(ticket);
            if (built.Refusal is not null || seatsChangedAt(built.Value!) <= ticket.Seq)
            {
                return built;
            }
        }
    }
}
