using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using BriefingRoom.Proposals;
using BriefingRoom.Realtime;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Live;

/// <summary>
/// A reservation as the grain keeps it: the position as the room was last told of it and, when it names a paragraph,
/// the span of that paragraph's words, moved through every operation applied to the draft (as a proposal's span is,
/// <see cref="ProposalSpan.Map"/>, and see <c>Follow</c>): words typed at its edges stay outside it, words replaced whole
/// are its words still, and once all its words are deleted it is deleted for good. The paragraph's number is the number
/// of the line its first remaining word is on; with no word left (blanks only), it names no paragraph.
/// </summary>
internal sealed class LiveReservation
{
    public required int ItemId { get; init; }
    public required DelegationKind DelegationKind { get; init; }
    public required PositionDto Position { get; set; }

    /// <summary>The paragraph's words in the live draft; null for a reservation on the whole text.</summary>
    public ProposalSpan? Span { get; set; }

    /// <summary>The draft's revision <see cref="Span"/> is at.</summary>
    public int Revision { get; set; }

    /// <summary>What the position's row holds.</summary>
    public (ProposalSpan Span, int Revision)? Stored { get; set; }

    public ReservationEntry Entry => new(Position.DelegationCode, DelegationKind, Position.ReservationKind ?? ReservationKind.General,
        Position.ReservationText, Position.ReservationParagraph, Position.ReservationParagraphDeleted);
}

/// <summary>One reservation moved by an operation: its anchor and position as that operation left them.</summary>
internal sealed record ReservationMove(LiveReservation Reservation, ProposalSpan Span, int Revision, PositionDto Position);

/// <summary>The reservations that moved with one operation, and the events that tell the room, in order.</summary>
internal sealed record ReservationMoves(IReadOnlyList<ReservationMove> Moved, IReadOnlyList<PendingEvent> Events);

/// <summary>
/// The reservations of a meeting's items, kept so that one that names a paragraph stays on it while paragraphs are added
/// or removed above it, by typing or by an accepted proposal. An operation that moves a paragraph's number (or deletes
/// the paragraph) is committed with a "position.changed" for each reservation it moved and a "footnotes.changed" for the
/// item: the room, the snapshot and the conclusions all read the paragraph the words are in now. A draft with no
/// reservation on a paragraph costs one dictionary look-up per operation.
/// </summary>
internal sealed class LiveReservations
{
    private Dictionary<int, List<LiveReservation>> _byItem = [];
    private Dictionary<string, List<LiveReservation>> _anchored = new(StringComparer.Ordinal);
    private ReservationAttribution _attribution;

    /// <summary>
    /// An operation applied in memory to the draft <paramref name="textKey"/>, giving <paramref name="content"/> at
    /// <paramref name="revision"/>: the anchors follow it; null when no reservation's paragraph changed.
    /// </summary>
    public ReservationMoves? Applied(string textKey, TextOperation operation, string content, int revision, AgendaItem item)
    {
        if (!_anchored.TryGetValue(textKey, out var list))
        {
            return null;
        }

        var firsts = new int[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            var r = list[i];
            var span = Follow(r.Span!.Value, operation);
            r.Span = span;
            r.Revision = revision;
            firsts[i] = span.Deleted ? -1 : DraftParagraphs.FirstWord(content, span.From, span.To);
        }

        // One pass over the draft for all its anchors, in the order they stand in it.
        var order = list.Count == 1 ? [0] : Enumerable.Range(0, list.Count).OrderBy(i => firsts[i]).ToArray();
        var numbers = DraftParagraphs.NumbersAt(content, [.. order.Select(i => firsts[i])]);
        List<ReservationMove>? moved = null;
        for (var k = 0; k < order.Length; k++)
        {
            var r = list[order[k]];
            var paragraph = numbers[k];
            var deleted = paragraph is null;
            if (paragraph != r.Position.ReservationParagraph || deleted != r.Position.ReservationParagraphDeleted)
            {
                // A new version: a form filled in with the number it had must not set it back on the wrong words.
                r.Position = r.Position with { ReservationParagraph = paragraph, ReservationParagraphDeleted = deleted, Version = r.Position.Version + 1 };
                (moved ??= []).Add(new ReservationMove(r, r.Span!.Value, revision, r.Position));
            }
        }

        if (moved is null)
        {
            return null;
        }

        var footnotes = new ItemFootnotesDto(item.Id, ReservationFootnotes.Word(_byItem[item.Id].Select(r => r.Entry), _attribution));
        return new ReservationMoves(moved,
        [
            .. moved.Select(m => new PendingEvent("position.changed", item.Id, m.Position, GuestView.PositionAudience(item, m.Position.DelegationCode))),
            new PendingEvent(ReservationFootnotes.ChangedEvent, item.Id, footnotes, GuestView.PositionsAudience(item)),
        ]);
    }

    /// <summary>
    /// Inside the commit of the operation that moved them: the rows take the new number, version and anchor, so that
    /// what is read from the database (the snapshot, the conclusions) is what the room was told.
    /// </summary>
    public static async Task StoreMovesAsync(BriefingDb db, ReservationMoves moves, CancellationToken ct)
    {
        foreach (var (r, span, revision, position) in moves.Moved)
        {
            await StoreAsync(db, r.ItemId, position, span, revision, ct);
            r.Stored = (span, revision);
        }
    }

    /// <summary>
    /// Writes the anchors that moved since they were stored, inside a change's transaction (when nothing is in flight):
    /// a change that reloads them afterwards then finds them current, with no log to replay.
    /// </summary>
    public async Task StoreMovedAsync(BriefingDb db, CancellationToken ct)
    {
        foreach (var r in _anchored.Values.SelectMany(l => l).Where(r => r.Stored is not { } stored || stored.Span != r.Span!.Value))
        {
            // Marked stored only by the load that follows the change: a change refused leaves the row as it was.
            await StoreAsync(db, r.ItemId, r.Position, r.Span!.Value, r.Revision, ct);
        }
    }

    /// <summary>
    /// <see cref="ProposalSpan.Map"/>, but for a paragraph: words replaced whole in one operation (a paragraph selected and
    /// typed over, a proposal accepted that rewrites it) are its words still; words deleted are gone, and typing where they
    /// stood brings nothing back.
    /// </summary>
    private static ProposalSpan Follow(ProposalSpan span, TextOperation operation)
    {
        var mapped = span.Map(operation);
        if (mapped.Deleted && !span.Deleted)
        {
            var start = operation.TransformIndex(span.From, CaretAffinity.Before);
            if (start < mapped.From)
            {
                return new ProposalSpan(start, mapped.From, false);
            }
        }

        return mapped;
    }

    private static Task<int> StoreAsync(BriefingDb db, int itemId, PositionDto position, ProposalSpan span, int revision, CancellationToken ct) =>
        db.Positions.Where(p => p.ItemId == itemId && p.DelegationCode == position.DelegationCode)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.ReservationParagraph, position.ReservationParagraph)
                .SetProperty(p => p.ReservationParagraphDeleted, position.ReservationParagraphDeleted)
                .SetProperty(p => p.Version, position.Version)
                .SetProperty(p => p.ReservationFrom, span.From)
                .SetProperty(p => p.ReservationTo, span.Deleted ? span.From : span.To)
                .SetProperty(p => p.ReservationRevision, revision), ct);

    /// <summary>
    /// Reads the meeting's reservations, moving each anchor from its stored revision to the draft's committed one through
    /// the text log (on activation; after a change the stored anchors are current). A paragraph named before anchors were
    /// kept is anchored where the committed draft has it now.
    /// </summary>
    public async Task LoadAsync(BriefingDb db, int meetingId, IReadOnlyDictionary<string, LiveText> texts, CancellationToken ct)
    {
        var attribution = await db.Meetings.Where(m => m.Id == meetingId).Select(m => m.ReservationAttribution).SingleAsync(ct);
        var rows = await db.Positions.AsNoTracking()
            .Where(p => p.Stance == Stance.SupportWithReservation && db.Items.Any(i => i.Id == p.ItemId && i.MeetingId == meetingId))
            .Join(db.Delegations, p => p.DelegationCode, d => d.Code, (p, d) => new { Position = p, d.Kind })
            .ToListAsync(ct);
        var all = new List<LiveReservation>();
        foreach (var group in rows.GroupBy(r => r.Position.ItemId))
        {
            var key = DocumentId.Draft(group.Key).ToString();
            texts.TryGetValue(key, out var text);
            List<(int Revision, TextOperation Operation)>? log = null;
            foreach (var row in group)
            {
                var p = row.Position;
                var r = new LiveReservation { ItemId = p.ItemId, DelegationKind = row.Kind, Position = PositionDto.From(p) };
                all.Add(r);
                if (text is null || (p.ReservationParagraph is null && !p.ReservationParagraphDeleted))
                {
                    continue;
                }

                if (p.ReservationFrom is { } from && p.ReservationTo is { } to && p.ReservationRevision is { } revision && revision <= text.CommittedRevision)
                {
                    var span = new ProposalSpan(from, to, from == to && p.ReservationParagraphDeleted);
                    r.Stored = (span, revision);
                    if (revision < text.CommittedRevision)
                    {
                        log ??= await LiveProposals.TextLogAsync(db, key, group.Min(g => g.Position.ReservationRevision ?? text.CommittedRevision), text.CommittedRevision, ct);
                        foreach (var (_, operation) in log.Where(o => o.Revision > revision))
                        {
                            span = Follow(span, operation);
                        }
                    }

                    r.Span = span;
                }
                else if (p.ReservationParagraph is { } number && DraftParagraphs.SpanOf(text.CommittedContent, number) is { } words)
                {
                    // Stated before anchors were kept: anchored where the draft has that paragraph now, and written only
                    // once it moves (a change that changes nothing writes nothing).
                    r.Span = new ProposalSpan(words.From, words.To, false);
                    r.Stored = (r.Span.Value, text.CommittedRevision);
                }
                else
                {
                    continue; // a number past the draft's paragraphs, from before anchors: the export names it
                }

                r.Revision = text.CommittedRevision;
            }
        }

        Reset(attribution, all);
    }

    /// <summary>Holds <paramref name="reservations"/> from now on, those with a span anchored in their item's draft.</summary>
    internal void Reset(ReservationAttribution attribution, IEnumerable<LiveReservation> reservations)
    {
        var byItem = new Dictionary<int, List<LiveReservation>>();
        var anchored = new Dictionary<string, List<LiveReservation>>(StringComparer.Ordinal);
        foreach (var r in reservations)
        {
            (byItem.TryGetValue(r.ItemId, out var ofItem) ? ofItem : byItem[r.ItemId] = []).Add(r);
            if (r.Span is not null)
            {
                var key = DocumentId.Draft(r.ItemId).ToString();
                (anchored.TryGetValue(key, out var onText) ? onText : anchored[key] = []).Add(r);
            }
        }

        _attribution = attribution;
        _byItem = byItem;
        _anchored = anchored;
    }
}
