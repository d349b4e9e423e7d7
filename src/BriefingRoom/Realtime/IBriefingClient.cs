namespace BriefingRoom.Realtime;

/// <summary>What the server calls on browser and .NET clients. The JS names live in wwwroot/js/hub-names.js.</summary>
public interface IBriefingClient
{
    /// <summary>A committed change to the meeting, in sequence order per sender.</summary>
    Task MeetingEvent(MeetingEventDto e);
}
