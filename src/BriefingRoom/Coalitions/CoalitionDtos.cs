using BriefingRoom.Meetings;

namespace BriefingRoom.Coalitions;

public sealed record SignatoryDto(string Code, string Name, DelegationKind Kind, DateTimeOffset JoinedAt, string RecordedBy, bool RecordedOnBehalf);

/// <summary>
/// A coalition statement's support: every signatory (member states in protocol order, then guests by name), how
/// many member states sign, whether the chair has closed the list, and the wording to print under the text.
/// The statement's text is the item's draft. The payload of every coalition.* event.
/// </summary>
public sealed record CoalitionDto(
    int ItemId, IReadOnlyList<SignatoryDto> Signatories, int MemberStates, bool Locked, string? LockedBy, DateTimeOffset? LockedAt, string Wording);
