using BriefingRoom.Data;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Live;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Drafting;

/// <summary>
/// Co-edited texts. Operations go to the meeting's grain, which transforms, applies and group-commits them
/// (<see cref="MeetingGrain"/>); the history is read from the committed log, in pages, and any past revision is
/// rebuilt from the nearest stored copy and the few operations after it.
/// </summary>
public sealed class DraftingService(BriefingDb db, IGrainFactory grains)
{
    public Task<Outcome<OperationAck>> SubmitAsync(MeetingAccess access, SubmitOperationRequest request, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return GrainCalls.RepeatableAsync(() => grains.GetGrain<IMeetingGrain>(access.MeetingId).Submit(access.Caller, request));
    }

    /// <summary>
    /// Who wrote what: the committed operations after <paramref name="sinceRevision"/>, oldest first, at most
    /// <paramref name="limit"/> of them and about <see cref="CoreLimits.HistoryPageUnits"/> UTF-16 units; <c>More</c> says
    /// whether later ones exist. From the current revision the page is empty; from a later one it is refused.
    /// </summary>
    public async Task<Outcome<TextHistoryDto>> HistoryAsync(MeetingAccess access, string documentId, int sinceRevision, int? limit, CancellationToken ct)
    {
        if (sinceRevision < 0)
        {
            return new InvalidRefusal("since", "A revision is 0 or more.");
        }

        var take = limit ?? 500;
        if (take is < 1 or > CoreLimits.HistoryPageMax)
        {
            return new InvalidRefusal("limit", $"A page holds 1 to {CoreLimits.HistoryPageMax} operations.");
        }

        var text = await grains.GetGrain<IMeetingGrain>(access.MeetingId).Describe(access.Caller, documentId);
        if (text.Refusal is { } refused)
        {
            return refused;
        }

        var (key, current) = text.Value!;
        if (sinceRevision > current)
        {
            // Not an empty last page: that would tell a client asking with a wrong number that it has everything.
            return InvalidRefusal.RevisionNotYet("since", current, sinceRevision);
        }

        var after = db.TextEdits.AsNoTracking().Where(e => e.DocumentId == key && e.Revision > sinceRevision && e.Revision <= current);

        // The page is cut by size before any operation is read: first each revision's size, then only the rows that fit.
        var sizes = await after.OrderBy(e => e.Revision).Take(take).Select(e => new { e.Revision, e.Operation.Length }).ToListAsync(ct);
        var last = sinceRevision;
        long units = 0;
        foreach (var size in sizes)
        {
            units += size.Length;
            if (last > sinceRevision && units > CoreLimits.HistoryPageUnits)
            {
                break;
            }

            last = size.Revision;
        }

        var rows = await after.Where(e => e.Revision <= last).OrderBy(e => e.Revision).ToListAsync(ct);
        var page = rows.Select(e => new TextEditDto(e.Revision, TextOperation.FromStored(e.Operation), e.ClientOpId, e.AuthorUserId, e.AuthorName, e.At, e.Seq, e.Note)).ToList();
        var more = page.Count > 0 ? page[^1].Revision < current : sinceRevision < current;
        return new TextHistoryDto(key, current, page, more);
    }

    /// <summary>The text as it stood at <paramref name="revision"/>: its nearest stored copy, and the operations after that copy.</summary>
    public async Task<Outcome<TextAtRevisionDto>> AtRevisionAsync(MeetingAccess access, string documentId, int revision, CancellationToken ct)
    {
        var text = await grains.GetGrain<IMeetingGrain>(access.MeetingId).Describe(access.Caller, documentId);
        if (text.Refusal is { } refused)
        {
            return refused;
        }

        var (key, current) = text.Value!;
        if (revision < 0 || revision > current)
        {
            return new InvalidRefusal("revision", $"The text has revisions 0 to {current}.");
        }

        var copy = await db.TextSnapshots.AsNoTracking()
            .Where(s => s.DocumentId == key && s.Revision <= revision)
            .OrderByDescending(s => s.Revision).Select(s => new { s.Revision, s.Text })
            .FirstOrDefaultAsync(ct);
        if (copy is null && !key.StartsWith("position:", StringComparison.Ordinal))
        {
            return new NotFoundRefusal($"The text of {key} before revision {revision + 1} is not kept.");
        }

        var content = copy?.Text ?? "";
        var from = copy?.Revision ?? 0;
        var edits = await db.TextEdits.AsNoTracking()
            .Where(e => e.DocumentId == key && e.Revision > from && e.Revision <= revision)
            .OrderBy(e => e.Revision).Select(e => e.Operation).ToListAsync(ct);
        foreach (var operation in edits)
        {
            content = TextOperation.FromStored(operation).Apply(content);
        }

        return new TextAtRevisionDto(key, revision, content);
    }
}
