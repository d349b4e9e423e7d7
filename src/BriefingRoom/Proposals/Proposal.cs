namespace BriefingRoom.Proposals;

public enum ProposalStatus
{
    Open,
    Accepted,
    Rejected,
    Withdrawn,

    /// <summary>Still open when its item was agreed: agreed text is final, so it fell (and stays closed if the item reopens).</summary>
    Lapsed,
}

/// <summary>One delegation's voice on a proposal: it backs it or objects to it (no row: it has said nothing).</summary>
public enum SupportStance
{
    Back,
    Object,
}

/// <summary>
/// A drafting proposal on an item's draft (a tracked change): replace the span [<see cref="From"/>, <see cref="To"/>) of
/// the text at revision <see cref="Revision"/> by <see cref="Replacement"/>. An empty span inserts, an empty
/// replacement deletes. While the proposal is open the meeting's grain moves its span with every operation on the
/// text (ProposalSpan.Map); the row holds the span as last stored, at its own revision, and the text log after that
/// revision brings it up to date on activation.
/// </summary>
public class Proposal
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    public int ItemId { get; set; }

    /// <summary>Numbered within the meeting, 1, 2, 3…: "proposal 7 of France".</summary>
    public int Number { get; set; }

    /// <summary>The proposing delegation; null when the chair or the secretariat tabled it (<see cref="ProposerName"/> says which).</summary>
    public string? DelegationCode { get; set; }
    public required string ProposerName { get; set; }
    public required string ProposedByUserId { get; set; }
    public required string ProposedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The id its proposer's request carried, if any: the same request sent again answers this proposal.</summary>
    public string? ClientRequestId { get; set; }

    /// <summary>The words the span held when the proposal was tabled.</summary>
    public required string Original { get; set; }
    public required string Replacement { get; set; }
    public string? Reason { get; set; }

    public int From { get; set; }
    public int To { get; set; }
    public int Revision { get; set; }

    /// <summary>Everything the span held was deleted by later edits: the proposal says so, and cannot be accepted.</summary>
    public bool SpanDeleted { get; set; }

    public ProposalStatus Status { get; set; }
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Why the chair rejected it, or why the proposer withdrew it.</summary>
    public string? DecisionReason { get; set; }

    /// <summary>The draft's revision that applied the proposal, when accepted.</summary>
    public int? AcceptedRevision { get; set; }

    public List<ProposalSupport> Supports { get; set; } = [];
}

public class ProposalSupport
{
    public int ProposalId { get; set; }
    public required string DelegationCode { get; set; }
    public SupportStance Stance { get; set; }
    public DateTimeOffset At { get; set; }
}
