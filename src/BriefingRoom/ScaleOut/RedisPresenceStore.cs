using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Realtime;
using StackExchange.Redis;

namespace BriefingRoom.ScaleOut;

/// <summary>
/// Presence shared by every instance, in Redis: one hash per meeting (connection id -> entry), one set per
/// connection (its meetings). Each entry names the instance that holds the connection; an instance keeps a key
/// alive while it runs, so the entries of an instance that stopped or died drop out of every list.
/// Still volatile: nothing here is the record of the meeting.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, ScaleOutInstance instance) : IPresenceStore
{
    private IDatabase Db => redis.GetDatabase();

    private RedisKey MeetingKey(int meetingId) => $"{instance.Prefix}presence:meeting:{meetingId}";
    private RedisKey ConnectionKey(string connectionId) => $"{instance.Prefix}presence:connection:{connectionId}";

    private sealed record Stored(PresenceEntry Entry, string Instance);

    public async Task AddAsync(PresenceEntry entry)
    {
        var batch = Db.CreateTransaction();
        _ = batch.HashSetAsync(MeetingKey(entry.MeetingId), entry.ConnectionId, Serialize(entry));
        _ = batch.SetAddAsync(ConnectionKey(entry.ConnectionId), entry.MeetingId);
        await batch.ExecuteAsync();
    }

    /// <summary>
    /// Rewrites the entry only while it still holds what was read: a removal in between (a revocation's eviction, run by
    /// the meeting's grain on another instance; a disconnect) is not undone by this write, which would leave an entry for
    /// a connection that nobody removes while its instance lives (<c>Realtime/ScaleOutRaceTests</c>).
    /// </summary>
    public async Task<bool> FocusAsync(string connectionId, int meetingId, int? itemId)
    {
        var key = MeetingKey(meetingId);
        while (true)
        {
            var current = await Db.HashGetAsync(key, connectionId);
            if (current.IsNullOrEmpty)
            {
                return false;
            }

            var stored = Deserialize(current!);
            var write = Db.CreateTransaction();
            write.AddCondition(Condition.HashEqual(key, connectionId, current));
            _ = write.HashSetAsync(key, connectionId, Serialize(stored.Entry with { ItemId = itemId }));
            if (await write.ExecuteAsync())
            {
                return true;
            }
        }
    }

    public async Task<PresenceEntry?> RemoveAsync(string connectionId, int meetingId)
    {
        var batch = Db.CreateTransaction();
        // Read and deleted in one transaction: the entry as it was removed.
        var was = batch.HashGetAsync(MeetingKey(meetingId), connectionId);
        _ = batch.HashDeleteAsync(MeetingKey(meetingId), connectionId);
        _ = batch.SetRemoveAsync(ConnectionKey(connectionId), meetingId);
        await batch.ExecuteAsync();
        var value = await was;
        return value.IsNullOrEmpty ? null : Deserialize(value!).Entry;
    }

    public async Task<IReadOnlyList<PresenceEntry>> RemoveConnectionAsync(string connectionId)
    {
        var meetings = (await Db.SetMembersAsync(ConnectionKey(connectionId))).Select(m => (int)m).ToList();
        var batch = Db.CreateTransaction();
        var read = new List<Task<RedisValue>>();
        foreach (var meetingId in meetings)
        {
            read.Add(batch.HashGetAsync(MeetingKey(meetingId), connectionId));
            _ = batch.HashDeleteAsync(MeetingKey(meetingId), connectionId);
        }

        _ = batch.KeyDeleteAsync(ConnectionKey(connectionId));
        await batch.ExecuteAsync();
        var removed = new List<PresenceEntry>();
        foreach (var value in await Task.WhenAll(read))
        {
            if (!value.IsNullOrEmpty)
            {
                removed.Add(Deserialize(value!).Entry);
            }
        }

        return removed;
    }

    public async Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId)
    {
        var all = (await Db.HashGetAllAsync(MeetingKey(meetingId))).Select(e => Deserialize(e.Value!)).ToList();
        var alive = new Dictionary<string, bool>();
        foreach (var owner in all.Select(s => s.Instance).Distinct())
        {
            alive[owner] = owner == instance.Id || await Db.KeyExistsAsync(instance.AliveKey(owner));
        }

        var dead = all.Where(s => !alive[s.Instance]).Select(s => (RedisValue)s.Entry.ConnectionId).ToArray();
        if (dead.Length > 0)
        {
            await Db.HashDeleteAsync(MeetingKey(meetingId), dead);
        }

        return [.. all.Where(s => alive[s.Instance]).Select(s => s.Entry)];
    }

    private string Serialize(PresenceEntry entry) => JsonSerializer.Serialize(new Stored(entry, instance.Id), BriefingJson.Options);

    private static Stored Deserialize(string json) => JsonSerializer.Deserialize<Stored>(json, BriefingJson.Options)!;
}
