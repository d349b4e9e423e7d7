namespace BriefingRoom.Realtime;

/// <summary>What the server calls on browser and .NET clients. The JS names live in wwwroot/js/hub-names.js.</summary>
public interface IBriefingClient
{
    /// <summary>A committed change to the meeting. Clients apply events in sequence order and fetch what they miss.</summary>
    Task MeetingEvent(MeetingEventDto e);

    /// <summary>Who is in the room now, and on which items. Sent whole: the latest one wins.</summary>
    Task PresenceChanged(PresenceDto presence);

    /// <summary>Another connection's caret or selection moved in a text.</summary>
    Task CaretMoved(CaretDto caret);
}
