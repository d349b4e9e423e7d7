using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Hosting;
using BriefingRoom.Identity;
using BriefingRoom.Live;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Realtime;

[Orleans.Immutable]
public sealed record CaretRequest(string DocumentId, int Revision, int Anchor, int Head);

/// <summary>
/// An operation as the hub receives it: the operation stays raw JSON until the hub reads it, so that a malformed one
/// is refused with words that say what is wrong with it, not SignalR's "error binding arguments".
/// </summary>
/// Its other fields carry the same rules as the REST body (<see cref="SubmitOperationRequest"/>), checked by the same validation.
public sealed record OperationRequest(
    [property: Required, StringLength(60)] string? DocumentId,
    [property: Required, Range(0, int.MaxValue)] int? BaseRevision,
    [property: Required, StringLength(64, MinimumLength = 1)] string? ClientOpId,
    JsonElement Operation);

/// <summary>
/// The answer to JoinMeeting: who the caller is here, and the last committed sequence number when it joined. The room
/// itself comes over HTTP (GET /api/meetings/{id}/snapshot, compressed and cacheable), which the page loads while it
/// connects; should the room it got be older than <see cref="Seq"/>, the events in between come from GetEventsSince.
/// </summary>
public sealed record JoinedDto(int MeetingId, long Seq, YouDto You, string SnapshotUrl);

/// <summary>
/// The room's live channel. Thin: every method hands the caller (from the connection's user, never from an argument)
/// to the meeting's grain or to the services the REST API uses too. Access is answered by the grain from memory, so no
/// hub call touches the database on its way to a change. Refusals arrive as a HubException with the REST problem's words.
/// </summary>
[Authorize]
public sealed partial class BriefingHub(
    IGrainFactory grains, MeetingService meetings, DraftingService drafting, PositionService positions,
    IPresenceStore presence, JoinSteps steps, Proposals.ProposalService proposals, HubConnectionLimit connections, ILogger<BriefingHub> log)
    : Hub<IBriefingClient>
{
    private const string JoinedKey = "briefing.meetings";

    /// <summary>
    /// Joins the meeting's group and answers with a small handshake; the client then loads the snapshot over HTTP and
    /// applies the live events after its sequence number. A membership revoked while this runs leaves the connection out.
    /// </summary>
    public async Task<JoinedDto> JoinMeeting(int meetingId)
    {
        var caller = MeetingAccessResolver.CallerOf(Context.User!);
        var grain = grains.GetGrain<IMeetingGrain>(meetingId);
        JoinTicket? ticket;
        try
        {
            ticket = meetingId > 0 ? await grain.Join(caller, Context.ConnectionId) : null;
        }
        catch (Exception ex)
        {
            // The grain could not put it in the room's group (the backplane's Redis not answering) and left it out.
            throw JoinNotRecorded(ex);
        }

        if (ticket is null)
        {
            throw NotFound(meetingId);
        }

        var access = ticket.Access;
        if (!ticket.InRoom)
        {
            // The grain could not confirm the connection in its group (MeetingGrain.Join): out of the group here too, where
            // the add may still land, and the page joins again.
            await LeaveGroupHereAsync(access);
            throw JoinNotRecorded(null);
        }

        // The grain has put the connection in its group (MeetingGrain.Join says why there).
        try
        {
            await presence.AddAsync(PresenceEntry.Joining(Context.ConnectionId, caller, access));
        }
        catch (Exception ex)
        {
            // Listed nowhere, nothing would take it out of the group the grain put it in: it would hear the room it was
            // told it did not join. It leaves now, and the page joins again.
            await LeaveGroupHereAsync(access);
            await grain.Leave(Context.ConnectionId);
            throw JoinNotRecorded(ex);
        }

        await steps.InGroupAsync(meetingId, Context.ConnectionId);
        bool confirmed;
        try
        {
            confirmed = await grain.ConfirmJoin(caller, Context.ConnectionId, ticket);
        }
        catch (Exception ex)
        {
            // The grain let in again a connection whose seat was revoked and given back while it joined, and presence did
            // not answer as it listed it, or its entry into the group was not confirmed. It leaves the room (and its group
            // here, should the add land after all), and the page joins again.
            await LeaveGroupHereAsync(access);
            await LeaveRoomAsync(grain, meetingId);
            throw JoinNotRecorded(ex);
        }

        if (!confirmed)
        {
            // The grain has taken it out of presence (and told the room).
            await LeaveGroupHereAsync(access);
            throw NotFound(meetingId);
        }

        if (Context.ConnectionAborted.IsCancellationRequested)
        {
            // The connection closed while it joined: OnDisconnectedAsync runs alongside this call, and may have forgotten
            // the connection before it was listed above (or left the grain before the grain confirmed it). Nobody else
            // would take it out of presence, where it would stay for good.
            await LeaveRoomAsync(grain, meetingId);
            throw new HubException("The connection closed while it joined the meeting.");
        }

        Joined()[meetingId] = true;
        return new JoinedDto(meetingId, ticket.Seq, YouDto.From(access), $"/api/meetings/{meetingId}/snapshot");
    }

    public async Task LeaveMeeting(int meetingId)
    {
        var access = await RequireAccessAsync(meetingId);
        await LeaveGroupHereAsync(access);
        await LeaveRoomAsync(grains.GetGrain<IMeetingGrain>(meetingId), meetingId);
        Joined().TryRemove(meetingId, out _);
    }

    /// <summary>
    /// The page is done with this connection (it goes to another screen, which opens its own): the connection stops
    /// counting toward the person's limit before this answers, and the server closes it. Closed from the page's side
    /// only, the next screen's connection could reach the server before the close had been processed there, and be turned
    /// away by the person's own closing connection at a limit of one.
    /// </summary>
    public void CloseConnection()
    {
        connections.Release(Context);
        // Released, it must not stay open: a page could otherwise release connection after connection and keep them all.
        Context.Abort();
    }

    /// <summary>
    /// Takes this connection out of the meeting's presence, and tells the grain, with the item presence had it on (an
    /// activation started since its last move knows nothing of it, nor of its carets there).
    /// </summary>
    private async Task LeaveRoomAsync(IMeetingGrain grain, int meetingId)
    {
        PresenceEntry? listed = null;
        try
        {
            listed = await presence.RemoveAsync(Context.ConnectionId, meetingId);
        }
        catch (Exception ex)
        {
            // Out of the group already, which is what keeps it from hearing the room; the grain still forgets it. Its
            // entry goes when the connection closes (or its instance's alive key expires).
            LogPresenceFailed(log, ex, meetingId);
        }

        await grain.Leave(Context.ConnectionId, listed?.ItemId);
    }

    /// <summary>What the client missed after sequence number <paramref name="since"/>; Reset says to reload the snapshot.</summary>
    public async Task<EventsPage> GetEventsSince(int meetingId, long since) =>
        Unwrap(await meetings.EventsSinceAsync(await RequireAccessAsync(meetingId), since, Context.ConnectionAborted));

    /// <summary>
    /// An operation on a draft or a position text, answered once it is durable. The sender also receives the resulting
    /// event, which is its acknowledgement in order.
    /// </summary>
    public async Task<OperationAck> SubmitOperation(int meetingId, OperationRequest request)
    {
        if (request is null)
        {
            throw new HubException("The request is not valid: send the text's id, the base revision, a client operation id and the operation.");
        }

        if (!TextOperation.TryParse(request.Operation, Limits.Text, out var operation, out var problem))
        {
            throw new HubException($"The request is not valid: operation: {problem}");
        }

        var caller = MeetingAccessResolver.CallerOf(Context.User!);
        var submission = new SubmitOperationRequest(request.DocumentId!, request.BaseRevision, request.ClientOpId!, operation);
        return Unwrap(await GrainCalls.RepeatableAsync(() => grains.GetGrain<IMeetingGrain>(meetingId).Submit(caller, submission)));
    }

    /// <summary>A page of a text's history after <paramref name="sinceRevision"/> (see GET .../texts/{id}/history).</summary>
    public async Task<TextHistoryDto> GetTextHistory(int meetingId, string documentId, int sinceRevision) =>
        Unwrap(await drafting.HistoryAsync(await RequireAccessAsync(meetingId), documentId, sinceRevision, null, Context.ConnectionAborted));

    /// <summary>PUT .../positions/{delegationCode} over the hub. The body is bound here, as REST binds it, so that what SignalR could not read gets the same field errors.</summary>
    public async Task<PositionDto> SetPosition(int meetingId, int itemId, string delegationCode, System.Text.Json.JsonElement request)
    {
        var body = Unwrap(Api.RequestValidation.Read<PutPositionRequest>(request));
        return Unwrap(await positions.PutAsync(await RequireAccessAsync(meetingId), itemId, delegationCode ?? "", body, Context.ConnectionAborted));
    }

    /// <summary>
    /// Which item this connection looks at now (null: the agenda), for the others' "who is on it". The meeting's grain
    /// records it in presence and tells the room; it relays this connection's carets only in texts of that item, and
    /// drops those of the item left.
    /// </summary>
    public async Task Focus(int meetingId, int? itemId)
    {
        var caller = MeetingAccessResolver.CallerOf(Context.User!);
        _ = meetingId > 0 ? Unwrap(await grains.GetGrain<IMeetingGrain>(meetingId).Focus(caller, Context.ConnectionId, itemId)) : throw NotFound(meetingId);
    }

    /// <summary>Shows this connection's caret to the others who may see the text. Not stored, not sequenced; sent coalesced.</summary>
    public async Task MoveCaret(int meetingId, CaretRequest caret)
    {
        if (caret is null)
        {
            throw new HubException("A caret names a text, a revision and two positions of 0 or more.");
        }

        Unwrap(await grains.GetGrain<IMeetingGrain>(meetingId).MoveCaret(MeetingAccessResolver.CallerOf(Context.User!), Context.ConnectionId, caret));
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        // The item each entry was on goes to the grain: an activation started since knows nothing of it (its carets).
        Dictionary<int, PresenceEntry> entries;
        try
        {
            entries = (await presence.RemoveConnectionAsync(Context.ConnectionId)).ToDictionary(e => e.MeetingId);
        }
        catch (Exception ex)
        {
            // The meetings it joined here still forget it; its entries go when its instance's alive key expires.
            LogPresenceFailedOnClose(log, ex);
            entries = [];
        }

        foreach (var meetingId in entries.Keys.Union(Joined().Keys).ToList())
        {
            // Each meeting is told, whatever became of the one before: a grain that cannot be reached (moving to another
            // instance, its silo gone) must not keep the person in the rooms after it.
            try
            {
                await grains.GetGrain<IMeetingGrain>(meetingId).Leave(Context.ConnectionId, entries.GetValueOrDefault(meetingId)?.ItemId);
            }
            catch (Exception ex)
            {
                LogLeaveFailedOnClose(log, ex, meetingId);
            }
        }

        await base.OnDisconnectedAsync(exception);
    }

    public override async Task OnConnectedAsync()
    {
        // Sized for the one meeting a page joins: a connection's memory counts, 2,000 of them in a meeting.
        Context.Items[JoinedKey] = new ConcurrentDictionary<int, bool>(concurrencyLevel: 1, capacity: 1);
        if (Context.User?.IsInRole(BriefingRoles.Admin) == true)
        {
            // An administrator's list of meetings holds every meeting: it changes with any of them (IBriefingClient.MeetingsChanged).
            await Groups.AddToGroupAsync(Context.ConnectionId, MeetingGroups.Admins);
        }

        await base.OnConnectedAsync();
    }

    /// <summary>
    /// The meetings this connection joined, made as it connected. OnDisconnectedAsync can run while a join or a leave
    /// still runs (SignalR does not wait for a connection's calls before it), so the set is one that may be read while it
    /// is changed.
    /// </summary>
    private ConcurrentDictionary<int, bool> Joined() => (ConcurrentDictionary<int, bool>)Context.Items[JoinedKey]!;

    private async Task<MeetingAccess> RequireAccessAsync(int meetingId) =>
        (meetingId > 0 ? await grains.GetGrain<IMeetingGrain>(meetingId).Access(MeetingAccessResolver.CallerOf(Context.User!)) : null)
        ?? throw NotFound(meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: presence did not answer as a connection left; it left the room's group and grain all the same")]
    private static partial void LogPresenceFailed(ILogger logger, Exception ex, int meetingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence did not answer as a connection closed; the meetings it joined here forget it all the same")]
    private static partial void LogPresenceFailedOnClose(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: its grain could not be told that a connection closed; presence has forgotten the connection, and the room hears it left at its next presence change")]
    private static partial void LogLeaveFailedOnClose(ILogger logger, Exception ex, int meetingId);

    /// <summary>
    /// Takes this connection out of the meeting's group on this instance, which holds it. A failure (Redis not answering as
    /// the group's last connection here unsubscribes from its channel) is logged, and the caller goes on: SignalR's
    /// backplane has taken the connection out of the group here before it unsubscribes, so it hears no more of the room,
    /// and on .NET 10 a later add on the same connection puts it back (GroupChangeFailureTests). What else the caller takes
    /// it out of (presence, the grain) still is, and a refused join is still refused in words, saying to try again.
    /// </summary>
    private async Task LeaveGroupHereAsync(MeetingAccess access)
    {
        try
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, MeetingGroups.Own(access));
        }
        catch (Exception ex)
        {
            LogLeaveGroupFailed(log, ex, access.MeetingId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: a connection leaving the room could not unsubscribe the room's group here; it left the room all the same")]
    private static partial void LogLeaveGroupFailed(ILogger logger, Exception ex, int meetingId);

    /// <summary>
    /// A join could not be recorded (its group's change or presence did not answer): the connection has been taken out of
    /// the room, and the page joins again.
    /// </summary>
    private static HubException JoinNotRecorded(Exception? ex) =>
        new("Busy: joining the meeting could not be recorded just now; try again in a moment.", ex);

    private static HubException NotFound(int meetingId) => new(Api.ApiResults.MeetingNotFound(meetingId).Detail);

    private static T Unwrap<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refusal ? throw refusal.AsHubException() : outcome.Value!;
}

/// <summary>
/// The moment in JoinMeeting between adding the connection to the meeting's group and confirming its membership: the
/// window in which a revocation used to leave a connection behind. Nothing happens here in the app; tests replace it to
/// revoke a membership at exactly that moment.
/// </summary>
public class JoinSteps
{
    public virtual Task InGroupAsync(int meetingId, string connectionId) => Task.CompletedTask;
}
