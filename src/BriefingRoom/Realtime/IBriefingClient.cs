namespace BriefingRoom.Realtime;

/// <summary>What the server calls on browser and .NET clients. The JS names live in wwwroot/js/hub-names.js.</summary>
public interface IBriefingClient
{
    /// <summary>The events of one group commit. Clients apply events in sequence order and fetch what they miss.</summary>
    Task MeetingEvents(EventBatchDto batch);

    /// <summary>Who is in the room now, and on which items. Sent whole: the latest one wins.</summary>
    Task PresenceChanged(PresenceDto presence);

    /// <summary>Other connections' carets or selections that moved, the latest of each, coalesced.</summary>
    Task CaretsMoved(IReadOnlyList<CaretDto> carets);

    /// <summary>
    /// This connection's seat in the meeting was revoked or changed, and it has left the meeting's groups: it hears nothing
    /// more of the room until it joins again (refused when the seat is gone; with the new seat, the room loaded again).
    /// </summary>
    Task SeatChanged(int meetingId);

    /// <summary>
    /// The list of the user's meetings changed: a seat given, changed or taken away, or a meeting's title, date, place,
    /// number or status (for an administrator, who lists every meeting, also a meeting created). Sent to every connection
    /// of the people concerned, joined to a meeting or not (the meetings page listens); the page loads its list again.
    /// </summary>
    Task MeetingsChanged();

    /// <summary>
    /// An invitation to the meeting was sent or withdrawn. Told only to those who see the meeting's invitations (its chairs
    /// and secretariat, and the administrators), never to the room: an invitation holds an address. Their invitations
    /// panel reads the list again.
    /// </summary>
    Task InvitationsChanged(int meetingId);
}
