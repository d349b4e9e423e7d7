using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;

namespace BriefingRoom.Live;

/// <summary>
/// A connection's ticket into a meeting: who it is there, and the last committed sequence number when it came in.
/// <see cref="InRoom"/> is false when the grain could not confirm the connection in the room's group (see
/// <see cref="IMeetingGrain.Join"/>): the caller may come in, but this connection is not in the room.
/// </summary>
[Orleans.Immutable]
public sealed record JoinTicket(MeetingAccess Access, long Seq, bool InRoom = true);

/// <summary>
/// The committed texts an audience may see, as of sequence number <see cref="Seq"/>, and the items it could see then
/// (<see cref="ItemIds"/>): a room built from these and a later read of the database lists only those items, so that an
/// item created or shared after <see cref="Seq"/> comes with its event rather than with an empty draft labelled too early.
/// <see cref="PositionsSeen"/> does the same for the items whose positions the audience saw then (all of them for the
/// members): positions opened to a guest after <see cref="Seq"/> come with their events, not with their texts as "".
/// <see cref="SeatsChangedAt"/>: the sequence number of the last change that revoked or changed a seat (or the grain's
/// activation, which cannot tell): a caller admitted before it is not given this room without being admitted again.
/// </summary>
public sealed record LiveTextsDto(long Seq, IReadOnlyList<TextDocumentDto> Texts, IReadOnlyList<ProposalSpanEntry>? Proposals = null, IReadOnlyList<int>? ItemIds = null, IReadOnlyList<int>? PositionsSeen = null, long SeatsChangedAt = 0);

/// <summary>
/// One meeting's live state and its single writer, one activation in the whole cluster. Every change to the meeting
/// goes through here: text operations are applied in memory and group-committed; other changes run one at a time in
/// their own transaction, after the waiting operations. Reads of committed state (access, texts) are answered from memory.
/// </summary>
public interface IMeetingGrain : IGrainWithIntegerKey
{
    /// <summary>What the caller may do here, or null when the meeting is not theirs to see (or does not exist).</summary>
    Task<MeetingAccess?> Access(Caller caller);

    /// <summary>The meeting was just created: an activation that found no such meeting reads it now.</summary>
    Task Created();

    /// <summary>
    /// <see cref="Access"/> and the last committed sequence number in one call: the room snapshot's way in, so that a
    /// join storm's thousands of snapshot requests each wait once for the meeting's grain, not twice.
    /// </summary>
    Task<JoinTicket?> AccessNow(Caller caller);

    /// <summary>
    /// Registers a connection that is joining and puts it in its group; the hub lists it in presence, then calls
    /// <see cref="ConfirmJoin"/>. The grain is the meeting's one sender of presence: join, leave and focus reach it.
    /// A ticket that is not <see cref="JoinTicket.InRoom"/>: the group's change was not confirmed in time, and the
    /// connection is not registered; the hub takes it out of the group on its own instance and refuses the join.
    /// </summary>
    Task<JoinTicket?> Join(Caller caller, string connectionId);

    /// <summary>
    /// True when the caller is still the member the ticket named: a membership revoked (or changed) while the connection
    /// was being added to the groups makes this false: the grain takes the connection out of presence, the hub out of
    /// its group. When true, the connection is sent the whole room.
    /// </summary>
    Task<bool> ConfirmJoin(Caller caller, string connectionId, JoinTicket ticket);

    /// <summary>
    /// The connection left the room or closed (the hub has taken it out of presence); the room hears of it.
    /// <paramref name="itemId"/>: the item presence had it on, which an activation started since its last move does not
    /// know of, so that it is named gone from there (and the pages take its carets away).
    /// </summary>
    Task Leave(string connectionId, int? itemId = null);

    /// <summary>
    /// The item a joined connection looks at now (null: the agenda), recorded in presence and told to the room; false
    /// when the connection is not in the room. Carets follow it: only those in texts of that item are relayed from it.
    /// </summary>
    Task<Outcome<bool>> Focus(Caller caller, string connectionId, int? itemId);

    /// <summary>An operation on a text; answers once the operation is committed (durable) and published.</summary>
    Task<Outcome<OperationAck>> Submit(Caller caller, SubmitOperationRequest request);

    /// <summary>Any other change: runs alone, in one transaction, after the operations waiting before it.</summary>
    Task<Outcome<T>> Change<T>(Caller caller, MeetingChange<T> change);

    /// <summary>
    /// The committed texts that <paramref name="audience"/> (the members, or one guest delegation, as an access the caller
    /// was admitted with) may see, for a snapshot. Not the asker's access now: a room is shared by its audience.
    /// </summary>
    Task<Outcome<LiveTextsDto>> Texts(MeetingAccess audience);

    /// <summary>A text the caller may read: its canonical id and last committed revision.</summary>
    Task<Outcome<TextInfo>> Describe(Caller caller, string documentId);

    /// <summary>
    /// Commits what waits and brings every stored text up to date; returns the last committed sequence number. Throws
    /// <see cref="InvalidOperationException"/> when that could not be done (the grain restarts from the database).
    /// </summary>
    Task<long> Checkpoint();

    /// <summary>
    /// Accepts an open proposal (chair, secretariat): its replacement is applied to the draft as an ordinary operation at
    /// the proposal's current span, committed with the others, its history note naming the proposal; answers once durable.
    /// </summary>
    Task<Outcome<Proposals.ProposalDto>> AcceptProposal(Caller caller, int proposalId);

    /// <summary>A connection's caret in a text; carets go out coalesced, at most every <see cref="CoreLimits.CaretInterval"/>.</summary>
    Task<Outcome<bool>> MoveCaret(Caller caller, string connectionId, CaretRequest caret);
}
