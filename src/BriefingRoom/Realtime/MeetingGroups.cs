namespace BriefingRoom.Realtime;

/// <summary>
/// SignalR groups of a meeting. Member delegations, institutions, the chair, the secretariat and observers join
/// <see cref="Members"/>; a guest delegation's people join its own <see cref="Guest"/> group instead, so that an event
/// about an item reaches only the guests invited to it. One group per connection: each send reaches it once.
/// </summary>
public static class MeetingGroups
{
    public static string Members(int meetingId) => $"m{meetingId}:members";
    public static string Guest(int meetingId, string delegationCode) => $"m{meetingId}:guest:{delegationCode}";

    /// <summary>Every administrator's connections, joined to a meeting or not: an administrator lists every meeting.</summary>
    public const string Admins = "admins";

    /// <summary>The one group a connection joins: its guest delegation's, or the members'.</summary>
    public static string Own(Meetings.MeetingAccess access) =>
        access.IsGuest ? Guest(access.MeetingId, access.DelegationCode!) : Members(access.MeetingId);

    /// <summary>The groups that may hear of something whose guest audience is <paramref name="guestAudience"/> (null: every guest present, <paramref name="guestsPresent"/>).</summary>
    public static IReadOnlyList<string> For(int meetingId, IReadOnlyCollection<string>? guestAudience, IEnumerable<string> guestsPresent) =>
        [Members(meetingId), .. (guestAudience ?? guestsPresent).Select(code => Guest(meetingId, code))];
}
