using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Data;

/// <summary>
/// SQLite lets one writer in at a time, and Microsoft.Data.Sqlite waits for a busy write lock by putting the thread
/// to sleep for 150 ms between attempts. Under concurrent edits that turned a few-millisecond commit into hundreds of
/// milliseconds and tied up pool threads (docs/BENCHMARKS.md). So this process's writers queue here instead, without
/// blocking a thread, and take the write lock one after the other. On other databases the gate stays open.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Waits for this writer's turn on SQLite; dispose the result to pass it on.</summary>
    public async ValueTask<IDisposable?> EnterAsync(BriefingDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return null;
        }

        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    public void Dispose() => _turn.Dispose();

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
