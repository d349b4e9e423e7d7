using BriefingRoom.Agenda;
using BriefingRoom.Coalitions;
using BriefingRoom.Drafting;
using BriefingRoom.Positions;
using BriefingRoom.Tally;

namespace BriefingRoom.Meetings;

public sealed record MeetingDto(
    int Id, string Title, MeetingKind Kind, DateOnly Date, string Place, string DocumentNumber,
    MeetingStatus Status, string? DistributionMarking, int Version, ReservationAttribution ReservationAttribution)
{
    public static MeetingDto From(Meeting m) =>
        new(m.Id, m.Title, m.Kind, m.Date, m.Place, m.DocumentNumber, m.Status, m.DistributionMarking, m.Version, m.ReservationAttribution);
}

public sealed record MeetingSummaryDto(
    int Id, string Title, DateOnly Date, string Place, string DocumentNumber, MeetingStatus Status, MeetingRole Role, string? DelegationCode);

public sealed record DelegationDto(string Code, string Name, DelegationKind Kind, bool Votes)
{
    public static DelegationDto From(Delegation d) => new(d.Code, d.Name, d.Kind, d.Votes);
}

public sealed record ParticipantDto(
    string DelegationCode, string Name, DelegationKind Kind, bool Votes, string? HeadOfDelegation, bool VotingRightsSuspended, int Version)
{
    public static ParticipantDto From(Participant p, Delegation d) =>
        new(d.Code, d.Name, d.Kind, d.Votes, p.HeadOfDelegation, p.VotingRightsSuspended, p.Version);
}

/// <summary>What the caller may do here, so that a client shows only the controls that will work.</summary>
public sealed record YouDto(
    string UserId, string Name, MeetingRole Role, string? DelegationCode, bool IsAdmin,
    bool CanManageAgenda, bool CanLock, bool CanEditDrafts, bool CanRecordOnBehalf, bool CanExport, bool CanManageMemberships, bool CanInvite)
{
    public static YouDto From(MeetingAccess a) => new(
        a.Caller.UserId, a.Caller.Name, a.Role, a.DelegationCode, a.Caller.IsAdmin,
        a.CanManageAgenda, a.CanLock, a.CanEditDrafts, a.CanRecordOnBehalf, a.CanExport, a.CanManageMemberships, a.CanInvite);
}

/// <summary>
/// Everything a client needs to show the room, as of sequence number <see cref="Seq"/>: the client applies
/// events after <see cref="Seq"/> on top of it. Texts are listed apart from items and positions because they
/// move by operations with their own revisions. <see cref="Tallies"/> has one entry per item listed, so that the
/// room shows where each item stands without another call; "tally.changed" events replace them.
/// <see cref="Coalitions"/> has one entry per listed item whose status is coalition; coalition.* events replace them.
/// <see cref="Footnotes"/> has one entry per listed item with reservations, worded as the conclusions print them;
/// "footnotes.changed" events replace them.
/// <see cref="Proposals"/> lists the drafting proposals on the listed items, the open ones with their spans at the
/// revision of <see cref="Texts"/>; proposal.* events replace them.
/// </summary>
public sealed record MeetingSnapshot(
    MeetingDto Meeting,
    long Seq,
    YouDto? You,
    IReadOnlyList<ParticipantDto> Participants,
    IReadOnlyList<AgendaItemDto> Items,
    IReadOnlyList<PositionDto> Positions,
    IReadOnlyList<TextDocumentDto> Texts,
    IReadOnlyList<ItemTallyDto> Tallies,
    IReadOnlyList<CoalitionDto> Coalitions,
    IReadOnlyList<ItemFootnotesDto> Footnotes,
    IReadOnlyList<Proposals.ProposalDto>? Proposals = null);
