using BriefingRoom.Voting;

namespace BriefingRoom.Positions;

/// <summary>One delegation's position on one agenda item. A delegation without a row has no position yet (version 0).</summary>
public class Position
{
    public int ItemId { get; set; }
    public required string DelegationCode { get; set; }
    public Stance Stance { get; set; }
    public ReservationKind? ReservationKind { get; set; }
    public string? ReservationText { get; set; }
    /// <summary>The paragraph of the item's draft the reservation applies to (1-based, <see cref="Drafting.DraftParagraphs"/>); null: the whole text.</summary>
    public int? ReservationParagraph { get; set; }

    /// <summary>
    /// Where that paragraph's words stood in the draft at <see cref="ReservationRevision"/>: the anchor that keeps the
    /// reservation on its paragraph while paragraphs are added or removed above it (Live/LiveReservations.cs moves it with
    /// every operation, and <see cref="ReservationParagraph"/> with it). Null without a paragraph.
    /// </summary>
    public int? ReservationFrom { get; set; }
    public int? ReservationTo { get; set; }
    public int? ReservationRevision { get; set; }

    /// <summary>Every word of the reserved paragraph has been deleted since: the reservation names no paragraph that still stands.</summary>
    public bool ReservationParagraphDeleted { get; set; }

    /// <summary>
    /// Anchors the reservation on the words of <see cref="ReservationParagraph"/> in <paramref name="draft"/>, which is at
    /// <paramref name="revision"/> (no anchor without a paragraph), as it is stated.
    /// </summary>
    public void AnchorReservation(string draft, int revision)
    {
        var words = ReservationParagraph is { } number ? Drafting.DraftParagraphs.SpanOf(draft, number) : null;
        ReservationFrom = words?.From;
        ReservationTo = words?.To;
        ReservationRevision = words is null ? null : revision;
        ReservationParagraphDeleted = false;
    }

    /// <summary>The position's text, co-edited by the delegation through operational transformation.</summary>
    public required string Text { get; set; }
    public int TextRevision { get; set; }

    /// <summary>Optimistic-concurrency version of the stance and reservation.</summary>
    public int Version { get; set; }
    public required string UpdatedByUserId { get; set; }
    public required string UpdatedByName { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Set when the chair or the secretariat recorded the stance for the delegation (a tour de table).</summary>
    public bool RecordedOnBehalf { get; set; }
}
