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
    /// <summary>The SHA-256 (lower-case hex, of the UTF-8 bytes) of the exact text signed: a signature counts only under that text.</summary>
    public required string TextSha256 { get; set; }
}

/// <summary>
/// A coalition the chair ended by moving its item out of the coalition state: kept whole, with the text its
/// signatories signed, so that the history shows it and the chair can restore it (see <see cref="RestoreCoalition"/>).
/// </summary>
public class ArchivedCoalition
{
    public int Id { get; set; }
    public int ItemId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset ArchivedAt { get; set; }
    public required string ArchivedByName { get; set; }
    /// <summary>Why it was archived, in words ("status set to under discussion").</summary>
    public required string Reason { get; set; }
    /// <summary>The statement's text when the coalition was archived, and its SHA-256.</summary>
    public required string Text { get; set; }
    public required string TextSha256 { get; set; }
    /// <summary>The signatories as they stood, as JSON (<see cref="ArchivedSignatory"/>).</summary>
    public required string SignatoriesJson { get; set; }
    public DateTimeOffset? RestoredAt { get; set; }
    public string? RestoredByName { get; set; }
}

public sealed record ArchivedSignatory(string Code, DateTimeOffset JoinedAt, string RecordedBy, bool RecordedOnBehalf, string TextSha256);
