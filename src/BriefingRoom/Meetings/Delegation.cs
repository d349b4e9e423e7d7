namespace BriefingRoom.Meetings;

public enum DelegationKind
{
    MemberState,
    Institution,
    Guest,
}

/// <summary>A delegation known to the system: a member state, an EU institution or a guest country.</summary>
public class Delegation
{
    /// <summary>Upper-case code: the Council's country codes for member states (EL for Greece), short names for the others.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public DelegationKind Kind { get; set; }
    /// <summary>Whether the delegation votes at all. Only member states vote; the meeting may still suspend a member's rights.</summary>
    public bool Votes { get; set; }
}
