using BriefingRoom.Data;
using BriefingRoom.Live;
using BriefingRoom.Meetings;

namespace BriefingRoom.Realtime;

/// <summary>What a change sees inside its transaction, in the meeting's grain.</summary>
public sealed record ChangeContext(BriefingDb Db, Meeting Meeting, MeetingAccess Access, DateTimeOffset Now, IServiceProvider Services);

/// <summary>
/// A change to one meeting, as data. It travels to the meeting's grain, wherever in the cluster that runs, and runs
/// there: inside the meeting's one writer, in one transaction, after the edits waiting before it are committed.
/// Each change type is a record whose fields are everything the change needs; the caller's access is resolved
/// again in the grain, so a membership revoked while the change travelled is honoured.
/// </summary>
public abstract record MeetingChange<T>
{
    /// <summary>
    /// The access of a caller who is not (yet) a member, for the rare change that lets one in (accepting an invitation):
    /// null, the default, means members only. The change's own rules then decide whether the caller may.
    /// </summary>
    public virtual MeetingAccess? AccessForNonMember(int meetingId, Caller caller) => null;

    /// <summary>
    /// Whether the change may still be made once the chair has closed the meeting. A closed meeting's record stops moving:
    /// its agenda, texts, positions, proposals, coalitions and roster are as they were when it closed, until the chair
    /// reopens it. What goes on is the meeting's own details (reopening it among them), who may read the record
    /// (seats revoked, invitations accepted, positions shared with guests), the record's copies (exports, a version saved
    /// of a text as it stands) and a retally after the population figures were corrected.
    /// </summary>
    public virtual bool GoesOnWhenClosed => false;

    /// <summary>Validates and applies the change; returns the caller's value and the events that record it, or a refusal.</summary>
    public abstract Task<Outcome<ChangeStep<T>>> RunAsync(ChangeContext ctx, CancellationToken ct);
}

/// <summary>The one code path for every change to a meeting, from REST and from the hub alike: the meeting's grain.</summary>
public sealed class MeetingChanges(IGrainFactory grains)
{
    public Task<Outcome<T>> ApplyAsync<T>(MeetingAccess access, MeetingChange<T> change, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return GrainCalls.OnceAsync(() => grains.GetGrain<IMeetingGrain>(access.MeetingId).Change(access.Caller, change));
    }
}
