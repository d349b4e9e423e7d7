using BriefingRoom.Meetings;

namespace BriefingRoom.Realtime;

/// <summary>One open connection in one meeting: who, and which item it looks at. Volatile: never stored.</summary>
public sealed record PresenceEntry(
    string ConnectionId, int MeetingId, string UserId, string Name, MeetingRole Role, string? DelegationCode, bool IsGuest, int? ItemId)
{
    /// <summary>A connection that has just joined with <paramref name="access"/>: on no item yet.</summary>
    public static PresenceEntry Joining(string connectionId, Caller caller, MeetingAccess access) =>
        new(connectionId, access.MeetingId, caller.UserId, caller.Name, access.Role, access.DelegationCode, access.IsGuest, null);
}

/// <summary>
/// A person in the room, however many tabs they have open: a second tab changes nothing here unless it looks at another
/// item, so a room filling with tabs costs one entry per person, not one per connection.
/// </summary>
public sealed record PresenceUserDto(
    string UserId, string Name, MeetingRole Role, string? DelegationCode, IReadOnlyList<int> ItemIds);

/// <summary>
/// A change in who is in the room: <see cref="Users"/> are the people whose presence changed (or appeared), each with
/// their whole state; <see cref="Left"/> the people no longer here. When <see cref="Full"/> is set, <see cref="Users"/> is
/// everyone in the room and replaces what the client had (a connection that has just joined gets that first).
/// <see cref="Gone"/> are the connections that closed or turned to another item since the last send: their carets go.
/// </summary>
public sealed record PresenceDto(int MeetingId, IReadOnlyList<PresenceUserDto> Users, IReadOnlyList<string> Left, bool Full, IReadOnlyList<string> Gone);

/// <summary>A co-editor's caret and selection in a text, as of a revision of that text.</summary>
public sealed record CaretDto(string UserId, string Name, string ConnectionId, string DocumentId, int Revision, int Anchor, int Head);

/// <summary>
/// Who is connected to which meeting. In memory on one instance; with several instances a shared store
/// (Redis) takes its place, so that everyone sees everyone. Its calls take no cancellation token, so a cancellation one
/// ends with is never its caller's own: StackExchange.Redis cancels the commands of a transaction that did not run (and,
/// in 2.12.14, its issue 3085, every command once its reader has failed). The callers handle it as any other failure of
/// presence (<c>Realtime/PresenceFailureTests</c>).
/// </summary>
public interface IPresenceStore
{
    Task AddAsync(PresenceEntry entry);

    /// <summary>Sets the item a connection looks at; false when the connection is not in the meeting.</summary>
    Task<bool> FocusAsync(string connectionId, int meetingId, int? itemId);

    /// <summary>Takes a connection out of a meeting; returns its entry there, if it had one (the item it was on).</summary>
    Task<PresenceEntry?> RemoveAsync(string connectionId, int meetingId);

    /// <summary>Forgets a closed connection everywhere; returns its entries, one per meeting it was in.</summary>
    Task<IReadOnlyList<PresenceEntry>> RemoveConnectionAsync(string connectionId);

    Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId);
}

public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string ConnectionId, int MeetingId), PresenceEntry> _entries = [];

    public Task AddAsync(PresenceEntry entry)
    {
        lock (_gate)
        {
            _entries[(entry.ConnectionId, entry.MeetingId)] = entry;
        }

        return Task.CompletedTask;
    }

    public Task<bool> FocusAsync(string connectionId, int meetingId, int? itemId)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((connectionId, meetingId), out var entry))
            {
                return Task.FromResult(false);
            }

            _entries[(connectionId, meetingId)] = entry with { ItemId = itemId };
            return Task.FromResult(true);
        }
    }

    public Task<PresenceEntry?> RemoveAsync(string connectionId, int meetingId)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.Remove((connectionId, meetingId), out var entry) ? entry : null);
        }
    }

    public Task<IReadOnlyList<PresenceEntry>> RemoveConnectionAsync(string connectionId)
    {
        lock (_gate)
        {
            var keys = _entries.Keys.Where(k => k.ConnectionId == connectionId).ToList();
            var removed = keys.Select(k => _entries[k]).ToList();
            keys.ForEach(k => _entries.Remove(k));
            return Task.FromResult<IReadOnlyList<PresenceEntry>>(removed);
        }
    }

    public Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PresenceEntry>>([.. _entries.Values.Where(e => e.MeetingId == meetingId)]);
        }
    }
}
