namespace BriefingRoom.Meetings;

/// <summary>A delegation taking part in a meeting, with the flags that hold for this meeting only.</summary>
public class Participant
{
    public int MeetingId { get; set; }
    public required string DelegationCode { get; set; }
    public Delegation? Delegation { get; set; }
    /// <summary>Who leads the delegation at this meeting, e.g. the head of state or government.</summary>
    public string? HeadOfDelegation { get; set; }
    /// <summary>Voting rights suspended under Art. 7(3) TEU: the member stays in the room but is not counted (Art. 354 TFEU).</summary>
    public bool VotingRightsSuspended { get; set; }
    /// <summary>Raised by each change of the flags above: a change made from an older view is refused, not applied over a newer one.</summary>
    public int Version { get; set; }
}
