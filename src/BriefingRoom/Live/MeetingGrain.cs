using System.Text.Json;
using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Identity;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using BriefingRoom.Realtime;
using BriefingRoom.Voting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Orleans.Concurrency;
using Orleans.Placement;

namespace BriefingRoom.Live;

/// <summary>
/// The single writer of one meeting (see <see cref="IMeetingGrain"/>). Reentrant: calls interleave only at awaits, and
/// every change to the in-memory state happens between two awaits, so the grain's own scheduler keeps it consistent.
///
/// Text operations: authorized, transformed and applied in memory at once, in arrival order, each taking the next
/// sequence number; then written together with whatever else arrived meanwhile in ONE transaction (the text log and
/// the events, with a compare-and-set on the meeting's sequence number as the fence); only after the commit are they
/// acknowledged and published, as one batch. So an acknowledged operation is durable, and the stream is gap-free.
///
/// Other changes run alone: new operations wait, the waiting ones are committed first and the stored texts brought up
/// to date, then the change runs its own transaction (its rules read the database, as they always did), and the grain
/// reads back what it may have moved (items, participants, memberships).
/// </summary>
[Reentrant]
[PreferLocalPlacement]
public sealed partial class MeetingGrain(
    IServiceScopeFactory scopes,
    SqliteWriteGate writers,
    MeetingEventPublisher publisher,
    IHubContext<BriefingHub, IBriefingClient> hub,
    IPresenceStore presence,
    PresenceSchedule presenceLists,
    TimeProvider clock,
    Hosting.BriefingMetrics metrics,
    ILogger<MeetingGrain> log) : Grain, IMeetingGrain
{
    private LiveMeeting? _meeting;
    private string? _broken;
    private List<PendingEdit> _waiting = [];
    private bool _flushing;
    private bool _storeAll;
    private IGrainTimer? _caretTimer;
    private IGrainTimer? _reconcileTimer;
    private Task _flushed = Task.CompletedTask;
    private TaskCompletionSource? _exclusive;
    private TaskCompletionSource? _readingBack;
    private long _seatsChangedAt;
    private DateTimeOffset _lastEdit = DateTimeOffset.MinValue;
    private readonly Dictionary<string, RoomConnection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ConnectionId, string DocumentId), (CaretDto Caret, int ItemId, IReadOnlyCollection<string> Audience)> _carets = [];
    private bool _caretsScheduled;
    private PresencePace? _presenceSends;

    /// <summary>The timer that takes an activation of a meeting that does not exist from memory.</summary>
    private IDisposable? _forget;

    private int MeetingId => (int)this.GetPrimaryKeyLong();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => StartAsync(cancellationToken);

    /// <summary>
    /// The meeting was created just now. An activation woken before it existed (its id asked for in advance: ids come in
    /// order) remembers "no such meeting" until it goes from memory, and would answer "not found" to its first callers
    /// for that long; it reads the meeting now instead.
    /// </summary>
    public async Task Created()
    {
        if (_meeting is null)
        {
            _forget?.Dispose();
            _forget = null;
            await StartAsync(CancellationToken.None);
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        _meeting = await LiveMeeting.LoadAsync(scope.ServiceProvider.GetRequiredService<BriefingDb>(), MeetingId, cancellationToken);
        if (_meeting is not null)
        {
            // A seat may have changed in a previous activation just before this one: anyone admitted before now is asked again.
            _seatsChangedAt = _meeting.CommittedSeq;
            // This activation is the meeting's one presence sender (PresenceSchedule says why).
            _presenceSends = presenceLists.Open(MeetingId);
            this.RegisterGrainTimer(StoreIdleTextsAsync, CoreLimits.IdleSnapshotAfter, CoreLimits.IdleSnapshotAfter);
            try
            {
                await ReconcileGroupsAsync(scope.ServiceProvider);
            }
            catch (Exception ex)
            {
                // Presence (Redis, when scaled out) not answering must not keep the meeting from starting; nor may this
                // activation go on without the room it took over: it is asked again until it answers.
                LogReconcileFailed(log, ex, MeetingId);
                ReconcileLater(attempt: 1);
            }
        }
        else
        {
            // A meeting that does not exist (a mistyped or guessed id) answers "not found", and soon goes from memory.
            // Not at once: a grain that deactivates while it activates rejects the very call that woke it.
            _forget = this.RegisterGrainTimer(() =>
            {
                DeactivateOnIdle();
                return Task.CompletedTask;
            }, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_meeting is not null && _broken is null)
        {
            try
            {
                await CheckpointCoreAsync();
            }
            catch (Exception ex)
            {
                // The log is the truth: the next activation replays it onto the last stored copy.
                LogCheckpointFailed(log, ex, MeetingId);
            }
        }

        if (_presenceSends is not null)
        {
            await _presenceSends.CloseAsync();
        }
    }

    public async Task<MeetingAccess?> Access(Caller caller)
    {
        await ReadBackAsync();
        ThrowIfBroken();
        return _meeting?.AccessOf(caller);
    }

    public async Task<JoinTicket?> AccessNow(Caller caller)
    {
        await ReadBackAsync();
        ThrowIfBroken();
        return TicketOf(caller);
    }

    /// <summary>
    /// A broken activation (a commit, or the read-back after it, failed) is going from memory, and what it holds can no
    /// longer be trusted: asked who someone is, it says "not now", which callers answer as "busy, try again"
    /// (<see cref="GrainCalls.IsMoving"/>), and the next call meets a fresh activation. It answered "not a member", and a
    /// member's page that was joining again left the room as if its seat had been taken away.
    /// </summary>
    private void ThrowIfBroken()
    {
        if (_broken is { } why)
        {
            throw new TimeoutException($"Meeting {MeetingId} is starting again from the database: {why}.");
        }
    }

    /// <summary>
    /// Waits while a committed change is read back: the committed number is already past it, the memberships are not
    /// yet. A seat revoked by it would otherwise be answered with the number after its revocation (and be given a room
    /// or text built after it), and one granted by it refused.
    /// </summary>
    private async Task ReadBackAsync()
    {
        while (_readingBack is { } reading)
        {
            await reading.Task;
        }
    }

    /// <summary>
    /// Admits a connection: records it and puts it in its group in the same turn as the access check, so that an eviction,
    /// which runs in this grain too, either comes first (and the caller gets no ticket) or finds the connection recorded
    /// and takes it out of the group after it went in. (When the hub put it in the group itself, an eviction between
    /// this and the hub's add removed nothing, and the revoked person heard the room until the join was confirmed.)
    /// </summary>
    public async Task<JoinTicket?> Join(Caller caller, string connectionId)
    {
        await ReadBackAsync();
        ThrowIfBroken();
        var ticket = TicketOf(caller);
        if (ticket is not null)
        {
            _connections[connectionId] = new RoomConnection(caller.UserId);
            bool inGroup;
            try
            {
                inGroup = await ChangeGroupsAsync([hub.Groups.AddToGroupAsync(connectionId, MeetingGroups.Own(ticket.Access))], "add a joining connection to");
            }
            catch
            {
                // The backplane could not publish it (Redis's link down): not in the room, and the hub says to try again.
                _connections.Remove(connectionId);
                throw;
            }

            if (!inGroup)
            {
                // The connection's own instance is alive (its hub is asking), so an add it has not confirmed either failed
                // there (SignalR's backplane could not subscribe it to the group's channel, and sends no acknowledgement) or
                // is stuck in Redis. Answered "joined", the page would hear nothing of the room and never know it. It is
                // not in the room; the hub takes it out of the group on its instance, should the add land after all.
                _connections.Remove(connectionId);
                return ticket with { InRoom = false };
            }
        }

        return ticket;
    }

    /// <summary>The caller's access and the last committed sequence number, or null when the meeting is not theirs.</summary>
    private JoinTicket? TicketOf(Caller caller) =>
        _meeting?.AccessOf(caller) is { } access ? new JoinTicket(access, _meeting.CommittedSeq) : null;

    /// <summary>
    /// Confirms a join once the hub has listed the connection in presence: it is sent the whole room. Should the access
    /// it joined with be gone, it is taken out of presence, and the room hears that it left (a list may have gone out
    /// with it in it meanwhile); the hub takes it out of its group.
    /// </summary>
    public async Task<bool> ConfirmJoin(Caller caller, string connectionId, JoinTicket ticket)
    {
        var now = _meeting?.AccessOf(caller);
        if (now is null || now.Role != ticket.Access.Role || now.DelegationCode != ticket.Access.DelegationCode || now.IsGuest != ticket.Access.IsGuest)
        {
            _connections.Remove(connectionId);
            try
            {
                await presence.RemoveAsync(connectionId, MeetingId);
            }
            catch (Exception ex)
            {
                // The refusal stands, and the hub takes the connection out of its group: that is what keeps it from hearing
                // the room. Its entry goes when the connection closes (or its instance's alive key expires).
                LogEvictionPresenceFailed(log, ex, MeetingId);
            }

            _presenceSends?.Request();
            return false;
        }

        if (_connections.TryAdd(connectionId, new RoomConnection(caller.UserId)))
        {
            // Admitted at Join, then evicted (which took it out of its group and of presence), and the same seat given
            // back since: it joins again here, or it would hear nothing of the room, and the room would not see it.
            // Should presence not answer, or the add not be confirmed (as at Join: answered "joined", the page would hear
            // nothing), the hub takes it out of the room again and refuses the join.
            if (!await ChangeGroupsAsync([hub.Groups.AddToGroupAsync(connectionId, MeetingGroups.Own(now))], "add a re-admitted connection to"))
            {
                throw new TimeoutException($"Meeting {MeetingId}: a re-admitted connection's entry into its group was not confirmed in time.");
            }

            await presence.AddAsync(PresenceEntry.Joining(connectionId, caller, now));
        }

        _presenceSends?.Request(connectionId);
        return true;
    }

    /// <summary>The connection left the room (the hub has taken it out of presence and of its group), or closed.</summary>
    public Task Leave(string connectionId, int? itemId = null)
    {
        // Named gone from the item it was on, even by an activation that never sent it there (the meeting went from
        // memory in between): the pages may show a caret of it there, and nothing else would take it away.
        if (_connections.Remove(connectionId, out var known) && known.ItemId is { } was)
        {
            _presenceSends?.Shown(connectionId, was);
        }

        if (itemId is { } listedOn)
        {
            _presenceSends?.Shown(connectionId, listedOn);
        }

        ForgetCarets(connectionId);
        // The room hears that it left; and presence names it gone, so the pages take its carets away.
        _presenceSends?.Request();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Records the item a connection looks at, for carets: a caret is relayed only from a connection on its text's item,
    /// and the carets still waiting in texts of the item it turned from are dropped. Presence names the connection gone
    /// from that item (and the pages take its carets away), so a caret of it relayed after that would stay on their pages.
    /// </summary>
    public async Task<Outcome<bool>> Focus(Caller caller, string connectionId, int? itemId)
    {
        if (Unavailable() is { } unavailable)
        {
            return unavailable;
        }

        var meeting = _meeting!;
        if (meeting.AccessOf(caller) is not { } access)
        {
            return ApiResults.MeetingNotFound(MeetingId);
        }

        if (itemId is { } id && (!meeting.Items.TryGetValue(id, out var item) || !access.CanSee(item)))
        {
            return ItemRules.NotFound(id);
        }

        if (!_connections.ContainsKey(connectionId))
        {
            // Not in the room (never joined, or left): nobody is shown where it is.
            return false;
        }

        // Presence (shared by the instances when scaled out) says where it is, and is written first: should it not answer,
        // the turn is refused and nothing here has moved (the room still sees the tab on its old item, and its carets
        // there are still relayed).
        try
        {
            await presence.FocusAsync(connectionId, MeetingId, itemId);
        }
        catch (Exception ex)
        {
            LogFocusFailed(log, ex, MeetingId);
            return new BusyRefusal("Where you are in the meeting could not be recorded just now; try again in a moment.", TimeSpan.FromSeconds(1));
        }

        // The grain took other calls while presence answered: the connection may have left, or been taken out.
        if (!_connections.TryGetValue(connectionId, out var connection))
        {
            return false;
        }

        if (connection.ItemId is { } was && was != itemId)
        {
            // Named gone from there, even by an activation that never sent it there (it read the item from presence).
            _presenceSends?.Shown(connectionId, was);
        }

        connection.Focused = true;
        connection.ItemId = itemId;
        ForgetCarets(connectionId, keepItemId: itemId);
        if (itemId is { } on)
        {
            _presenceSends?.Shown(connectionId, on);
        }

        // This grain, the meeting's one sender of presence, tells the room, and names the connection gone from the item it
        // turned from.
        _presenceSends?.Request();
        return true;
    }

    // ------------------------------------------------------------------ text operations

    public async Task<Outcome<OperationAck>> Submit(Caller caller, SubmitOperationRequest request)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var entered = await EnterAsync(caller);
        if (entered.Refusal is { } closed)
        {
            return closed;
        }

        var meeting = _meeting!;
        var access = entered.Value!;

        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var found = FindText(meeting, access, request.DocumentId, write: true);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var (text, item) = found.Value;
        if (text.FindClientOp(request.ClientOpId) is { } earlier)
        {
            if (!string.Equals(earlier.AuthorId, access.Caller.UserId, StringComparison.Ordinal))
            {
                // Not a retry: another author's client chose the same id. Answering it as one would acknowledge an
                // operation never applied; applying it would give the text two operations that clients (which find their
                // acknowledgement in the events by this id) cannot tell apart.
                return new InvalidRefusal("clientOpId",
                    $"The client operation id '{Utf16.Shorten(request.ClientOpId, 64)}' is that of another author's operation on this text: choose an id of your own (a random UUID).");
            }

            // A retry after a lost acknowledgement: acknowledged again once it is durable, never applied twice.
            return await WhenCommittedAsync(earlier.Seq) is { } failed
                ? failed
                : new OperationAck(text.Key, earlier.Revision, earlier.Seq, earlier.ClientOpId, Duplicate: true);
        }

        if (RefuseIfWordsFrozen(item, access, text.Id.Kind) is { } frozen)
        {
            return frozen;
        }

        if (Proposals.DraftingRules.RefuseIfPen(item, text.Id, access) is { } pen)
        {
            return pen;
        }

        var baseRevision = request.BaseRevision!.Value;
        if (baseRevision > text.Revision)
        {
            return InvalidRefusal.RevisionNotYet("baseRevision", text.Revision, baseRevision);
        }

        if (baseRevision < text.OldestBase || text.TransformCost(baseRevision, request.Operation.Components.Count) > CoreLimits.TransformBudget)
        {
            return TooFarBehind(text, baseRevision, "more than the server keeps at hand");
        }

        OtAccepted accepted;
        try
        {
            // The estimate above counts the operation as sent; the transform counts it as it grows past each edit (a
            // deletion cut by many scattered inserts), and stops at the same budget rather than hold up the meeting.
            accepted = new OtServerDocument(text.Content, text.Revision)
                .Accept(baseRevision, request.Operation, text.Since(baseRevision), Limits.Text, CoreLimits.TransformBudget);
        }
        catch (OtException ex) when (ex.Code == OtErrorCode.RevisionOutOfRange)
        {
            return TooFarBehind(text, baseRevision, "more than the server transforms at once");
        }
        catch (OtException ex)
        {
            return new InvalidRefusal("operation", ex.Message);
        }

        var now = clock.GetUtcNow();
        var seq = ++meeting.LastSeq;
        var entry = new WindowEntry(accepted.Document.Revision, accepted.Operation, request.ClientOpId, seq, access.Caller.UserId);
        text.ApplySpeculative(accepted.Document.Text, entry);
        meeting.Proposals.Applied(text.Key, accepted.Operation);
        var moves = meeting.Reservations.Applied(text.Key, accepted.Operation, accepted.Document.Text, entry.Revision, item);
        var edit = new PendingEdit(text, entry, accepted.Document.Text, item.Id, Positions.GuestView.TextAudience(item, text.Id), access.Caller, now)
        {
            Moves = FollowedBy(meeting, moves),
        };
        _waiting.Add(edit);
        _lastEdit = now;
        StartFlushing();

        var outcome = await edit.Done.Task;
        if (outcome.Succeeded)
        {
            metrics.EditDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return outcome;
    }

    /// <summary>
    /// Whether a text's words may change now, by typing or by an accepted proposal alike: not in a closed meeting, nor on
    /// a locked, agreed or silenced item, nor in a coalition statement open for signature (or, but for the chair, in its
    /// revision).
    /// </summary>
    private Refusal? RefuseIfWordsFrozen(AgendaItem item, MeetingAccess access, DocumentKind kind) =>
        (_meeting!.Closed ? ClosedMeeting.Refusal() : null)
        ?? ItemRules.RefuseIfTextsFrozen(item, access) ?? Coalitions.StatementRules.RefuseIfStatementFrozen(item, access, kind);

    private static InvalidRefusal? Validate(SubmitOperationRequest? request) => request switch
    {
        null => new InvalidRefusal("request", "Send the text's id, the base revision, a client operation id and the operation."),
        { DocumentId: null or "" } => new InvalidRefusal("documentId", "Name the text: \"draft:{itemId}\" or \"position:{itemId}:{delegation}\"."),
        { BaseRevision: null or < 0 } => new InvalidRefusal("baseRevision", "The revision the operation was made on: 0 or more."),
        { ClientOpId: null or "" } or { ClientOpId.Length: > 64 } => new InvalidRefusal("clientOpId", "An id of 1 to 64 characters, the same when the operation is sent again."),
        { ClientOpId: var id } when id.StartsWith(AcceptanceOpPrefix, StringComparison.Ordinal) =>
            new InvalidRefusal("clientOpId", $"Client operation ids that begin with \"{AcceptanceOpPrefix}\" are the server's own (the edit of an accepted proposal): choose another."),
        { Operation: null } => new InvalidRefusal("operation", "The operation is missing."),
        _ => null,
    };

    /// <summary>A text the caller may see (and, to write, edit): a draft for the drafters, a position text for its delegation.</summary>
    private static Outcome<(LiveText Text, AgendaItem Item)> FindText(LiveMeeting meeting, MeetingAccess access, string documentId, bool write)
    {
        if (!DocumentId.TryParse(documentId, out var parsed))
        {
            // One name per text, the one the acknowledgement and the events give it, so that a client finds its own.
            return new InvalidRefusal("documentId", DocumentId.Spelling(documentId) is { } spelling
                ? $"Name the text '{spelling}': a delegation's code is written in capital letters."
                : $"'{Utf16.Shorten(documentId, 60)}' names no text: use \"draft:{{itemId}}\" or \"position:{{itemId}}:{{delegation}}\".");
        }

        var id = parsed.Value;
        if (!meeting.Items.TryGetValue(id.ItemId, out var item) || !access.CanSee(item))
        {
            return ItemRules.NotFound(id.ItemId);
        }

        if (id.Kind == DocumentKind.Draft)
        {
            if (write && !access.CanEditDrafts)
            {
                return new ForbiddenRefusal("Guests and observers read the draft conclusions; they do not edit them.");
            }

            return (meeting.Texts[id.ToString()], item);
        }

        var code = id.DelegationCode!.Trim().ToUpperInvariant();
        if (!meeting.Participants.TryGetValue(code, out var participant))
        {
            return new NotFoundRefusal($"Delegation {code} does not take part in this meeting.");
        }

        var delegation = participant.Delegation!;
        if (write && !access.CanWritePosition(code))
        {
            return new ForbiddenRefusal($"You may write only your own delegation's position, not {delegation.Name}'s.");
        }

        if (delegation.Kind == DelegationKind.Guest && item.Guests.All(g => g.DelegationCode != code))
        {
            return new NotFoundRefusal($"{delegation.Name} is not invited to item {ItemNumeral.Of(item.Number)}.");
        }

        if (!Positions.GuestView.MayRead(access, item, DocumentId.Position(item.Id, code)))
        {
            return new ForbiddenRefusal($"Guests do not see the delegations' positions on item {ItemNumeral.Of(item.Number)} unless the chair opens them.");
        }

        var key = DocumentId.Position(item.Id, code);
        if (!meeting.Texts.TryGetValue(key.ToString(), out var text))
        {
            text = new LiveText(key, "", 0);
            if (write)
            {
                meeting.Texts[text.Key] = text;
            }
        }

        return (text, item);
    }

    /// <summary>Null once the operation numbered <paramref name="seq"/> is durable; the refusal when its commit failed.</summary>
    private async Task<Refusal?> WhenCommittedAsync(long seq)
    {
        while (_meeting is { } meeting && meeting.CommittedSeq < seq && _broken is null)
        {
            await _flushed;
        }

        return Unavailable();
    }

    /// <summary>
    /// The way in for a change to the live texts: after any exclusive step (a reload) has finished, with the meeting
    /// loaded and writable, and the caller one of its members.
    /// </summary>
    private async Task<Outcome<MeetingAccess>> EnterAsync(Caller caller)
    {
        while (_exclusive is { } running)
        {
            await running.Task;
        }

        if (Unavailable() is { } unavailable)
        {
            return unavailable;
        }

        return _meeting!.AccessOf(caller) is { } access ? access : ApiResults.MeetingNotFound(MeetingId);
    }

    private Refusal? Unavailable() => _broken is { } why
        ? new BusyRefusal($"The meeting's changes could not be saved ({why}); try again in a moment.", TimeSpan.FromSeconds(1))
        : _meeting is null ? ApiResults.MeetingNotFound(MeetingId) : null;

    private void StartFlushing()
    {
        if (!_flushing)
        {
            _flushing = true;
            _flushed = FlushAsync();
        }
    }

    /// <summary>
    /// Group commit: everything waiting goes in one transaction; what arrives meanwhile goes in the next. One flush runs
    /// at a time; a checkpoint asks it (<see cref="_storeAll"/>) to bring every stored text up to date with its last batch.
    /// </summary>
    private async Task FlushAsync()
    {
        try
        {
            // Let the operations that arrived in the same turn join this batch.
            await Task.Yield();
            while (_broken is null && (_waiting.Count > 0 || _storeAll))
            {
                var last = _waiting.Count <= CoreLimits.MaxBatch;
                var batch = last ? _waiting : _waiting[..CoreLimits.MaxBatch];
                _waiting = last ? [] : _waiting[CoreLimits.MaxBatch..];
                var storeAll = _storeAll && last;
                if (storeAll)
                {
                    _storeAll = false;
                }

                await CommitAsync(batch, storeAll);
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    private async Task CommitAsync(List<PendingEdit> batch, bool storeAll)
    {
        var meeting = _meeting!;
        var from = meeting.CommittedSeq;
        var upTo = batch.Count > 0 ? batch[^1].LastSeq : from;
        var stores = TextsToStore(meeting, batch, storeAll);
        List<(MeetingEvent Stored, object Payload, IReadOnlyCollection<string> Audience)> events = new(batch.Count);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
            using (await writers.EnterAsync(db, CancellationToken.None))
            {
                await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
                // The fence: should another writer ever have moved the meeting on, this commit fails whole. Also when it only
                // brings stored texts up to date (upTo == from): those would otherwise write an older copy over the other
                // writer's newer one, which an export reads right after a checkpoint.
                var moved = await db.Database.ExecuteSqlAsync(
                    $"UPDATE \"Meetings\" SET \"LastSeq\" = {upTo} WHERE \"Id\" = {meeting.Id} AND \"LastSeq\" = {from}", CancellationToken.None);
                if (moved != 1)
                {
                    throw new FenceBrokenException($"Meeting {meeting.Id} is no longer at sequence number {from}: another writer moved it.");
                }

                foreach (var edit in batch)
                {
                    var dto = new TextEditedDto(edit.Text.Key, edit.Entry.Revision, edit.Entry.Operation, edit.Entry.ClientOpId, edit.Author.UserId, edit.Author.Name, edit.Note);
                    db.TextEdits.Add(new TextEdit
                    {
                        DocumentId = edit.Text.Key,
                        Revision = edit.Entry.Revision,
                        MeetingId = meeting.Id,
                        ClientOpId = edit.Entry.ClientOpId,
                        Operation = edit.Entry.Operation.ToJson(),
                        AuthorUserId = edit.Author.UserId,
                        AuthorName = edit.Author.Name,
                        At = edit.At,
                        Seq = edit.Entry.Seq,
                        Note = edit.Note,
                    });
                    var stored = new MeetingEvent
                    {
                        MeetingId = meeting.Id,
                        Seq = edit.Entry.Seq,
                        Type = "text.edited",
                        ItemId = edit.ItemId,
                        Payload = JsonSerializer.Serialize(dto, BriefingJson.Options),
                        GuestAudience = string.Join(',', edit.Audience),
                        ActorUserId = edit.Author.UserId,
                        ActorName = edit.Author.Name,
                        OccurredAt = edit.At,
                    };
                    db.Events.Add(stored);
                    events.Add((stored, dto, edit.Audience));
                    if (edit.Acceptance is not null)
                    {
                        events.Add(await RecordAcceptanceAsync(db, edit));
                    }

                    if (edit.Moves is not null)
                    {
                        events.AddRange(await RecordMovesAsync(db, edit));
                    }
                }

                await StoreTextsAsync(db, meeting.Id, stores);
                await db.SaveChangesAsync(CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            Break(ex, batch);
            return;
        }

        foreach (var store in stores)
        {
            store.Text.StoredRevision = Math.Max(store.Text.StoredRevision, store.Revision);
            if (store.History)
            {
                store.Text.HistoryRevision = store.Revision;
            }
        }

        foreach (var edit in batch)
        {
            edit.Text.Committed(edit.Content, edit.Entry.Revision);
            if (edit.Acceptance is { } acceptance)
            {
                meeting.Proposals.Remove(acceptance.ProposalId);
            }

            meeting.Proposals.Committed(edit.Text.Key, edit.Entry.Operation, edit.Entry.Revision);
        }

        meeting.CommittedSeq = upTo;
        if (events.Count > 0)
        {
            publisher.Publish(meeting.Id, from, [.. events.Select(e => (MeetingEventDto.From(e.Stored, e.Payload), (IReadOnlyCollection<string>?)e.Audience))], meeting.GuestCodes, GuestsSeePositions);
            metrics.Events.Add(events.Count(e => e.Stored.Type == "text.edited"), new KeyValuePair<string, object?>("type", "text.edited"));
        }

        foreach (var edit in batch)
        {
            edit.Done.TrySetResult(new OperationAck(edit.Text.Key, edit.Entry.Revision, edit.Entry.Seq, edit.Entry.ClientOpId, Duplicate: false));
        }
    }

    /// <summary>
    /// Which stored texts this commit brings up to date: a text whose revision passes the next multiple of
    /// <see cref="CoreLimits.SnapshotEvery"/> gets a copy in its history, and with <paramref name="storeAll"/> every text
    /// that moved since it was last stored gets its stored copy rewritten.
    /// </summary>
    private static List<TextStore> TextsToStore(LiveMeeting meeting, List<PendingEdit> batch, bool storeAll)
    {
        var latest = new Dictionary<LiveText, PendingEdit>();
        foreach (var edit in batch)
        {
            latest[edit.Text] = edit;
        }

        var stores = new List<TextStore>();
        foreach (var (text, edit) in latest)
        {
            if (edit.Entry.Revision >= text.HistoryRevision + CoreLimits.SnapshotEvery)
            {
                stores.Add(new TextStore(text, edit.Content, edit.Entry.Revision, History: true));
            }
            else if (storeAll)
            {
                stores.Add(new TextStore(text, edit.Content, edit.Entry.Revision, History: false));
            }
        }

        if (storeAll)
        {
            stores.AddRange(meeting.Texts.Values
                .Where(t => t.Dirty && !latest.ContainsKey(t))
                .Select(t => new TextStore(t, t.CommittedContent, t.CommittedRevision, History: false)));
        }

        return stores;
    }

    private async Task StoreTextsAsync(BriefingDb db, int meetingId, List<TextStore> stores)
    {
        var now = clock.GetUtcNow();
        foreach (var store in stores)
        {
            var id = store.Text.Id;
            if (id.Kind == DocumentKind.Draft)
            {
                await db.Items.Where(i => i.Id == id.ItemId)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.DraftText, store.Content).SetProperty(i => i.DraftRevision, store.Revision), CancellationToken.None);
            }
            else
            {
                var position = await db.Positions.FindAsync([id.ItemId, id.DelegationCode!], CancellationToken.None);
                if (position is null)
                {
                    db.Positions.Add(new Position
                    {
                        ItemId = id.ItemId,
                        DelegationCode = id.DelegationCode!,
                        Stance = Stance.NoPosition,
                        Text = store.Content,
                        TextRevision = store.Revision,
                        UpdatedByUserId = "",
                        UpdatedByName = "",
                    });
                }
                else
                {
                    position.Text = store.Content;
                    position.TextRevision = store.Revision;
                }
            }

            if (store.History)
            {
                db.TextSnapshots.Add(new TextSnapshot { DocumentId = store.Text.Key, Revision = store.Revision, MeetingId = meetingId, Text = store.Content, At = now });
            }
        }
    }

    /// <summary>
    /// A commit failed (the disk, the database, a broken fence): nothing after the last durable operation may be
    /// acknowledged. Every waiting caller is told to try again, and the grain goes away; the next call starts a fresh
    /// one from the database, which holds exactly what was acknowledged.
    /// </summary>
    private void Break(Exception ex, List<PendingEdit> batch)
    {
        LogCommitFailed(log, ex, MeetingId);
        Break(ex is FenceBrokenException ? "another writer moved the meeting on" : "the database did not take them", batch);
    }

    /// <summary>Refuses what waits and every call until the grain has started again from the database.</summary>
    private void Break(string why, List<PendingEdit> batch)
    {
        _broken = why;
        var refusal = Unavailable()!;
        foreach (var edit in batch.Concat(_waiting))
        {
            edit.Done.TrySetResult(refusal);
        }

        _waiting = [];
        DeactivateOnIdle();
    }

    private async Task StoreIdleTextsAsync(CancellationToken ct)
    {
        if (_meeting is null || _broken is not null || _exclusive is not null || _flushing
            || clock.GetUtcNow() - _lastEdit < CoreLimits.IdleSnapshotAfter || !_meeting.Texts.Values.Any(t => t.Dirty))
        {
            return;
        }

        await CheckpointCoreAsync();
    }

    // ------------------------------------------------------------------ other changes

    public async Task<Outcome<T>> Change<T>(Caller caller, MeetingChange<T> change)
    {
        await EnterAloneAsync();
        try
        {
            if (Unavailable() is { } unavailable)
            {
                return unavailable;
            }

            if ((_meeting!.AccessOf(caller) ?? change.AccessForNonMember(MeetingId, caller)) is not { } access)
            {
                return ApiResults.MeetingNotFound(MeetingId);
            }

            // The change's rules read the database: the texts stored there must be the live ones.
            await CheckpointCoreAsync();
            if (Unavailable() is { } failed)
            {
                return failed;
            }

            return await RunChangeAsync(access, change);
        }
        finally
        {
            LeaveAlone();
        }
    }

    public async Task<long> Checkpoint()
    {
        await EnterAloneAsync();
        try
        {
            if (_meeting is null || _broken is not null)
            {
                return Unavailable() is BusyRefusal ? throw new InvalidOperationException(_broken) : 0;
            }

            await CheckpointCoreAsync();
            // A checkpoint whose commit failed leaves the stored texts behind the acknowledged ones: whoever asked for it
            // (an export, which reads and prints the stored texts next) must not go on as if they were current.
            return _broken is null ? _meeting.CommittedSeq : throw new InvalidOperationException(_broken);
        }
        finally
        {
            LeaveAlone();
        }
    }

    /// <summary>Waits for its turn among the changes that run alone, and for the operations in flight to be committed.</summary>
    private async Task EnterAloneAsync()
    {
        while (_exclusive is { } other)
        {
            await other.Task;
        }

        _exclusive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (_flushing)
        {
            await _flushed;
        }
    }

    private void LeaveAlone()
    {
        var readBack = _readingBack;
        _readingBack = null;
        readBack?.TrySetResult();
        var done = _exclusive;
        _exclusive = null;
        done?.TrySetResult();
    }

    /// <summary>Commits what waits and rewrites every stored text that lags behind its live one.</summary>
    private async Task CheckpointCoreAsync()
    {
        if (_meeting is not null && _broken is null && (_waiting.Count > 0 || _meeting.Texts.Values.Any(t => t.Dirty)))
        {
            _storeAll = true;
            StartFlushing();
        }

        while (_flushing)
        {
            await _flushed;
        }
    }

    private async Task<Outcome<T>> RunChangeAsync<T>(MeetingAccess access, MeetingChange<T> change)
    {
        var meeting = _meeting!;
        var from = meeting.CommittedSeq;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
        var written = new List<(MeetingEvent Stored, PendingEvent Pending)>();
        T value;
        try
        {
            using (await writers.EnterAsync(db, CancellationToken.None))
            {
                await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
                var stored = await db.Meetings.SingleOrDefaultAsync(m => m.Id == meeting.Id, CancellationToken.None);
                if (stored is null)
                {
                    return ApiResults.MeetingNotFound(meeting.Id);
                }

                if (stored.Status == MeetingStatus.Closed && !change.GoesOnWhenClosed)
                {
                    return ClosedMeeting.Refusal();
                }

                if (stored.LastSeq != from)
                {
                    throw new FenceBrokenException($"Meeting {meeting.Id} is at sequence number {stored.LastSeq} in the database, not {from}: another writer moved it.");
                }

                // The change's rules read proposals' spans (and reservations' anchors) from the database: bring them up to date first.
                await meeting.Proposals.StoreMovedAsync(db, CancellationToken.None);
                await meeting.Reservations.StoreMovedAsync(db, CancellationToken.None);
                var now = clock.GetUtcNow();
                var outcome = await change.RunAsync(new ChangeContext(db, stored, access, now, scope.ServiceProvider), CancellationToken.None);
                if (outcome.Refusal is { } refusal)
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    return refusal;
                }

                var step = outcome.Value!;
                foreach (var pending in step.Events)
                {
                    stored.LastSeq++;
                    written.Add((Record(db, meeting.Id, stored.LastSeq, pending, access.Caller, now), pending));
                }

                try
                {
                    await db.SaveChangesAsync(CancellationToken.None);
                    await tx.CommitAsync(CancellationToken.None);
                }
                catch (Exception ex)
                {
                    // Committed or not, nobody can tell from here: start again from what the database holds.
                    Break(ex, []);
                    return Unavailable()!;
                }

                meeting.LastSeq = meeting.CommittedSeq = stored.LastSeq;
                meeting.Closed = stored.Status == MeetingStatus.Closed;
                // Until LeaveAlone: access is answered from the memberships this change leaves, not those it found.
                _readingBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                value = step.Value;
            }
        }
        catch (FenceBrokenException ex)
        {
            Break(ex, []);
            return Unavailable()!;
        }

        db.ChangeTracker.Clear();
        var before = meeting.Members;
        var invitedBefore = Invitations(meeting);
        try
        {
            var drafts = await meeting.LoadMetaAsync(db, CancellationToken.None);
            foreach (var (itemId, text, revision) in drafts)
            {
                var key = DocumentId.Draft(itemId).ToString();
                if (!meeting.Texts.ContainsKey(key))
                {
                    meeting.Texts[key] = new LiveText(DocumentId.Draft(itemId), text, revision) { HistoryRevision = revision };
                }
            }

            await meeting.Proposals.LoadAsync(db, meeting.Id, meeting.Texts, CancellationToken.None);
            await meeting.Reservations.LoadAsync(db, meeting.Id, meeting.Texts, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Committed, but the grain's state is now half old, half new: the change is done (and answered so), the room
            // hears of it, and the grain starts again from the database, reconciling the room's groups with what it holds
            // (OnActivateAsync), so that nobody keeps hearing a room this change took them out of.
            LogReadBackFailed(log, ex, MeetingId);
            Publish(from, written);
            TellMeetingsListsUnread(before, access, written);
            Break("its state is being read again from the database", []);
            // The change may have invited a guest to an item or dropped one from it (see below).
            _presenceSends?.Request();
            return value;
        }

        // Whose seat this change gave, changed or took away: one changed or taken away leaves the room at once.
        var seated = before.Keys.Union(meeting.Members.Keys).ToList();
        var reseated = seated.Where(u => !before.TryGetValue(u, out var was) || !meeting.Members.TryGetValue(u, out var now) || now != was).ToList();
        foreach (var userId in reseated)
        {
            if (before.TryGetValue(userId, out var was))
            {
                _seatsChangedAt = meeting.CommittedSeq;
                await EvictAsync(userId, was);
            }
        }

        Publish(from, written);
        TellMeetingsLists(seated, reseated, written);
        if (!invitedBefore.SetEquals(Invitations(meeting)))
        {
            // A guest invited to an item is shown who is on it, and one dropped from it no longer is: presence is filtered
            // per guest, so a change of invitations changes what the guests see of the room.
            _presenceSends?.Request();
        }

        return value;
    }

    /// <summary>An operation too far behind its text to transform (<paramref name="why"/>): the client reloads the committed text sent with it.</summary>
    private static ConflictRefusal TooFarBehind(LiveText text, int baseRevision, string why) => new(
        $"The operation is {text.Revision - baseRevision} revisions behind, {why}: reload the text.",
        new TextDocumentDto(text.Key, text.CommittedContent, text.CommittedRevision));

    private bool GuestsSeePositions(int itemId) => _meeting!.Items.TryGetValue(itemId, out var item) && item.GuestsSeePositions;

    private static HashSet<(int ItemId, string DelegationCode)> Invitations(LiveMeeting meeting) =>
        [.. meeting.Items.Values.SelectMany(i => i.Guests.Select(g => (i.Id, g.DelegationCode)))];

    /// <summary>
    /// Whoever's list of meetings this change altered hears of it, on the meetings page too: <paramref name="reseated"/>, or,
    /// when the meeting's own details changed, everyone <paramref name="seated"/> before or after it and every administrator.
    /// </summary>
    private void TellMeetingsLists(List<string> seated, List<string> reseated, List<(MeetingEvent Stored, PendingEvent Pending)> written)
    {
        var detailsChanged = written.Any(w => w.Stored.Type == "meeting.updated");
        var concerned = detailsChanged ? seated : reseated;
        if (concerned.Count > 0 || detailsChanged)
        {
            publisher.MeetingsChanged(MeetingId, concerned, admins: detailsChanged);
        }
    }

    /// <summary>
    /// A change of seats or of the meeting's details whose result could not be read back: whose seat it moved is unknown,
    /// so everyone seated before it, whoever made it (who may have just accepted a seat) and every administrator read their
    /// list again. Told more than needed, a list is read again and shows the same.
    /// </summary>
    private void TellMeetingsListsUnread(IReadOnlyDictionary<string, MemberEntry> before, MeetingAccess access, List<(MeetingEvent Stored, PendingEvent Pending)> written)
    {
        if (written.Any(w => w.Stored.Type is "meeting.updated" || w.Stored.Type.StartsWith("membership.", StringComparison.Ordinal)))
        {
            publisher.MeetingsChanged(MeetingId, [.. before.Keys.Append(access.Caller.UserId).Where(u => !string.IsNullOrEmpty(u)).Distinct()], admins: true);
        }
    }

    private void Publish(long from, List<(MeetingEvent Stored, PendingEvent Pending)> written)
    {
        if (written.Count > 0)
        {
            publisher.Publish(MeetingId, from, [.. written.Select(w => (MeetingEventDto.From(w.Stored, w.Pending.Payload), w.Pending.GuestAudience))], _meeting!.GuestCodes, GuestsSeePositions);
            foreach (var (stored, _) in written)
            {
                metrics.Events.Add(1, new KeyValuePair<string, object?>("type", stored.Type));
            }
        }
    }

    /// <summary>
    /// A member's seat was revoked or changed: their open connections leave the meeting's groups at once, including one
    /// still on its way in (the hub's <see cref="ConfirmJoin"/> takes that one out). Every later call is refused anyway,
    /// since access is read here on every call.
    /// </summary>
    private async Task EvictAsync(string userId, MemberEntry was)
    {
        IReadOnlyList<PresenceEntry> listed;
        try
        {
            listed = await presence.ListAsync(MeetingId);
        }
        catch (Exception ex)
        {
            // Presence (Redis, when scaled out) not answering must not undo the answer to a committed change, nor keep its
            // events from the room: the connections this grain admitted leave the groups all the same, and one it does not
            // know of (admitted by an activation before it) is taken out by the next activation's reconciliation.
            LogEvictionPresenceFailed(log, ex, MeetingId);
            listed = [];
        }

        var connections = _connections.Where(c => c.Value.UserId == userId).Select(c => c.Key)
            .Union(listed.Where(e => e.UserId == userId).Select(e => e.ConnectionId))
            .ToList();
        IReadOnlyList<string> groups = was.DelegationCode is { } code
            ? [MeetingGroups.Members(MeetingId), MeetingGroups.Guest(MeetingId, code)]
            : [MeetingGroups.Members(MeetingId)];
        bool takenOut;
        try
        {
            takenOut = await TakeOutOfRoomAsync([.. connections.Select(c => (c, groups))], "take a revoked member's connections out of");
        }
        catch (Exception ex)
        {
            LogEvictionGroupsFailed(log, ex, MeetingId);
            takenOut = false;
        }

        if (!takenOut)
        {
            // The backplane did not carry the removal, or did not say it had (Redis not answering, the link down; or the
            // instance holding a connection died): a connection on another instance may still be in the room's group
            // there. The change is committed, and is answered and published all the same. The connections' presence
            // entries stay, so that the meeting's next activation, which takes every listed connection whose access has
            // gone out of the groups, finds them (a dead instance's go with its alive key); and this activation goes once
            // its calls are answered, so that the next call starts that one.
            _presenceSends?.Request();
            DeactivateOnIdle();
        }

        if (connections.Count > 0)
        {
            // Out of the groups, an open page would hear nothing more and go on showing the room as it stood, "Live": it is
            // told, so that it joins again (refused, or with its new seat). Sent, not awaited: a grain never waits on a client.
            _ = hub.Clients.Clients(connections).SeatChanged(MeetingId).ContinueWith(
                static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Takes connections out of the room: out of the grain's connections (their waiting carets dropped), out of the given
    /// SignalR groups (<see cref="ChangeGroupsAsync"/>) and out of presence, which is then sent again. False, and presence
    /// left as it is, when the groups' change was not confirmed in time.
    /// </summary>
    private async Task<bool> TakeOutOfRoomAsync(IReadOnlyList<(string ConnectionId, IReadOnlyList<string> Groups)> connections, string what)
    {
        if (connections.Count == 0)
        {
            return true;
        }

        foreach (var (connectionId, _) in connections)
        {
            _connections.Remove(connectionId);
            ForgetCarets(connectionId);
        }

        if (!await ChangeGroupsAsync([.. connections.SelectMany(c => c.Groups.Select(group => hub.Groups.RemoveFromGroupAsync(c.ConnectionId, group)))], what))
        {
            return false;
        }

        try
        {
            foreach (var (connectionId, _) in connections)
            {
                await presence.RemoveAsync(connectionId, MeetingId);
            }
        }
        catch (Exception ex)
        {
            // Out of the groups already, which is what keeps them from hearing the room; their presence entries go when
            // their connections close (or their instance's alive key expires).
            LogEvictionPresenceFailed(log, ex, MeetingId);
        }

        _presenceSends?.Request();
        return true;
    }

    /// <summary>
    /// Reconciles again, after 1, 2, 4, then every 8 s, until it succeeds. Until then this activation knows none of the
    /// connections already in the room: it relays none of their carets, ignores where they turn (a turn made meanwhile
    /// is shown at the page's next one), and a connection whose revocation an earlier activation could not carry out
    /// still hears the room. It used to stay so for the whole activation.
    /// </summary>
    private void ReconcileLater(int attempt)
    {
        _reconcileTimer?.Dispose();
        _reconcileTimer = this.RegisterGrainTimer(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await ReconcileGroupsAsync(scope.ServiceProvider);
                _reconcileTimer?.Dispose();
                _reconcileTimer = null;
            }
            catch (Exception ex)
            {
                LogReconcileFailed(log, ex, MeetingId);
                ReconcileLater(attempt + 1);
            }
        }, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1 << Math.Min(attempt - 1, 3)), Timeout.InfiniteTimeSpan) { KeepAlive = false });
    }

    /// <summary>
    /// SignalR's groups outlive a grain: a change committed by an activation that then broke, or died, before it took a
    /// revoked person's connections out of the room's groups would leave them hearing the room. So a new activation takes
    /// out of the groups every connection in the room's presence whose access is gone or no longer the one it joined with.
    /// </summary>
    private async Task ReconcileGroupsAsync(IServiceProvider services)
    {
        var meeting = _meeting!;
        var stale = new List<PresenceEntry>();
        foreach (var entry in await presence.ListAsync(MeetingId))
        {
            var isAdmin = !meeting.Members.ContainsKey(entry.UserId) && await IsAdminAsync(services, entry.UserId);
            var now = meeting.AccessOf(new Caller(entry.UserId, entry.Name, isAdmin));
            if (now is null || now.Role != entry.Role || now.DelegationCode != entry.DelegationCode || now.IsGuest != entry.IsGuest)
            {
                stale.Add(entry);
            }
            else
            {
                // The room outlives an activation: its connections, and the items they are on, are taken from presence,
                // so that their carets are still relayed (an entry on no item may not have said where it is yet).
                _connections.TryAdd(entry.ConnectionId, new RoomConnection(entry.UserId) { ItemId = entry.ItemId, Focused = entry.ItemId is not null });
            }
        }

        _ = await TakeOutOfRoomAsync(
            [.. stale.Select(e => (e.ConnectionId, (IReadOnlyList<string>)[e.IsGuest ? MeetingGroups.Guest(MeetingId, e.DelegationCode!) : MeetingGroups.Members(MeetingId)]))],
            "take connections whose access has gone out of");
        if (_connections.Count > 0)
        {
            // The pages hold what the previous activation sent, and its last send may never have gone out (it failed, or
            // was held past the time it was waited for as the meeting went from memory): they get the whole room now.
            _presenceSends?.Request();
        }
    }

    private static async Task<bool> IsAdminAsync(IServiceProvider services, string userId)
    {
        var users = services.GetRequiredService<UserManager<BriefingUser>>();
        return await users.FindByIdAsync(userId) is { } user && await users.IsInRoleAsync(user, BriefingRoles.Admin);
    }

    /// <summary>
    /// Waits for changes to the room's SignalR groups, at most <see cref="CoreLimits.GroupChangeWait"/>. With the Redis
    /// backplane, a change to a connection that another instance holds waits for that instance's acknowledgement, and an
    /// instance that died (its connections still listed in presence until its alive key expires) never sends one:
    /// SignalR would wait 30 s and throw, with every call to the meeting queued behind this one, and a committed
    /// revocation answered as "busy". A live instance applies a change published before the wait all the same; but the
    /// publish itself may be what timed out (a RedisTimeoutException is a TimeoutException too), so false says the change
    /// is not known to be made.
    /// </summary>
    private async Task<bool> ChangeGroupsAsync(Task[] changes, string what)
    {
        var all = Task.WhenAll(changes);
        try
        {
            await all.WaitAsync(CoreLimits.GroupChangeWait);
            return true;
        }
        catch (TimeoutException)
        {
            // Whatever becomes of it later (SignalR gives up on the acknowledgement after 30 s) is observed, not thrown.
            _ = all.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            LogGroupChangeUnconfirmed(log, MeetingId, what, CoreLimits.GroupChangeWait.TotalSeconds);
            return false;
        }
    }

    // ------------------------------------------------------------------ reads

    public async Task<Outcome<LiveTextsDto>> Texts(MeetingAccess audience)
    {
        // A change that runs alone moves the committed sequence number at its commit and reads its items and texts back
        // after it: a room taken in between would carry the new number with the old items (a new item's draft missing,
        // filled in as empty by the snapshot, and cached so for everyone). The room waits for the change to finish.
        while (_exclusive is { } running)
        {
            await running.Task;
        }

        if (Unavailable() is { } unavailable)
        {
            return unavailable;
        }

        var meeting = _meeting!;
        if (audience.MeetingId != MeetingId)
        {
            return ApiResults.MeetingNotFound(audience.MeetingId);
        }

        var texts = meeting.Texts.Values
            .Where(t => meeting.Items.TryGetValue(t.Id.ItemId, out var item) && audience.CanSee(item) && Positions.GuestView.MayRead(audience, item, t.Id))
            .Where(t => t.Id.Kind == DocumentKind.Draft || t.CommittedRevision > 0 || t.CommittedContent.Length > 0)
            .OrderBy(t => t.Id.ItemId).ThenBy(t => t.Id.Kind).ThenBy(t => t.Id.DelegationCode, StringComparer.Ordinal)
            .Select(t => new TextDocumentDto(t.Key, t.CommittedContent, t.CommittedRevision))
            .ToList();
        var proposals = meeting.Proposals.CommittedSpans(itemId => meeting.Items.TryGetValue(itemId, out var item) && audience.CanSee(item));
        return new LiveTextsDto(meeting.CommittedSeq, texts, proposals, [.. meeting.Items.Values.Where(audience.CanSee).Select(i => i.Id)],
            [.. meeting.Items.Values.Where(i => audience.CanSee(i) && Positions.GuestView.SeesPositions(audience, i)).Select(i => i.Id)],
            _seatsChangedAt);
    }

    public async Task<Outcome<TextInfo>> Describe(Caller caller, string documentId)
    {
        await ReadBackAsync();
        if (Unavailable() is { } unavailable)
        {
            return unavailable;
        }

        if (_meeting!.AccessOf(caller) is not { } access)
        {
            return ApiResults.MeetingNotFound(MeetingId);
        }

        var found = FindText(_meeting, access, documentId ?? "", write: false);
        return found.Refusal is { } refused
            ? refused
            : new TextInfo(found.Value.Text.Key, found.Value.Text.CommittedRevision);
    }

    // ------------------------------------------------------------------ carets

    public Task<Outcome<bool>> MoveCaret(Caller caller, string connectionId, CaretRequest caret)
    {
        if (Unavailable() is { } unavailable)
        {
            return Task.FromResult<Outcome<bool>>(unavailable);
        }

        var meeting = _meeting!;
        if (meeting.AccessOf(caller) is not { } access)
        {
            return Task.FromResult<Outcome<bool>>(ApiResults.MeetingNotFound(MeetingId));
        }

        if (caret is null || caret.Revision < 0 || caret.Anchor < 0 || caret.Head < 0)
        {
            return Task.FromResult<Outcome<bool>>(new InvalidRefusal("caret", "A caret names a text, a revision and two positions of 0 or more."));
        }

        var found = FindText(meeting, access, caret.DocumentId, write: false);
        if (found.Refusal is { } refused)
        {
            return Task.FromResult<Outcome<bool>>(refused);
        }

        var (text, item) = found.Value;
        // Only a connection in the room, and on the text's item, shows a caret there. One that has left, or turned to
        // another item, is (or is about to be) named gone in presence, and its caret, arriving late, would then stay on
        // the others' pages. Not refused: the page sent it while it was still there. A connection that has not said which
        // item it is on (a client that never calls Focus) shows its carets in any text it may read, as it always could.
        if (!_connections.TryGetValue(connectionId, out var connection) || (connection.Focused && connection.ItemId != item.Id))
        {
            return Task.FromResult<Outcome<bool>>(false);
        }

        _carets[(connectionId, text.Key)] = (new CaretDto(caller.UserId, caller.Name, connectionId, text.Key, caret.Revision, caret.Anchor, caret.Head), item.Id, Positions.GuestView.TextAudience(item, text.Id));
        if (!_caretsScheduled)
        {
            _caretsScheduled = true;
            _caretTimer?.Dispose();
            _caretTimer = this.RegisterGrainTimer(SendCaretsAsync, new GrainTimerCreationOptions(CoreLimits.CaretInterval, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        }

        return Task.FromResult<Outcome<bool>>(true);
    }

    /// <summary>Drops the connection's carets waiting to be sent, but those in texts of <paramref name="keepItemId"/>.</summary>
    private void ForgetCarets(string connectionId, int? keepItemId = null)
    {
        foreach (var key in _carets.Where(c => c.Key.ConnectionId == connectionId && c.Value.ItemId != keepItemId).Select(c => c.Key).ToList())
        {
            _carets.Remove(key);
        }
    }

    /// <summary>
    /// The carets that moved since the last send, the latest of each connection in each text (a caret dragged across a paragraph is one
    /// send, not fifty), to everyone who may see the text but the connection itself: members get all, each guest its items'.
    /// </summary>
    private Task SendCaretsAsync(CancellationToken ct)
    {
        _caretsScheduled = false;
        if (_carets.Count == 0 || _meeting is null)
        {
            return Task.CompletedTask;
        }

        var carets = _carets.Values.ToList();
        _carets.Clear();
        var guests = _meeting.GuestCodes.ToList();
        foreach (var (caret, itemId, audience) in carets)
        {
            // Presence names the connection gone once it leaves the item, even if it comes and goes between two sends.
            _presenceSends?.Shown(caret.ConnectionId, itemId);

            IReadOnlyList<CaretDto> one = [caret];
            Sends.Observe(hub.Clients.GroupExcept(MeetingGroups.Members(MeetingId), caret.ConnectionId).CaretsMoved(one), log, MeetingId, "carets");
            foreach (var code in guests.Where(audience.Contains))
            {
                Sends.Observe(hub.Clients.GroupExcept(MeetingGroups.Guest(MeetingId, code), caret.ConnectionId).CaretsMoved(one), log, MeetingId, "carets");
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Meeting {MeetingId}: a group commit failed; the waiting operations were refused and the meeting's grain restarts from the database")]
    private static partial void LogCommitFailed(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: the room's groups could not be reconciled with presence as the grain started; it tries again")]
    private static partial void LogReconcileFailed(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Meeting {MeetingId}: a change was committed but could not be read back into the meeting's grain, which restarts from the database")]
    private static partial void LogReadBackFailed(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: no instance confirmed within {Seconds} s the request to {What} the room's groups (an instance that stopped without a clean shutdown holds the connection); the meeting went on")]
    private static partial void LogGroupChangeUnconfirmed(ILogger logger, int meetingId, string what, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: presence did not answer as a connection turned to another item; the turn was refused")]
    private static partial void LogFocusFailed(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Meeting {MeetingId}: a revoked member's connections could not be taken out of the room's groups through the backplane; the grain restarts, and its next activation takes them out of the groups")]
    private static partial void LogEvictionGroupsFailed(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: presence did not answer while connections were taken out of the room; they left its groups all the same")]
    private static partial void LogEvictionPresenceFailed(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: the stored texts could not be brought up to date on deactivation")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception ex, int meetingId);

    private sealed class PendingEdit(LiveText text, WindowEntry entry, string content, int itemId, IReadOnlyCollection<string> audience, Caller author, DateTimeOffset at)
    {
        public LiveText Text { get; } = text;
        public WindowEntry Entry { get; } = entry;
        public string Content { get; } = content;
        public int ItemId { get; } = itemId;
        public IReadOnlyCollection<string> Audience { get; } = audience;
        public Caller Author { get; } = author;
        public DateTimeOffset At { get; } = at;
        public TaskCompletionSource<Outcome<OperationAck>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>What the history says of this operation besides its author ("Accepted proposal 7 of France").</summary>
        public string? Note { get; init; }

        /// <summary>The proposal this operation accepts, and the sequence number of the event that says so.</summary>
        public ProposalAcceptance? Acceptance { get; init; }

        /// <summary>The reservations this operation moved to another paragraph, and the sequence number of the first event that says so.</summary>
        public (ReservationMoves Moves, long FirstSeq)? Moves { get; init; }

        public long LastSeq => Moves is { } moved ? moved.FirstSeq + moved.Moves.Events.Count - 1 : Acceptance?.Seq ?? Entry.Seq;
    }

    /// <summary>The sequence numbers of the events that follow an operation which moved reservations (none: null).</summary>
    private static (ReservationMoves, long)? FollowedBy(LiveMeeting meeting, ReservationMoves? moves)
    {
        if (moves is null)
        {
            return null;
        }

        var first = meeting.LastSeq + 1;
        meeting.LastSeq += moves.Events.Count;
        return (moves, first);
    }

    /// <summary>Inside the commit of an operation that moved reservations: their rows and the events that tell the room.</summary>
    private async Task<List<(MeetingEvent Stored, object Payload, IReadOnlyCollection<string> Audience)>> RecordMovesAsync(BriefingDb db, PendingEdit edit)
    {
        var (moves, first) = edit.Moves!.Value;
        await LiveReservations.StoreMovesAsync(db, moves, CancellationToken.None);
        // Their audiences are never null (a position's, the footnotes'): the commit publishes them as given.
        return [.. moves.Events.Select((pending, i) => (Record(db, MeetingId, first + i, pending, edit.Author, edit.At), pending.Payload, pending.GuestAudience!))];
    }

    /// <summary>
    /// Adds to <paramref name="db"/> the stored form of an event numbered <paramref name="seq"/>: its actor the caller,
    /// unless the event names its own (<see cref="PendingEvent.Actor"/>); its guest audience as given (null: every guest).
    /// </summary>
    private static MeetingEvent Record(BriefingDb db, int meetingId, long seq, PendingEvent pending, Caller caller, DateTimeOffset at)
    {
        var e = new MeetingEvent
        {
            MeetingId = meetingId,
            Seq = seq,
            Type = pending.Type,
            ItemId = pending.ItemId,
            Payload = JsonSerializer.Serialize(pending.Payload, BriefingJson.Options),
            GuestAudience = pending.GuestAudience is null ? null : string.Join(',', pending.GuestAudience),
            ActorUserId = pending.Actor is null ? caller.UserId : "",
            ActorName = pending.Actor ?? caller.Name,
            OccurredAt = at,
        };
        db.Events.Add(e);
        return e;
    }

    /// <summary>The meeting's sequence number in the database is not the one this grain last wrote: two writers, which must never be.</summary>
    private sealed class FenceBrokenException(string message) : Exception(message);

    private sealed record TextStore(LiveText Text, string Content, int Revision, bool History);

    /// <summary>A connection in the room: whose it is, and the item it looks at, for its carets.</summary>
    private sealed class RoomConnection(string userId)
    {
        public string UserId { get; } = userId;

        /// <summary>The item it looks at (null: the agenda); only once <see cref="Focused"/>.</summary>
        public int? ItemId { get; set; }

        /// <summary>It has said which item it looks at.</summary>
        public bool Focused { get; set; }
    }
}
