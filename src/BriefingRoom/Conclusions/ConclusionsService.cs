using System.Globalization;
using System.Security.Cryptography;
using BriefingRoom.Agenda;
using BriefingRoom.Coalitions;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Conclusions.Word;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using BriefingRoom.Realtime;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Conclusions;

/// <summary>
/// One exported copy, with what proves it: the content SHA-256 (the same for every copy of this text), the file's own
/// SHA-256, the copy's identifier, and the sequence number of the meeting state it prints.
/// </summary>
public sealed record ConclusionsExport(byte[] File, string ContentType, string ContentSha256, string CopySha256, string CopyId, long Seq, string FileName)
{
    /// <summary>The items the conclusions did not print, with their status: the export says so rather than leave them out silently.</summary>
    public IReadOnlyList<LeftOutItem> LeftOut { get; init; } = [];
}

/// <summary>An item an export left out, by its agenda number, and its status (the reason it is not printed).</summary>
public sealed record LeftOutItem(int Number, ItemStatus Status);

/// <summary>
/// The body of a "conclusions.exported" event: which document, in which format, for whom, by whom, and its hashes.
/// <see cref="Sha256"/> is the content hash; <see cref="CopySha256"/> the file's. The copy's identifier is not in it:
/// every member hears of the event, and only the chair and the secretariat see identifiers.
/// </summary>
public sealed record ConclusionsExportedDto(
    string Sha256, long Seq, int Bytes, bool IncludesNoAgreement, string ExportedBy,
    string CopySha256, ExportedDocument Document, ExportFormat Format, string DocumentNumber, int? ItemId, string Recipient, string RecipientDelegation);

/// <summary>
/// Exports the meeting's documents: the conclusions, and each coalition statement as a document of its own. Reads one
/// consistent state, renders it off the live-editing path (at most <see cref="BriefingOptions.MaxConcurrentExports"/> at
/// a time) as one recipient's copy, and records the copy and the export in the meeting's history. The same text gives
/// the same content hash in every copy, and the same copy the same bytes: nothing printed comes from the clock but the
/// copy's own time.
/// </summary>
public sealed class ConclusionsService(
    BriefingDb db, MeetingChanges changes, IGrainFactory grains, IConclusionsRenderer renderer, IConclusionsWordWriter word, ExportGate gate,
    IOptions<BriefingOptions> options, Hosting.BriefingMetrics metrics, TimeProvider clock)
{
    private const string Author = "General Secretariat of the Council";

    public async Task<Outcome<ConclusionsExport>> ExportConclusionsAsync(
        MeetingAccess access, ExportFormat format, bool listNoAgreement, int? recipient, CancellationToken ct)
    {
        if (!access.CanExport)
        {
            return new ForbiddenRefusal("Only the secretariat and the chair export the conclusions.");
        }

        IReadOnlyList<LeftOutItem> leftOut = [];
        var export = await ExportAsync(access, format, recipient, ExportedDocument.Conclusions, null, listNoAgreement,
            to => ReadAsync(access.MeetingId, loaded =>
            {
                leftOut = listNoAgreement ? [] : [.. loaded.Items.Where(i => i.Status is not (ItemStatus.Agreed or ItemStatus.Coalition)).Select(i => new LeftOutItem(i.Number, i.Status))];
                return ConclusionsOfAsync(loaded, listNoAgreement, to, ct);
            }, ct), ct);
        return export.Refusal is null ? export.Value! with { LeftOut = leftOut } : export;
    }

    public async Task<Outcome<ConclusionsExport>> ExportStatementAsync(
        MeetingAccess access, int itemId, ExportFormat format, int? recipient, CancellationToken ct)
    {
        var found = await ItemRules.ReadVisibleAsync(db, access, itemId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        if (!access.CanExport)
        {
            return new ForbiddenRefusal("Only the secretariat and the chair export a statement.");
        }

        return await ExportAsync(access, format, recipient, ExportedDocument.Statement, found.Value, false,
            to => ReadAsync(access.MeetingId, loaded => StatementOfAsync(loaded, itemId, to, ct), ct), ct);
    }

    /// <summary>
    /// A named version of one item's text as a document of its own ("EUCO 6/25 REV 1"): the version's number and name in
    /// the header, its text numbered from 1, and an audit trail with the version's own SHA-256. The version never changes,
    /// so neither does what is printed.
    /// </summary>
    public async Task<Outcome<ConclusionsExport>> ExportVersionAsync(
        MeetingAccess access, int versionId, ExportFormat format, int? recipient, CancellationToken ct)
    {
        var version = await db.ItemVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId && v.MeetingId == access.MeetingId, ct);
        var item = version is null ? null : (await ItemRules.ReadVisibleAsync(db, access, version.ItemId, ct)).Value;
        if (version is null || item is null)
        {
            return new InvalidRefusal("version", $"Version {versionId} does not exist in this meeting.");
        }

        if (!access.CanExport)
        {
            return new ForbiddenRefusal("Only the secretariat and the chair export the conclusions.");
        }

        return await ExportAsync(access, format, recipient, ExportedDocument.Conclusions, item, false,
            _ => VersionDocumentAsync(access.MeetingId, item, version, ct), ct);
    }

    /// <summary>
    /// Whether the copy's document, exported now for the same recipient, would print exactly the copy's text: the document
    /// is built from today's state and its content hash taken as of the copy's sequence number (and so the copy's date),
    /// which equals the copy's only if every printed word, footnote, signatory and heading is the same. Null when that
    /// cannot be said: a copy of a named version (whose text never changes), a recipient no longer in the meeting, or
    /// a document that could not be built now (its item deleted, or a guest no longer issued it).
    /// </summary>
    public async Task<bool?> PrintsTheSameTodayAsync(MeetingAccess access, ExportedCopy copy, CancellationToken ct)
    {
        var isVersion = copy.Document == ExportedDocument.Conclusions && copy.ItemId is not null;
        var membership = await db.Memberships.AsNoTracking()
            .Where(m => m.MeetingId == access.MeetingId && m.UserId == copy.RecipientUserId).Select(m => (int?)m.Id).SingleOrDefaultAsync(ct);
        var item = copy.ItemId is { } itemId ? (await ItemRules.ReadVisibleAsync(db, access, itemId, ct)).Value : null;
        if (isVersion || membership is null || (copy.ItemId is not null && item is null))
        {
            return null;
        }

        var recipient = await RecipientAsync(access, membership, item, copy.IncludesNoAgreement, ct);
        if (recipient.Refusal is not null)
        {
            return null;
        }

        var to = recipient.Value!;
        var built = copy.Document == ExportedDocument.Statement
            ? await ReadAsync(access.MeetingId, loaded => StatementOfAsync(loaded, item!.Id, to, ct), ct)
            : await ReadAsync(access.MeetingId, loaded => ConclusionsOfAsync(loaded, copy.IncludesNoAgreement, to, ct), ct);
        if (built.Refusal is not null)
        {
            return null;
        }

        var now = built.Value!;
        if (now.Sequence != copy.Seq)
        {
            // A change and its undoing move the sequence number: the text is compared as of the copy's, with the copy's date.
            var at = await db.Events.AsNoTracking().Where(e => e.MeetingId == access.MeetingId && e.Seq == copy.Seq)
                .Select(e => (DateTimeOffset?)e.OccurredAt).SingleOrDefaultAsync(ct);
            var meetingDate = await db.Meetings.AsNoTracking().Where(m => m.Id == access.MeetingId).Select(m => m.Date).SingleAsync(ct);
            now = now with
            {
                Sequence = copy.Seq,
                Metadata = now.Metadata with { CreationDate = at ?? new DateTimeOffset(meetingDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) },
            };
        }

        return now.ContentSha256() == copy.ContentSha256;
    }

    private async Task<Outcome<ConclusionsDocument>> VersionDocumentAsync(int meetingId, AgendaItem item, Versions.ItemVersion version, CancellationToken ct)
    {
        var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == meetingId, ct);
        var number = $"\"number\":{version.Number.ToString(CultureInfo.InvariantCulture)},";
        var saved = await db.Events.AsNoTracking()
            .Where(e => e.MeetingId == meetingId && e.ItemId == version.ItemId && e.Type == "version.saved" && e.Payload.Contains(number))
            .OrderBy(e => e.Seq).Select(e => (long?)e.Seq).FirstOrDefaultAsync(ct);
        // The text is the version's, but the meeting's fields and the item's title are printed as they are now: a later
        // change to them is a later state, so that two different documents never claim the same sequence number.
        var fields = await db.Events.AsNoTracking()
            .Where(e => e.MeetingId == meetingId && e.Seq > (saved ?? 0)
                && (e.Type == "meeting.updated" || (e.ItemId == version.ItemId && e.Type == "item.updated")))
            .OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.OccurredAt }).FirstOrDefaultAsync(ct);
        var last = fields is null ? (saved ?? 0, version.CreatedAt) : (fields.Seq, fields.OccurredAt);
        var date = meeting.Date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var savedAt = version.CreatedAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var document = Document(meeting, $"{meeting.Title} ({date}) – Draft conclusions, {version.Label}", $"{meeting.DocumentNumber} {version.Label}",
            meeting.DistributionMarking, $"{item.Title}: {version.Label} – {version.Name}", last,
            [new ConclusionsSection { Title = item.Title, Paragraphs = DraftParagraphs.Of(version.Text) }], support: null);
        return document with
        {
            Version = new DocumentVersion
            {
                Heading = $"{version.Label} – {version.Name}",
                AuditTrail =
                [
                    $"{version.Label} of the draft of item {ItemNumeral.Of(item.Number)}, \"{version.Name}\", saved by {version.CreatedByName} on {savedAt}, is revision {version.Revision} of the draft.",
                    $"SHA-256 of the text of {version.Label}: {version.Sha256}",
                ],
            },
        };
    }

    private async Task<Outcome<ConclusionsExport>> ExportAsync(
        MeetingAccess access, ExportFormat format, int? recipientMembership, ExportedDocument kind, AgendaItem? item, bool listNoAgreement,
        Func<Recipient, Task<Outcome<ConclusionsDocument>>> read, CancellationToken ct)
    {
        var itemId = item?.Id;
        var recipient = await RecipientAsync(access, recipientMembership, item, listNoAgreement, ct);
        if (recipient.Refusal is { } nobody)
        {
            return nobody;
        }

        if (!await gate.EnterAsync(options.Value.ExportQueueTimeout, ct))
        {
            return new BusyRefusal("Other exports are running; try again in a few seconds.", options.Value.ExportQueueTimeout);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var content = await read(recipient.Value!);
            if (content.Refusal is { } nothing)
            {
                return nothing;
            }

            var document = content.Value!;
            var to = recipient.Value!;
            var copy = new DocumentCopy(CopyIdentifiers.New(), to.Name, to.Delegation, clock.GetUtcNow());
            var contentSha256 = document.ContentSha256();
            // One render per copy: the copy's marks are drawn apart from the text, never by rendering the text twice.
            var bytes = await Task.Run(() => format == ExportFormat.Pdf ? renderer.Render(document, copy) : word.Write(document, copy), ct);
            var copySha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));

            var exported = new ConclusionsExportedDto(contentSha256, document.Sequence, bytes.Length, listNoAgreement, access.Caller.Name,
                copySha256, kind, format, document.DocumentNumber, itemId, to.Name, to.Delegation);
            var recorded = await changes.ApplyAsync(access, new RecordExport(new ExportedCopy
            {
                Id = copy.Identifier,
                MeetingId = access.MeetingId,
                ItemId = itemId,
                Document = kind,
                Format = format,
                DocumentNumber = document.DocumentNumber,
                ContentSha256 = contentSha256,
                CopySha256 = copySha256,
                Bytes = bytes.Length,
                Seq = document.Sequence,
                IncludesNoAgreement = listNoAgreement,
                RecipientUserId = to.UserId,
                RecipientName = to.Name,
                RecipientDelegation = to.Delegation,
                IssuedAt = copy.IssuedAt,
                ExportedByUserId = access.Caller.UserId,
                ExportedByName = access.Caller.Name,
            }, exported), ct);
            if (recorded.Refusal is { } refused)
            {
                return refused;
            }

            metrics.ExportDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var stem = string.Concat(document.DocumentNumber.Select(c => char.IsLetterOrDigit(c) ? c : '-'));
            var (extension, contentType) = format == ExportFormat.Pdf
                ? ("pdf", "application/pdf")
                : ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
            var fileName = $"{stem}-{(kind == ExportedDocument.Conclusions ? "conclusions" : "statement")}.{extension}";
            return new ConclusionsExport(bytes, contentType, contentSha256, copySha256, copy.Identifier, document.Sequence, fileName);
        }
        finally
        {
            gate.Exit();
        }
    }

    /// <summary>Whom a copy is issued to; <paramref name="Guest"/> is the code of their guest delegation, if they are a guest's.</summary>
    private sealed record Recipient(string UserId, string Name, string Delegation, string? Guest);

    /// <summary>
    /// Why a guest is not issued this copy, or null: <paramref name="printed"/> (with their guests) holds an item it takes
    /// no part in; or, in the conclusions, an agreed item on which another delegation reserved (<paramref name="othersReserved"/>)
    /// while the chair keeps its positions closed to its guests: the conclusions print reservations as footnotes (named or
    /// not), which the room does not show the guests until then.
    /// </summary>
    private static InvalidRefusal? RefuseGuest(Recipient to, bool oneItem, IEnumerable<AgendaItem> printed, Func<int, bool> othersReserved)
    {
        var items = printed.OrderBy(i => i.Number).ToList();
        if (items.FirstOrDefault(i => !i.Guests.Any(g => g.DelegationCode == to.Guest)) is { } notTheirs)
        {
            return new InvalidRefusal("recipient", oneItem
                ? $"{to.Name} ({to.Delegation}) takes no part in item {ItemNumeral.Of(notTheirs.Number)}: a copy of its text is not issued to them."
                : $"{to.Name} ({to.Delegation}) takes no part in item {ItemNumeral.Of(notTheirs.Number)}, which the conclusions print: a copy of them is not issued to them.");
        }

        if (!oneItem && items.FirstOrDefault(i => i.Status == ItemStatus.Agreed && !i.GuestsSeePositions && othersReserved(i.Id)) is { } withheld)
        {
            return new InvalidRefusal("recipient",
                $"{to.Name} ({to.Delegation}) is not shown the member states' reservations on item {ItemNumeral.Of(withheld.Number)}, which the conclusions print as footnotes: "
                + "a copy of them is issued to them once the chair opens the item's positions to its guests.");
        }

        return null;
    }

    /// <summary>
    /// The caller by default; the secretariat or the chair may name another member of the meeting by membership. A copy
    /// of one item's text (a version, a statement) goes only to someone who may see that item: a guest delegation that
    /// takes no part in it is not shown the item in the room, and is not issued its text either. So with the conclusions
    /// (<paramref name="item"/> null), which print every agreed item and statement (with <paramref name="listNoAgreement"/>,
    /// every item) and the member states' reservations: a guest is issued them only if it takes part in each of those items.
    /// </summary>
    private async Task<Outcome<Recipient>> RecipientAsync(MeetingAccess access, int? membershipId, AgendaItem? item, bool listNoAgreement, CancellationToken ct)
    {
        var query = db.Memberships.AsNoTracking().Where(m => m.MeetingId == access.MeetingId);
        query = membershipId is { } id ? query.Where(m => m.Id == id) : query.Where(m => m.UserId == access.Caller.UserId);
        var member = await query
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, m.Role, m.DelegationCode, u.DisplayName, u.UserName })
            .SingleOrDefaultAsync(ct);
        if (member is null)
        {
            return membershipId is { } unknown
                ? new InvalidRefusal("recipient", $"Membership {unknown} is not in this meeting: name the recipient by one of the meeting's memberships.")
                : new Recipient(access.Caller.UserId, access.Caller.Name, "Administrator", null);
        }

        var delegation = member.DelegationCode is { } code
            ? await db.Delegations.AsNoTracking().Where(d => d.Code == code).Select(d => d.Name).SingleAsync(ct)
            : member.Role switch
            {
                MeetingRole.Chair => "Chair",
                MeetingRole.Secretariat => "Secretariat",
                _ => "Observer",
            };
        var name = member.DisplayName ?? member.UserName ?? member.UserId;
        var to = new Recipient(member.UserId, name, delegation, null);
        if (member.DelegationCode is { } guest && member.Role != MeetingRole.Chair
            && await db.Delegations.AsNoTracking().AnyAsync(d => d.Code == guest && d.Kind == DelegationKind.Guest, ct))
        {
            to = to with { Guest = guest };
            var printed = item is not null
                ? [item]
                : await db.Items.AsNoTracking().Include(i => i.Guests)
                    .Where(i => i.MeetingId == access.MeetingId && (listNoAgreement || i.Status == ItemStatus.Agreed || i.Status == ItemStatus.Coalition))
                    .OrderBy(i => i.Number).ToListAsync(ct);
            List<int> closed = item is not null ? [] : [.. printed.Where(i => i.Status == ItemStatus.Agreed && !i.GuestsSeePositions).Select(i => i.Id)];
            var reserved = closed.Count == 0 ? [] : await db.Positions.AsNoTracking()
                .Where(p => closed.Contains(p.ItemId) && p.Stance == Stance.SupportWithReservation && p.DelegationCode != guest)
                .Select(p => p.ItemId).Distinct().ToListAsync(ct);
            if (RefuseGuest(to, item is not null, printed, reserved.Contains) is { } refused)
            {
                return refused;
            }
        }

        return to;
    }

    /// <summary>The meeting as the documents print it, read in one snapshot: texts, positions, coalitions and sequence agree.</summary>
    private sealed record Loaded(
        Meeting Meeting, IReadOnlyList<AgendaItem> Items, IReadOnlyDictionary<int, CoalitionDto> Coalitions,
        IReadOnlyDictionary<int, IReadOnlyList<ReservationEntry>> Reservations, IReadOnlyDictionary<string, string> Names);

    /// <summary>
    /// Every read of the texts an export prints goes through here, so that there is one place where the stored texts
    /// are taken (and where the live core hands over its current ones).
    /// </summary>
    private async Task<Outcome<ConclusionsDocument>> ReadAsync(int meetingId, Func<Loaded, Task<Outcome<ConclusionsDocument>>> build, CancellationToken ct)
    {
        // The stored texts are snapshots that may lag the live ones by a few operations: the meeting's grain stores
        // what it has first (an agreed or signed text does not move, so what is read next is what is printed).
        // Safe to repeat: while the grain moves to another instance, or restarts from the database after a failed commit,
        // it is asked again for a few seconds before the export is answered "try again".
        var stored = await Live.GrainCalls.RepeatableAsync<long>(async () =>
        {
            try
            {
                return await grains.GetGrain<Live.IMeetingGrain>(meetingId).Checkpoint();
            }
            catch (InvalidOperationException)
            {
                // The stored texts could not be brought up to date: printed now, they would lack acknowledged edits.
                return new BusyRefusal("The meeting's texts could not be saved just now; try the export again in a moment.", TimeSpan.FromSeconds(1));
            }
        });
        if (stored.Refusal is { } notStored)
        {
            return notStored;
        }

        await using var snapshot = await db.BeginSnapshotAsync(ct);
        var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == meetingId, ct);
        var items = await db.Items.AsNoTracking().Include(i => i.Guests).Where(i => i.MeetingId == meetingId).OrderBy(i => i.Number).ToListAsync(ct);
        var itemIds = items.Select(i => i.Id).ToList();
        var coalitions = (await CoalitionService.ForItemsAsync(db, [.. items.Where(i => i.Status == ItemStatus.Coalition).Select(i => i.Id)], ct))
            // A statement prints only the signatures given to its exact text, never above a text that changed since.
            .ToDictionary(c => c.ItemId, c => StatementRules.SignedUnder(c, items.Single(i => i.Id == c.ItemId).DraftText));
        var reservations = await ReservationFootnotes.EntriesAsync(db, itemIds, ct);
        var names = await db.Delegations.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ct);
        return await build(new Loaded(meeting, items, coalitions, reservations, names));
    }

    private async Task<Outcome<ConclusionsDocument>> ConclusionsOfAsync(Loaded loaded, bool listNoAgreement, Recipient to, CancellationToken ct)
    {
        var meeting = loaded.Meeting;
        // The guest's copy was allowed before the meeting was read; what is printed is what this snapshot holds, so ask again.
        if (to.Guest is { } guest && RefuseGuest(to, false,
                loaded.Items.Where(i => listNoAgreement || i.Status is ItemStatus.Agreed or ItemStatus.Coalition),
                id => loaded.Reservations.GetValueOrDefault(id)?.Any(r => r.Code != guest) == true) is { } refused)
        {
            return refused;
        }

        var agreed = loaded.Items.Where(i => i.Status == ItemStatus.Agreed).ToList();
        var statements = loaded.Items.Where(i => i.Status == ItemStatus.Coalition).ToList();
        if (agreed.Count == 0 && statements.Count == 0)
        {
            return new ConflictRefusal("Nothing is agreed yet: there are no conclusions to export.", new { agreedItems = 0 });
        }

        // The conclusions refer to each statement by its number: one without a number cannot be referred to.
        if (statements.FirstOrDefault(i => i.StatementNumber is null) is { } unnumbered)
        {
            return new ConflictRefusal(
                $"Item {ItemNumeral.Of(unnumbered.Number)} is a coalition statement without a document number: the secretariat or the chair numbers it first, so that the conclusions can refer to it.",
                AgendaItemDto.From(unnumbered));
        }

        var footnotes = new Dictionary<int, IReadOnlyList<Pdf.Footnote>>();
        foreach (var item in agreed)
        {
            var paragraphs = DraftParagraphs.Count(item.DraftText);
            var words = ReservationFootnotes.Word(loaded.Reservations.GetValueOrDefault(item.Id) ?? [], meeting.ReservationAttribution);
            if (words.Any(f => f.ParagraphDeleted))
            {
                var who = loaded.Reservations[item.Id].Where(r => r.ParagraphDeleted).Select(r => loaded.Names.GetValueOrDefault(r.Code, r.Code));
                return new ConflictRefusal(
                    $"On item {ItemNumeral.Of(item.Number)}, {DecisionWording.Names([.. who])} reserved on a paragraph whose words have all been deleted since: "
                    + "the chair reopens the item so that the reservation is restated on the text as agreed.",
                    AgendaItemDto.From(item));
            }

            if (words.FirstOrDefault(f => f.Paragraph > paragraphs) is { } stray)
            {
                var who = loaded.Reservations[item.Id].Where(r => r.Paragraph == stray.Paragraph).Select(r => loaded.Names.GetValueOrDefault(r.Code, r.Code));
                return new ConflictRefusal(
                    $"On item {ItemNumeral.Of(item.Number)}, {DecisionWording.Names([.. who])} reserved on paragraph {stray.Paragraph}, but the agreed text has {paragraphs}: "
                    + "the chair reopens the item so that the reservation or the text is corrected.",
                    AgendaItemDto.From(item));
            }

            footnotes[item.Id] = [.. words.Select(f => new Pdf.Footnote(f.Paragraph, f.Text))];
        }

        var sections = Sections(loaded.Items, loaded.Coalitions, listNoAgreement, id => footnotes.GetValueOrDefault(id) ?? []);
        var printed = loaded.Items.Where(i => i.Status is ItemStatus.Agreed or ItemStatus.Coalition || listNoAgreement).Select(i => i.Id).ToList();
        var last = await LastContentEventAsync(meeting.Id, printed, [.. agreed.Select(i => i.Id)], [.. agreed.Select(i => i.Id)], [.. statements.Select(i => i.Id)], ct);
        var date = meeting.Date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var title = $"{meeting.Title} ({date}) – Conclusions";
        return Document(meeting, title, meeting.DocumentNumber, meeting.DistributionMarking,
            $"Conclusions of the {LowerTitle(meeting.Title)} of {date}", last, sections, support: null);
    }

    private async Task<Outcome<ConclusionsDocument>> StatementOfAsync(Loaded loaded, int itemId, Recipient to, CancellationToken ct)
    {
        // Found before the export began, and deleted since (an item that is not a statement may be): as if never found.
        if (loaded.Items.SingleOrDefault(i => i.Id == itemId) is not { } item)
        {
            return ItemRules.NotFound(itemId);
        }

        if (to.Guest is not null && RefuseGuest(to, true, [item], _ => false) is { } refused)
        {
            return refused;
        }

        if (item.Status != ItemStatus.Coalition)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is not a coalition statement: only a statement is published as a document of its own.", AgendaItemDto.From(item));
        }

        if (item.StatementNumber is not { } number)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)}'s statement has no document number yet: the secretariat or the chair numbers it first.", AgendaItemDto.From(item));
        }

        var coalition = loaded.Coalitions[item.Id];
        var meeting = loaded.Meeting;
        var last = await LastContentEventAsync(meeting.Id, [item.Id], [item.Id], [], [item.Id], ct);
        var date = meeting.Date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var statementTitle = item.StatementTitle ?? item.Title;
        return Document(meeting, $"{meeting.Title} ({date}) – {statementTitle}", number, item.StatementMarking,
            $"{statementTitle}: statement at the {LowerTitle(meeting.Title)} of {date}", last,
            [new ConclusionsSection { Title = null, Paragraphs = DraftParagraphs.Of(item.DraftText) }],
            new StatementSupport { Wording = coalition.Wording, Signatories = [.. coalition.Signatories.Select(s => s.Name)] });
    }

    /// <summary>
    /// What the conclusions print of the agenda, in its order: an agreed item with its paragraphs (and its footnotes); a
    /// coalition statement as one paragraph, the cross reference to its own document; with <paramref name="listNoAgreement"/>
    /// the others as "no agreement". The layout engine numbers the paragraphs continuously in this order, the rule that
    /// wwwroot/js/paragraphs.js follows for the editor's margin (tests/vectors/paragraph-vectors.json); a statement's own
    /// document numbers its paragraphs from 1.
    /// </summary>
    public static List<ConclusionsSection> Sections(
        IEnumerable<AgendaItem> items, IReadOnlyDictionary<int, CoalitionDto> coalitions, bool listNoAgreement, Func<int, IReadOnlyList<Pdf.Footnote>> footnotes)
    {
        var sections = new List<ConclusionsSection>();
        foreach (var item in items.OrderBy(i => i.Number))
        {
            switch (item.Status)
            {
                case ItemStatus.Agreed:
                    sections.Add(new ConclusionsSection { Title = item.Title, Paragraphs = DraftParagraphs.Of(item.DraftText), Footnotes = footnotes(item.Id) });
                    break;
                case ItemStatus.Coalition:
                    var coalition = coalitions[item.Id];
                    sections.Add(new ConclusionsSection
                    {
                        Title = item.Title,
                        Paragraphs = [CoalitionWording.CrossReference(item.StatementNumber ?? "", coalition.MemberStates,
                            coalition.Signatories.Where(s => s.Kind != DelegationKind.MemberState).Select(s => s.Name))],
                    });
                    break;
                default:
                    if (listNoAgreement)
                    {
                        sections.Add(new ConclusionsSection { Title = item.Title, Outcome = SectionOutcome.NoAgreement });
                    }

                    break;
            }
        }

        return sections;
    }

    private static ConclusionsDocument Document(
        Meeting meeting, string title, string number, string? marking, string subject, (long Seq, DateTimeOffset At)? last,
        IReadOnlyList<ConclusionsSection> sections, StatementSupport? support) => new()
    {
        MeetingTitle = title,
        DocumentNumber = number,
        PlaceAndDate = $"{meeting.Place}, {meeting.Date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}",
        DistributionMarking = marking,
        Sequence = last?.Seq ?? 0,
        Metadata = new ConclusionsMetadata
        {
            Title = title,
            Subject = subject,
            Author = Author,
            // The time of the last change to what is printed: the same content, the same date.
            CreationDate = last?.At ?? new DateTimeOffset(meeting.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        },
        Sections = sections,
        Support = support,
    };

    private static string LowerTitle(string title) =>
        title.ToLowerInvariant().Replace("european council", "European Council", StringComparison.Ordinal);

    /// <summary>
    /// The last event that changed what a document prints: the meeting's own fields and the agenda order; the printed
    /// items' metadata and status; the drafts of <paramref name="draftItems"/>; the positions (footnotes) of
    /// <paramref name="positionItems"/>; the signatories of <paramref name="coalitionItems"/>. Only these move the
    /// sequence number a document reflects, so the same content gives the same bytes however busy the room is.
    /// </summary>
    private async Task<(long Seq, DateTimeOffset At)?> LastContentEventAsync(
        int meetingId, List<int> printedItems, List<int> draftItems, List<int> positionItems, List<int> coalitionItems, CancellationToken ct)
    {
        string[] itemTypes = ["item.created", "item.updated", "item.status"];
        string[] coalitionTypes = ["coalition.created", "coalition.joined", "coalition.left", "coalition.locked", "coalition.unlocked", "coalition.signaturesWithdrawn", "coalition.reopened", "coalition.restored"];
        var found = await db.Events.AsNoTracking()
            .Where(e => e.MeetingId == meetingId
                && (e.Type == "meeting.updated" || e.Type == "agenda.reordered"
                    || (e.ItemId != null && printedItems.Contains(e.ItemId.Value) && itemTypes.Contains(e.Type))
                    || (e.ItemId != null && draftItems.Contains(e.ItemId.Value) && e.Type == "text.edited" && e.Payload.Contains("\"documentId\":\"draft:"))
                    || (e.ItemId != null && positionItems.Contains(e.ItemId.Value) && e.Type == "position.changed")
                    || (e.ItemId != null && coalitionItems.Contains(e.ItemId.Value) && coalitionTypes.Contains(e.Type))))
            .OrderByDescending(e => e.Seq)
            .Select(e => new { e.Seq, e.OccurredAt })
            .FirstOrDefaultAsync(ct);
        return found is null ? null : (found.Seq, found.OccurredAt);
    }
}

/// <summary>Limits how many exports (and traces) run at once, so that a burst of them cannot starve live editing of CPU.</summary>
public sealed class ExportGate(IOptions<BriefingOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentExports, options.Value.MaxConcurrentExports);

    public Task<bool> EnterAsync(TimeSpan wait, CancellationToken ct) => _slots.WaitAsync(wait, ct);

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}

/// <summary>An export in the meeting's history: the copy as issued, and the event every member hears of.</summary>
public sealed record RecordExport(ExportedCopy Copy, ConclusionsExportedDto Exported) : MeetingChange<ConclusionsExportedDto>
{
    public override bool GoesOnWhenClosed => true;

    public override Task<Outcome<ChangeStep<ConclusionsExportedDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        ctx.Db.ExportedCopies.Add(Copy);
        return Task.FromResult<Outcome<ChangeStep<ConclusionsExportedDto>>>(
            new ChangeStep<ConclusionsExportedDto>(Exported, new PendingEvent("conclusions.exported", Copy.ItemId, Exported, [])));
    }
}
