using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Data;

public static class SnapshotReads
{
    /// <summary>
    /// A read-only transaction in which every query sees one committed state, without holding up writers:
    /// on SQLite a deferred transaction (WAL readers never block the writer), elsewhere repeatable read.
    /// Disposing it ends the transaction.
    /// </summary>
    public static async Task<IAsyncDisposable> BeginSnapshotAsync(this BriefingDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        }

        await db.Database.OpenConnectionAsync(ct);
        var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(transaction, ct);
        return new SqliteSnapshot(db, transaction);
    }

    /// <summary>EF Core does not own a transaction handed to it, so this ends both and gives the connection back.</summary>
    private sealed class SqliteSnapshot(BriefingDb db, SqliteTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.UseTransactionAsync(null);
            await transaction.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}
