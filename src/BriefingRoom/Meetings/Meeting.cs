namespace BriefingRoom.Meetings;

public enum MeetingKind
{
    EuropeanCouncil,
    SpecialEuropeanCouncil,
    CouncilOfTheEu,
    Summit,
}

public enum MeetingStatus
{
    Planned,
    InSession,
    Closed,
}

public class Meeting
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public MeetingKind Kind { get; set; }
    public DateOnly Date { get; set; }
    public required string Place { get; set; }
    public required string DocumentNumber { get; set; }
    public MeetingStatus Status { get; set; }
    /// <summary>A distribution marking printed on every page of the conclusions, such as "LIMITE" or the meeting's own words; none when public.</summary>
    public string? DistributionMarking { get; set; }
    /// <summary>Whether the conclusions' footnotes name the delegations that entered reservations, or keep them anonymous.</summary>
    public Positions.ReservationAttribution ReservationAttribution { get; set; }
    /// <summary>Optimistic-concurrency version of the meeting's own fields.</summary>
    public int Version { get; set; }
    /// <summary>The sequence number of the meeting's last event; the next change takes LastSeq + 1.</summary>
    public long LastSeq { get; set; }
}
