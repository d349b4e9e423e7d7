using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Meetings;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Live;

/// <summary>A membership as the grain keeps it: enough to build the caller's <see cref="MeetingAccess"/> without the database.</summary>
internal sealed record MemberEntry(string UserId, MeetingRole Role, string? DelegationCode, DelegationKind? Kind);

/// <summary>
/// A meeting's state in its grain: the sequence numbers, the items (status, lock, guests), the participants, the
/// memberships, and every live text. Loaded from the database when the grain starts: the stored texts are snapshots,
/// and the text log after each one is replayed on top.
/// </summary>
internal sealed class LiveMeeting
{
    public required int Id { get; init; }

    /// <summary>The last sequence number handed out, including operations whose commit is under way.</summary>
    public long LastSeq { get; set; }

    /// <summary>The last sequence number known to be durable: all that others may read or be told.</summary>
    public long CommittedSeq { get; set; }

    /// <summary>Whether the chair has closed the meeting: no text operation is accepted (Meetings/ClosedMeeting.cs).</summary>
    public bool Closed { get; set; }

    public Dictionary<int, AgendaItem> Items { get; private set; } = [];
    public Dictionary<string, Participant> Participants { get; private set; } = new(StringComparer.Ordinal);
    public Dictionary<string, MemberEntry> Members { get; private set; } = new(StringComparer.Ordinal);
    public Dictionary<string, LiveText> Texts { get; } = new(StringComparer.Ordinal);

    /// <summary>The open proposals on the drafts, their spans moved with every operation (Live/LiveProposals.cs).</summary>
    public LiveProposals Proposals { get; } = new();

    /// <summary>The reservations on the items, those on a paragraph kept on it as the draft moves (Live/LiveReservations.cs).</summary>
    public LiveReservations Reservations { get; } = new();

    public IEnumerable<string> GuestCodes =>
        Participants.Values.Where(p => p.Delegation!.Kind == DelegationKind.Guest).Select(p => p.DelegationCode);

    public MeetingAccess? AccessOf(Caller caller)
    {
        if (Members.TryGetValue(caller.UserId, out var member))
        {
            return new MeetingAccess(Id, caller, member.Role, member.DelegationCode, member.Kind);
        }

        return caller.IsAdmin ? new MeetingAccess(Id, caller, MeetingRole.Chair, null, null) : null;
    }

    public static async Task<LiveMeeting?> LoadAsync(BriefingDb db, int meetingId, CancellationToken ct)
    {
        var meeting = await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId, ct);
        if (meeting is null)
        {
            return null;
        }

        var live = new LiveMeeting { Id = meetingId, LastSeq = meeting.LastSeq, CommittedSeq = meeting.LastSeq, Closed = meeting.Status == MeetingStatus.Closed };
        var drafts = await live.LoadMetaAsync(db, ct);
        foreach (var (itemId, text, revision) in drafts)
        {
            live.Texts[DocumentId.Draft(itemId).ToString()] = new LiveText(DocumentId.Draft(itemId), text, revision);
        }

        var itemIds = live.Items.Keys.ToList();
        var positions = await db.Positions.AsNoTracking()
            .Where(p => itemIds.Contains(p.ItemId) && (p.TextRevision > 0 || p.Text != ""))
            .Select(p => new { p.ItemId, p.DelegationCode, p.Text, p.TextRevision })
            .ToListAsync(ct);
        foreach (var p in positions)
        {
            var id = DocumentId.Position(p.ItemId, p.DelegationCode);
            live.Texts[id.ToString()] = new LiveText(id, p.Text, p.TextRevision);
        }

        var history = await db.TextSnapshots.AsNoTracking().Where(s => s.MeetingId == meetingId)
            .GroupBy(s => s.DocumentId).Select(g => new { g.Key, Revision = g.Max(s => s.Revision) })
            .ToDictionaryAsync(x => x.Key, x => x.Revision, ct);
        var logged = await db.TextEdits.AsNoTracking().Where(e => e.MeetingId == meetingId)
            .GroupBy(e => e.DocumentId).Select(g => new { g.Key, Revision = g.Max(e => e.Revision) })
            .ToListAsync(ct);
        foreach (var doc in logged)
        {
            if (!DocumentId.TryParse(doc.Key, out var id) || !live.Items.ContainsKey(id.Value.ItemId))
            {
                continue; // the log of a deleted item stays on record; nobody edits it any more
            }

            if (!live.Texts.TryGetValue(doc.Key, out var text))
            {
                text = live.Texts[doc.Key] = new LiveText(id.Value, "", 0);
            }

            var from = Math.Min(text.StoredRevision, doc.Revision - CoreLimits.WindowOperations);
            var edits = await db.TextEdits.AsNoTracking()
                .Where(e => e.DocumentId == doc.Key && e.Revision > from)
                .OrderBy(e => e.Revision)
                .Select(e => new { e.Revision, e.Operation, e.ClientOpId, e.Seq, e.AuthorUserId })
                .ToListAsync(ct);
            foreach (var e in edits)
            {
                var entry = new WindowEntry(e.Revision, TextOperation.FromStored(e.Operation), e.ClientOpId, e.Seq, e.AuthorUserId);
                if (e.Revision <= text.StoredRevision)
                {
                    text.RememberOld(entry);
                }
                else
                {
                    text.Replay(entry);
                }
            }
        }

        foreach (var text in live.Texts.Values)
        {
            text.HistoryRevision = history.GetValueOrDefault(text.Key, 0);
        }

        await live.Proposals.LoadAsync(db, meetingId, live.Texts, ct);
        await live.Reservations.LoadAsync(db, meetingId, live.Texts, ct);
        return live;
    }

    /// <summary>
    /// Reads items, participants and memberships again, after a change that may have moved them; returns the stored
    /// drafts of the items, so that the caller can start texts for items it did not know.
    /// </summary>
    public async Task<List<(int ItemId, string Text, int Revision)>> LoadMetaAsync(BriefingDb db, CancellationToken ct)
    {
        var items = await db.Items.AsNoTracking().Include(i => i.Guests).Where(i => i.MeetingId == Id).ToListAsync(ct);
        var drafts = items.Select(i => (i.Id, i.DraftText, i.DraftRevision)).ToList();
        foreach (var item in items)
        {
            // The live text is in Texts; the stored copy here may lag behind it, so nothing may read it.
            item.DraftText = "";
        }

        Items = items.ToDictionary(i => i.Id);
        Participants = (await db.Participants.AsNoTracking().Include(p => p.Delegation).Where(p => p.MeetingId == Id).ToListAsync(ct))
            .ToDictionary(p => p.DelegationCode, StringComparer.Ordinal);
        Members = (await db.Memberships.AsNoTracking().Where(m => m.MeetingId == Id)
                .Select(m => new
                {
                    m.UserId,
                    m.Role,
                    m.DelegationCode,
                    Kind = db.Delegations.Where(d => d.Code == m.DelegationCode).Select(d => (DelegationKind?)d.Kind).FirstOrDefault(),
                })
                .ToListAsync(ct))
            .ToDictionary(m => m.UserId, m => new MemberEntry(m.UserId, m.Role, m.DelegationCode, m.Kind), StringComparer.Ordinal);

        // Texts of items that are gone leave with them.
        foreach (var key in Texts.Keys.ToList())
        {
            if (!Items.ContainsKey(Texts[key].Id.ItemId))
            {
                Texts.Remove(key);
            }
        }

        return drafts;
    }
}
