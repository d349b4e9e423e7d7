using BriefingRoom.Voting;

namespace BriefingRoom.Agenda;

public enum ItemStatus
{
    Draft,
    UnderDiscussion,
    Agreed,
    NotAgreed,
    Coalition,
}

public class AgendaItem
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    /// <summary>Position on the agenda, 1-based and without gaps; the chair reorders.</summary>
    public int Number { get; set; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public DecisionRule Rule { get; set; }
    public ItemStatus Status { get; set; }

    /// <summary>The draft conclusions, co-edited through operational transformation; <see cref="DraftRevision"/> counts its operations.</summary>
    public required string DraftText { get; set; }
    public int DraftRevision { get; set; }

    /// <summary>Optimistic-concurrency version of the item's metadata (title, description, rule, status, guests).</summary>
    public int Version { get; set; }

    public string? LockedByUserId { get; set; }
    public string? LockedByName { get; set; }
    public DateTimeOffset? LockedAt { get; set; }
    public string? LockReason { get; set; }

    public List<ItemGuest> Guests { get; set; } = [];

    /// <summary>
    /// The separate document a coalition statement on this item is published as: its number (e.g. "EUCO 10/25"),
    /// set by the secretariat or the chair, perhaps before the item becomes a statement; null until then.
    /// </summary>
    public string? StatementNumber { get; set; }
    /// <summary>The statement's title; the item's title when null.</summary>
    public string? StatementTitle { get; set; }
    /// <summary>The statement's own distribution marking, chosen with its number; none when null.</summary>
    public string? StatementMarking { get; set; }

    /// <summary>Open: every drafter co-edits the draft; Presidency pen: only the chair and the secretariat do, delegations propose.</summary>
    public DraftingMode DraftingMode { get; set; }
    /// <summary>The deadline of the silence procedure running on the item (Silence/SilenceProcedure); null when none runs. Its texts are frozen meanwhile.</summary>
    public DateTimeOffset? SilenceDeadline { get; set; }

    /// <summary>
    /// Set while the chair revises a coalition statement's text (with this reason): its signatures were withdrawn when
    /// the revision began, only the chair edits, and nobody signs until the chair reopens it for signature. Null otherwise:
    /// a statement's text is then frozen (see <see cref="Coalitions.StatementRules"/>).
    /// </summary>
    public string? StatementRevisionReason { get; set; }
    public string? StatementRevisionBy { get; set; }

    /// <summary>
    /// Whether the guests invited to the item see the member states' stances, reservations and position texts. Off by
    /// default: a third country sees the text, the status and the outcome in words (see <see cref="Positions.GuestView"/>).
    /// </summary>
    public bool GuestsSeePositions { get; set; }

    public bool IsLocked => LockedAt is not null;

    /// <summary>Agreeing an item freezes its texts, as a lock does, until the chair reopens it; so does a silence procedure while it runs.</summary>
    public bool TextsFrozen => IsLocked || Status == ItemStatus.Agreed || SilenceDeadline is not null;
}

/// <summary>A guest delegation invited to take part in one agenda item.</summary>
public class ItemGuest
{
    public int ItemId { get; set; }
    public required string DelegationCode { get; set; }
}
