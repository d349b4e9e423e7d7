using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// A slow disk at a chosen moment: holds the first database command (a query, a SaveChanges batch, or a bulk
/// ExecuteUpdate/ExecuteDelete) that <paramref name="matches"/> after <see cref="HoldNext"/>, until <see cref="Release"/> or
/// until the command's own cancellation token fires, then lets it run as it was given. With <paramref name="afterItRan"/>
/// the command runs first (a lone statement outside a transaction is committed by then) and what follows it waits.
/// </summary>
public sealed class HoldingInterceptor(Func<string, bool> matches, bool afterItRan = false) : DbCommandInterceptor
{
    private int _armed;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the command is being held.</summary>
    public Task Held => _held.Task;

    public void HoldNext() => Interlocked.Exchange(ref _armed, 1);

    public void Release() => _released.TrySetResult();

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (!afterItRan)
        {
            await HoldAsync(command, cancellationToken);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (!afterItRan)
        {
            await HoldAsync(command, cancellationToken);
        }

        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (afterItRan)
        {
            await HoldAsync(command, cancellationToken);
        }

        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (afterItRan)
        {
            await HoldAsync(command, cancellationToken);
        }

        return result;
    }

    private async Task HoldAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (matches(command.CommandText) && Interlocked.CompareExchange(ref _armed, 0, 1) == 1)
        {
            _held.TrySetResult();
            var cancelled = new TaskCompletionSource();
            await using (cancellationToken.Register(() => cancelled.TrySetResult()))
            {
                await Task.WhenAny(_released.Task, cancelled.Task);
            }
        }
    }
}
