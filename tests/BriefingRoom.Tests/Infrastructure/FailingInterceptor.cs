using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// A disk that fails once at a chosen moment: the first database query that <paramref name="matches"/> after
/// <see cref="FailNext"/> throws SQLite's "disk I/O error" instead of running, or what <paramref name="failure"/> makes.
/// </summary>
public sealed class FailingInterceptor(Func<string, bool> matches, Func<Exception>? failure = null) : DbCommandInterceptor
{
    private int _armed;
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the query has failed.</summary>
    public Task Failed => _failed.Task;

    public void FailNext() => Interlocked.Exchange(ref _armed, 1);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (matches(command.CommandText) && Interlocked.CompareExchange(ref _armed, 0, 1) == 1)
        {
            _failed.TrySetResult();
            throw failure?.Invoke() ?? new SqliteException("disk I/O error", 10);
        }

        return ValueTask.FromResult(result);
    }
}
