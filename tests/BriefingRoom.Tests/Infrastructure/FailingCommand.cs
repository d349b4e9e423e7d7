using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// A database read that fails at a chosen moment: the first query that <paramref name="matches"/> after
/// <see cref="FailNext"/> throws what <paramref name="failure"/> makes instead of running.
/// </summary>
public sealed class FailingCommand(Func<string, bool> matches, Func<Exception> failure) : DbCommandInterceptor
{
    private int _armed;
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the query has been failed.</summary>
    public Task Failed => _failed.Task;

    public void FailNext() => Interlocked.Exchange(ref _armed, 1);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (matches(command.CommandText) && Interlocked.CompareExchange(ref _armed, 0, 1) == 1)
        {
            _failed.TrySetResult();
            throw failure();
        }

        return ValueTask.FromResult(result);
    }
}
