namespace BriefingRoom.Realtime;

/// <summary>
/// One durable change to a meeting, numbered by the meeting's sequence (no gaps, no duplicates).
/// Written in the same transaction as the change itself, published to the meeting's group after commit.
/// </summary>
public class MeetingEvent
{
    public int MeetingId { get; set; }
    public long Seq { get; set; }
    public required string Type { get; set; }
    /// <summary>The agenda item the event concerns, if any: guests receive only events about items they are invited to.</summary>
    public int? ItemId { get; set; }
    /// <summary>The event's body as JSON: the full new state of what changed, so that replaying an event is harmless.</summary>
    public required string Payload { get; set; }
    /// <summary>
    /// Which guest delegations may see the event, as a comma-separated list of codes: null for every participant,
    /// empty for none. Fixed when the event is written, so that a guest catching up sees exactly what it would have seen live.
    /// </summary>
    public string? GuestAudience { get; set; }
    public required string ActorUserId { get; set; }
    public required string ActorName { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}
