namespace BriefingRoom.Realtime;

/// <summary>
/// SignalR groups of a meeting. Every connection joins <see cref="Everyone"/>; member delegations, institutions,
/// the chair and the secretariat also join <see cref="Members"/>; a guest delegation's people join its own
/// <see cref="Guest"/> group instead, so an event about an item reaches only the guests invited to it.
/// </summary>
public static class MeetingGroups
{
    public static string Everyone(int meetingId) => $"m{meetingId}";
    public static string Members(int meetingId) => $"m{meetingId}:members";
    public static string Guest(int meetingId, string delegationCode) => $"m{meetingId}:guest:{delegationCode}";

    /// <summary>The group a connection joins besides <see cref="Everyone"/>: its guest delegation's, or the members'.</summary>
    public static string Own(Meetings.MeetingAccess access) =>
        access.IsGuest ? Guest(access.MeetingId, access.DelegationCode!) : Members(access.MeetingId);

    public static IReadOnlyList<string> For(int meetingId, IReadOnlyCollection<string>? guestAudience) =>
        guestAudience is null
            ? [Everyone(meetingId)]
            : [Members(meetingId), .. guestAudience.Select(code => Guest(meetingId, code))];
}
