using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Proposals;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Live;

/// <summary>
/// An open proposal as the grain keeps it: its span moved through every operation applied to its draft. <see cref="Live"/>
/// includes operations whose commit is under way (an acceptance is built on it); <see cref="Committed"/> is at the text's
/// committed revision (what snapshots and stored rows show); <see cref="Stored"/> is what the row holds.
/// </summary>
internal sealed class LiveProposal
{
    public required int Id { get; init; }
    public required int Number { get; init; }
    public required int ItemId { get; init; }
    public required string TextKey { get; init; }
    public required string ProposerName { get; init; }
    public required string Replacement { get; init; }
    public ProposalSpan Live { get; set; }
    public ProposalSpan Committed { get; set; }
    public int CommittedRevision { get; set; }
    public (ProposalSpan Span, int Revision) Stored { get; set; }

    /// <summary>Its acceptance is applied and on its way to the database: nothing else may act on it.</summary>
    public bool Accepting { get; set; }
}

/// <summary>The open proposals of a meeting, by id and by the draft they are on.</summary>
internal sealed class LiveProposals
{
    private Dictionary<int, LiveProposal> _byId = [];
    private Dictionary<string, List<LiveProposal>> _byText = new(StringComparer.Ordinal);

    public LiveProposal? Find(int id) => _byId.GetValueOrDefault(id);

    public IEnumerable<LiveProposal> All => _byId.Values;

    /// <summary>An operation applied in memory (speculatively, before its commit).</summary>
    public void Applied(string textKey, TextOperation operation)
    {
        if (_byText.TryGetValue(textKey, out var list))
        {
            foreach (var p in list)
            {
                p.Live = p.Live.Map(operation);
            }
        }
    }

    /// <summary>An operation now durable, in commit order: the committed spans follow it.</summary>
    public void Committed(string textKey, TextOperation operation, int revision)
    {
        if (_byText.TryGetValue(textKey, out var list))
        {
            foreach (var p in list.Where(p => p.CommittedRevision < revision))
            {
                p.Committed = p.Committed.Map(operation);
                p.CommittedRevision = revision;
            }
        }
    }

    /// <summary>The proposal was accepted (its commit is durable) or closed: it no longer moves.</summary>
    public void Remove(int id)
    {
        if (_byId.Remove(id, out var p) && _byText.TryGetValue(p.TextKey, out var list))
        {
            list.Remove(p);
        }
    }

    /// <summary>
    /// Reads the open proposals from the database, moving each span from its stored revision to the text's committed one
    /// through the text log (on activation, and after a change, when the stored spans are current and nothing moves).
    /// </summary>
    public async Task LoadAsync(BriefingDb db, int meetingId, IReadOnlyDictionary<string, LiveText> texts, CancellationToken ct)
    {
        var rows = await db.Proposals.AsNoTracking()
            .Where(p => p.MeetingId == meetingId && p.Status == ProposalStatus.Open)
            .Select(p => new { p.Id, p.Number, p.ItemId, p.ProposerName, p.Replacement, p.From, p.To, p.Revision, p.SpanDeleted })
            .ToListAsync(ct);
        var byId = new Dictionary<int, LiveProposal>();
        var byText = new Dictionary<string, List<LiveProposal>>(StringComparer.Ordinal);
        foreach (var group in rows.GroupBy(r => DocumentId.Draft(r.ItemId).ToString()))
        {
            if (!texts.TryGetValue(group.Key, out var text))
            {
                continue;
            }

            var oldest = group.Min(r => r.Revision);
            var operations = oldest < text.CommittedRevision ? await TextLogAsync(db, group.Key, oldest, text.CommittedRevision, ct) : [];
            var list = byText[group.Key] = [];
            foreach (var r in group)
            {
                var stored = new ProposalSpan(r.From, r.To, r.SpanDeleted);
                var span = stored;
                foreach (var (revision, operation) in operations.Where(o => o.Revision > r.Revision))
                {
                    span = span.Map(operation);
                }

                var p = new LiveProposal
                {
                    Id = r.Id,
                    Number = r.Number,
                    ItemId = r.ItemId,
                    TextKey = group.Key,
                    ProposerName = r.ProposerName,
                    Replacement = r.Replacement,
                    Live = span,
                    Committed = span,
                    CommittedRevision = text.CommittedRevision,
                    Stored = (stored, r.Revision),
                };
                byId[p.Id] = p;
                list.Add(p);
            }
        }

        _byId = byId;
        _byText = byText;
    }

    /// <summary>
    /// Writes the committed spans that moved since they were stored, inside a change's transaction (when nothing is
    /// in flight, so committed and live agree): the change's rules then read current spans from the database.
    /// </summary>
    public async Task StoreMovedAsync(BriefingDb db, CancellationToken ct)
    {
        foreach (var p in _byId.Values.Where(p => p.Stored != (p.Committed, p.CommittedRevision)))
        {
            var span = p.Committed;
            var revision = p.CommittedRevision;
            await db.Proposals.Where(x => x.Id == p.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.From, span.From)
                .SetProperty(x => x.To, span.To)
                .SetProperty(x => x.SpanDeleted, span.Deleted)
                .SetProperty(x => x.Revision, revision), ct);
        }
    }

    /// <summary>The committed spans of the open proposals on these drafts, as snapshots carry them.</summary>
    public IReadOnlyList<ProposalSpanEntry> CommittedSpans(Func<int, bool> visibleItem) =>
        [.. _byId.Values.Where(p => visibleItem(p.ItemId))
            .Select(p => new ProposalSpanEntry(p.Id, new ProposalSpanDto(p.Committed.From, p.Committed.To, p.CommittedRevision, p.Committed.Deleted)))];

    /// <summary>
    /// The operations of the text <paramref name="key"/> after revision <paramref name="after"/> up to
    /// <paramref name="upTo"/>, in order: what an anchor stored at a revision (a proposal's span, a reservation's
    /// paragraph) is carried through to reach the committed text.
    /// </summary>
    internal static async Task<List<(int Revision, TextOperation Operation)>> TextLogAsync(BriefingDb db, string key, int after, int upTo, CancellationToken ct) =>
        [.. (await db.TextEdits.AsNoTracking()
                .Where(e => e.DocumentId == key && e.Revision > after && e.Revision <= upTo)
                .OrderBy(e => e.Revision).Select(e => new { e.Revision, e.Operation }).ToListAsync(ct))
            .Select(e => (e.Revision, TextOperation.FromStored(e.Operation)))];
}

/// <summary>An open proposal's span as of the committed texts the grain hands out with it.</summary>
public sealed record ProposalSpanEntry(int ProposalId, ProposalSpanDto Span);
