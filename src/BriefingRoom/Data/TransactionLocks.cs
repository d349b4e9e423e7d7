using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Data;

/// <summary>
/// A check and the write that depends on it, made as one step where another request may write the same fact outside
/// this meeting's grain (a document number, a meeting's seats, a year's population table). Whoever checks first holds
/// the lock until its transaction ends; a second checker waits, then reads what the first committed (read committed:
/// each statement sees what was committed before it began). On SQLite the caller's transaction already holds the one
/// write lock (BEGIN IMMEDIATE; this process's frequent writers queue for it at <see cref="SqliteWriteGate"/>), so this
/// takes nothing more; on PostgreSQL, where transactions write side by side, it is a transaction-scoped advisory lock on
/// (<c>kind</c>, <c>id</c>).
/// </summary>
public static class TransactionLocks
{
    /// <summary>Every document number of the record, one lock (id 0): "NUMB" in ASCII.</summary>
    public const int DocumentNumbers = 0x4E554D42;

    /// <summary>A meeting's seats (id: the meeting's): "SEAT" in ASCII.</summary>
    public const int Seats = 0x53454154;

    /// <summary>A year's population table (id: the year): "POPT" in ASCII.</summary>
    public const int PopulationTables = 0x504F5054;

    /// <summary>Holds (<paramref name="kind"/>, <paramref name="id"/>) until the caller's transaction ends.</summary>
    public static async Task HoldUntilCommitAsync(this BriefingDb db, int kind, int id, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A check is held inside the transaction that writes what it checked.");
        }

        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({kind}, {id})", ct);
        }
    }
}
