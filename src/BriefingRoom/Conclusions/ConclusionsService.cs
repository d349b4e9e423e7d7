using System.Globalization;
using System.Security.Cryptography;
using BriefingRoom.Agenda;
using BriefingRoom.Coalitions;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Conclusions;

/// <summary>An exported PDF, with what proves it: its SHA-256 and the sequence number of the meeting state it prints.</summary>
public sealed record ConclusionsExport(byte[] Pdf, string Sha256, long Seq, string FileName);

/// <summary>The body of a "conclusions.exported" event: who exported which bytes, reflecting which state.</summary>
public sealed record ConclusionsExportedDto(string Sha256, long Seq, int Bytes, bool IncludesNoAgreement, string ExportedBy);

/// <summary>
/// Exports the agreed conclusions. Reads one consistent state, renders it off the live-editing path (at most
/// <see cref="BriefingOptions.MaxConcurrentExports"/> at a time), and records the export in the meeting's history.
/// The same agreed content always gives the same bytes: nothing printed comes from the clock.
/// </summary>
public sealed class ConclusionsService(
    BriefingDb db, MeetingChanges changes, IGrainFactory grains, IConclusionsRenderer renderer, ExportGate gate, IOptions<BriefingOptions> options, Hosting.BriefingMetrics metrics)
{
    /// <summary>Events that can change what the PDF prints: only these move the sequence number it reflects.</summary>
    private static readonly string[] ContentEventTypes = ["item.created", "item.updated", "item.status", "text.edited", "coalition.created", "coalition.joined", "coalition.left", "coalition.locked", "coalition.unlocked"];

    public async Task<Outcome<ConclusionsExport>> ExportAsync(MeetingAccess access, bool listNoAgreement, CancellationToken ct)
    {
        if (!access.CanExport)
        {
            return new ForbiddenRefusal("Only the secretariat and the chair export the conclusions.");
        }

        if (!await gate.EnterAsync(options.Value.ExportQueueTimeout, ct))
        {
            return new BusyRefusal("Other exports are running; try again in a few seconds.", options.Value.ExportQueueTimeout);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // The stored texts are snapshots that may lag the live ones by a few operations: bring them up to date first.
            await grains.GetGrain<Live.IMeetingGrain>(access.MeetingId).Checkpoint();
            var content = await ReadAsync(access.MeetingId, listNoAgreement, ct);
            if (content.Refusal is { } nothing)
            {
                return nothing;
            }

            var document = content.Value!;
            var pdf = await Task.Run(() => renderer.Render(document), ct);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));
            var recorded = await changes.ApplyAsync(access,
                new RecordExport(new ConclusionsExportedDto(sha256, document.Sequence, pdf.Length, listNoAgreement, access.Caller.Name)), ct);
            if (recorded.Refusal is { } refused)
            {
                return refused;
            }

            metrics.ExportDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var fileName = $"{string.Concat(document.DocumentNumber.Select(c => char.IsLetterOrDigit(c) ? c : '-'))}-conclusions.pdf";
            return new ConclusionsExport(pdf, sha256, document.Sequence, fileName);
        }
        finally
        {
            gate.Exit();
        }
    }

    /// <summary>The meeting as the PDF prints it, read in one snapshot so that the text and the sequence number agree.</summary>
    private async Task<Outcome<ConclusionsDocument>> ReadAsync(int meetingId, bool listNoAgreement, CancellationToken ct)
    {
        await using var snapshot = await db.BeginSnapshotAsync(ct);
        var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == meetingId, ct);
        var items = await db.Items.AsNoTracking().Where(i => i.MeetingId == meetingId).OrderBy(i => i.Number).ToListAsync(ct);
        var agreed = items.Where(i => i.Status == ItemStatus.Agreed).ToList();
        var statements = items.Where(i => i.Status == ItemStatus.Coalition).ToList();
        if (agreed.Count == 0 && statements.Count == 0)
        {
            return new ConflictRefusal("Nothing is agreed yet: there are no conclusions to export.", new { agreedItems = 0 });
        }

        var printed = listNoAgreement ? items : agreed;
        var printedIds = printed.Concat(statements).Select(i => i.Id).Distinct().ToList();
        var coalitions = (await CoalitionService.ForItemsAsync(db, [.. statements.Select(i => i.Id)], ct)).ToDictionary(c => c.ItemId);
        var contentEvent = await db.Events.AsNoTracking()
            .Where(e => e.MeetingId == meetingId
                && (e.Type == "meeting.updated" || e.Type == "agenda.reordered"
                    || (e.ItemId != null && printedIds.Contains(e.ItemId.Value) && ContentEventTypes.Contains(e.Type)
                        && (e.Type != "text.edited" || e.Payload.Contains("\"documentId\":\"draft:")))))
            .OrderByDescending(e => e.Seq)
            .Select(e => new { e.Seq, e.OccurredAt })
            .FirstOrDefaultAsync(ct);

        var content = Compose(items, coalitions, listNoAgreement, i => i.DraftText);
        var date = meeting.Date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var title = $"{meeting.Title} ({date}) – Conclusions";
        return new ConclusionsDocument
        {
            MeetingTitle = title,
            DocumentNumber = meeting.DocumentNumber,
            PlaceAndDate = $"{meeting.Place}, {date}",
            DistributionMarking = meeting.DistributionMarking,
            Sequence = contentEvent?.Seq ?? 0,
            Metadata = new ConclusionsMetadata
            {
                Title = title,
                Subject = $"Conclusions of the {meeting.Title.ToLowerInvariant().Replace("european council", "European Council", StringComparison.Ordinal)} of {date}",
                Author = "General Secretariat of the Council",
                // The time of the last change to what is printed: the same content, the same date.
                CreationDate = contentEvent?.OccurredAt ?? new DateTimeOffset(meeting.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            },
            Sections = content.Sections,
            Annex = content.Annex,
        };
    }

    /// <summary>
    /// What the PDF prints of the agenda, in its order: a section per printed item (agreed items with their
    /// paragraphs; with <paramref name="listNoAgreement"/> the others as "no agreement"), then the annex with
    /// the coalition statements. The layout engine numbers the paragraphs continuously in this order, the
    /// rule that wwwroot/js/paragraphs.js follows for the editor's margin (tests/vectors/paragraph-vectors.json).
    /// </summary>
    public static (IReadOnlyList<ConclusionsSection> Sections, ConclusionsAnnex? Annex) Compose(
        IEnumerable<AgendaItem> items, IReadOnlyDictionary<int, CoalitionDto> coalitions, bool listNoAgreement, Func<AgendaItem, string> draftOf)
    {
        var ordered = items.OrderBy(i => i.Number).ToList();
        var printed = ordered.Where(i => listNoAgreement || i.Status == ItemStatus.Agreed);
        var statements = ordered.Where(i => i.Status == ItemStatus.Coalition).ToList();
        ConclusionsSection[] sections = [.. printed.Select(i => i.Status == ItemStatus.Agreed
            ? new ConclusionsSection { Title = i.Title, Paragraphs = Paragraphs(draftOf(i)) }
            : new ConclusionsSection { Title = i.Title, Outcome = SectionOutcome.NoAgreement })];
        // Texts a coalition of the willing supports go to the annex, with who supports them.
        var annex = statements.Count == 0 ? null : new ConclusionsAnnex
        {
            Statements = [.. statements.Select(i => new CoalitionStatement
            {
                Title = i.Title,
                Paragraphs = Paragraphs(draftOf(i)),
                Wording = coalitions[i.Id].Wording,
                Signatories = [.. coalitions[i.Id].Signatories.Select(s => s.Name)],
            })],
        };
        return (sections, annex);
    }

    /// <summary>A draft's paragraphs are its non-empty lines.</summary>
    public static IReadOnlyList<string> Paragraphs(string draft) =>
        [.. draft.Split('\n').Select(p => p.Trim()).Where(p => p.Length > 0)];
}

/// <summary>Limits how many exports render at once, so that a burst of exports cannot starve live editing of CPU.</summary>
public sealed class ExportGate(IOptions<BriefingOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentExports, options.Value.MaxConcurrentExports);

    public Task<bool> EnterAsync(TimeSpan wait, CancellationToken ct) => _slots.WaitAsync(wait, ct);

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}

/// <summary>An export in the meeting's history: who exported which bytes, reflecting which state.</summary>
public sealed record RecordExport(ConclusionsExportedDto Exported) : MeetingChange<ConclusionsExportedDto>
{
    public override Task<Outcome<ChangeStep<ConclusionsExportedDto>>> RunAsync(ChangeContext ctx, CancellationToken ct) =>
        Task.FromResult<Outcome<ChangeStep<ConclusionsExportedDto>>>(
            new ChangeStep<ConclusionsExportedDto>(Exported, new PendingEvent("conclusions.exported", null, Exported, [])));
}
