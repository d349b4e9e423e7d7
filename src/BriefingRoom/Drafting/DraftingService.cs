using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Drafting;

/// <summary>
/// Server-ordered OT for drafts and position texts: an operation made on an older revision is transformed past
/// everything committed since, stored as the next revision with its author, and broadcast as a meeting event.
/// </summary>
public sealed class DraftingService(BriefingDb db, MeetingChanges changes, Hosting.BriefingMetrics metrics)
{
    /// <summary>How far behind an operation may be; a client further behind reloads the text.</summary>
    public const int MaxRevisionsBehind = 5_000;

    public async Task<Outcome<OperationAck>> SubmitAsync(MeetingAccess access, SubmitOperationRequest request, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await CommitAsync(access, request, ct);
        if (outcome.Succeeded)
        {
            metrics.EditDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return outcome;
    }

    private Task<Outcome<OperationAck>> CommitAsync(MeetingAccess access, SubmitOperationRequest request, CancellationToken ct) =>
        changes.ApplyAsync<OperationAck>(access, async ctx =>
        {
            if (Validate(request) is { } invalid)
            {
                return invalid;
            }

            var target = await FindTextAsync(ctx, request.DocumentId, write: true, ct);
            if (target.Refusal is { } refused)
            {
                return refused;
            }

            var text = target.Value!;
            var documentId = text.Id.ToString();
            var earlier = await ctx.Db.TextEdits.AsNoTracking()
                .SingleOrDefaultAsync(e => e.DocumentId == documentId && e.ClientOpId == request.ClientOpId, ct);
            if (earlier is not null)
            {
                // A retry after a lost acknowledgement: the operation is already in the log.
                return new ChangeStep<OperationAck>(new OperationAck(documentId, earlier.Revision, earlier.Seq, earlier.ClientOpId, Duplicate: true), []);
            }

            if (ItemRules.RefuseIfTextsFrozen(text.Item) is { } frozen)
            {
                return frozen;
            }

            var baseRevision = request.BaseRevision!.Value;
            if (baseRevision > text.Revision)
            {
                return new InvalidRefusal("baseRevision", $"The text is at revision {text.Revision}; revision {baseRevision} does not exist yet.");
            }

            if (text.Revision - baseRevision > MaxRevisionsBehind)
            {
                return new ConflictRefusal($"The operation is {text.Revision - baseRevision} revisions behind: reload the text.", new TextDocumentDto(documentId, text.Text, text.Revision));
            }

            var committed = (await ctx.Db.TextEdits.AsNoTracking()
                    .Where(e => e.DocumentId == documentId && e.Revision > baseRevision)
                    .OrderBy(e => e.Revision).Select(e => e.Operation).ToListAsync(ct))
                .Select(TextOperation.FromStored).ToList();

            OtAccepted accepted;
            try
            {
                accepted = new OtServerDocument(text.Text, text.Revision).Accept(baseRevision, request.Operation, committed, Limits.Text);
            }
            catch (OtException ex)
            {
                return new InvalidRefusal("operation", ex.Message);
            }

            text.Store(accepted.Document.Text, accepted.Document.Revision);
            var seq = ctx.Meeting.LastSeq + 1;
            ctx.Db.TextEdits.Add(new TextEdit
            {
                DocumentId = documentId,
                Revision = accepted.Document.Revision,
                MeetingId = ctx.Meeting.Id,
                ClientOpId = request.ClientOpId,
                Operation = accepted.Operation.ToJson(),
                AuthorUserId = access.Caller.UserId,
                AuthorName = access.Caller.Name,
                At = ctx.Now,
                Seq = seq,
            });

            var edited = new TextEditedDto(documentId, accepted.Document.Revision, accepted.Operation, request.ClientOpId, access.Caller.UserId, access.Caller.Name);
            return new ChangeStep<OperationAck>(
                new OperationAck(documentId, accepted.Document.Revision, seq, request.ClientOpId, Duplicate: false),
                new PendingEvent("text.edited", text.Item.Id, edited, ItemRules.Audience(text.Item)));
        }, ct);

    /// <summary>Who wrote what: the committed operations after <paramref name="sinceRevision"/>, oldest first.</summary>
    public async Task<Outcome<TextHistoryDto>> HistoryAsync(MeetingAccess access, string documentId, int sinceRevision, CancellationToken ct)
    {
        if (sinceRevision < 0)
        {
            return new InvalidRefusal("since", "A revision is 0 or more.");
        }

        var meeting = await db.Meetings.SingleAsync(m => m.Id == access.MeetingId, ct);
        var target = await FindTextAsync(new ChangeContext(db, meeting, access, DateTimeOffset.MinValue), documentId, write: false, ct);
        if (target.Refusal is { } refused)
        {
            return refused;
        }

        var text = target.Value!;
        var key = text.Id.ToString();
        var edits = await db.TextEdits.AsNoTracking()
            .Where(e => e.DocumentId == key && e.Revision > sinceRevision)
            .OrderBy(e => e.Revision).Take(MaxRevisionsBehind).ToListAsync(ct);
        return new TextHistoryDto(key, text.Revision,
            [.. edits.Select(e => new TextEditDto(e.Revision, TextOperation.FromStored(e.Operation), e.ClientOpId, e.AuthorUserId, e.AuthorName, e.At, e.Seq))]);
    }

    private static InvalidRefusal? Validate(SubmitOperationRequest request) => request switch
    {
        { DocumentId: null or "" } => new InvalidRefusal("documentId", "Name the text: \"draft:{itemId}\" or \"position:{itemId}:{delegation}\"."),
        { BaseRevision: null or < 0 } => new InvalidRefusal("baseRevision", "The revision the operation was made on: 0 or more."),
        { ClientOpId: null or "" } or { ClientOpId.Length: > 64 } => new InvalidRefusal("clientOpId", "An id of 1 to 64 characters, the same when the operation is sent again."),
        { Operation: null } => new InvalidRefusal("operation", "The operation is missing."),
        _ => null,
    };

    /// <summary>A text the caller may see (and, to write, edit): a draft for the drafters, a position text for its delegation.</summary>
    private static async Task<Outcome<EditableText>> FindTextAsync(ChangeContext ctx, string documentId, bool write, CancellationToken ct)
    {
        if (!DocumentId.TryParse(documentId, out var parsed))
        {
            return new InvalidRefusal("documentId", $"'{Truncate(documentId)}' names no text: use \"draft:{{itemId}}\" or \"position:{{itemId}}:{{delegation}}\".");
        }

        var id = parsed.Value;
        var found = await ItemRules.FindVisibleAsync(ctx, id.ItemId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        var item = found.Value!;
        var access = ctx.Access;
        if (id.Kind == DocumentKind.Draft)
        {
            return write && !access.CanEditDrafts
                ? new ForbiddenRefusal("Guests and observers read the draft conclusions; they do not edit them.")
                : new EditableText(id, item, null);
        }

        var taking = await ParticipantRules.FindAsync(ctx, id.DelegationCode!, ct);
        if (taking.Refusal is { } notTakingPart)
        {
            return notTakingPart;
        }

        var code = taking.Value!.DelegationCode;
        var delegation = taking.Value.Delegation!;

        if (write && !access.CanWritePosition(code))
        {
            return new ForbiddenRefusal($"You may write only your own delegation's position, not {delegation.Name}'s.");
        }

        if (delegation.Kind == DelegationKind.Guest && item.Guests.All(g => g.DelegationCode != code))
        {
            return new NotFoundRefusal($"{delegation.Name} is not invited to item {item.Number}.");
        }

        var position = await ctx.Db.Positions.SingleOrDefaultAsync(p => p.ItemId == item.Id && p.DelegationCode == code, ct);
        if (position is null && write)
        {
            position = new Position { ItemId = item.Id, DelegationCode = code, Text = "", UpdatedByUserId = "", UpdatedByName = "" };
            ctx.Db.Positions.Add(position);
        }

        return new EditableText(DocumentId.Position(item.Id, code), item, position);
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>The text behind a document id, wherever it is stored.</summary>
    private sealed record EditableText(DocumentId Id, AgendaItem Item, Position? Position)
    {
        public string Text => Id.Kind == DocumentKind.Draft ? Item.DraftText : Position?.Text ?? "";
        public int Revision => Id.Kind == DocumentKind.Draft ? Item.DraftRevision : Position?.TextRevision ?? 0;

        public void Store(string text, int revision)
        {
            if (Id.Kind == DocumentKind.Draft)
            {
                Item.DraftText = text;
                Item.DraftRevision = revision;
            }
            else
            {
                Position!.Text = text;
                Position.TextRevision = revision;
            }
        }
    }
}
