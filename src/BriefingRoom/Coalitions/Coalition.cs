namespace BriefingRoom.Coalitions;

/// <summary>
/// A coalition of the willing: an item the Council could not agree on, turned by the chair into a statement that
/// the delegations willing to support it sign. The item's draft is the statement's text. Exists exactly while the
/// item's status is <see cref="Agenda.ItemStatus.Coalition"/>.
/// </summary>
public class Coalition
{
    public int ItemId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedByName { get; set; }
    /// <summary>Set when the chair closes the list of signatories; joining and leaving wait until it is reopened.</summary>
    public DateTimeOffset? LockedAt { get; set; }
    public string? LockedByName { get; set; }
    public List<CoalitionSignatory> Signatories { get; set; } = [];

    public bool IsLocked => LockedAt is not null;
}

/// <summary>A member state or an invited guest that signed the statement.</summary>
public class CoalitionSignatory
{
    public int ItemId { get; set; }
    public required string DelegationCode { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public required string RecordedByName { get; set; }
    /// <summary>Recorded by the chair or the secretariat, or taken from the delegation's support when the coalition was formed.</summary>
    public bool RecordedOnBehalf { get; set; }
}
