using System.Data.Common;
using BriefingRoom.Data;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Identity;

/// <summary>A sign-out, once the server has it, is recorded whole: the other instances and a restarted one read it from the database.</summary>
public class SignOutRecordTests
{
    private static CancellationToken Ct => TestHttp.Ct;

    [Fact]
    public async Task ASignOutWhoseCallerDropsTheLinkWhileItIsWrittenIsStillRecorded()
    {
        var writes = new RevocationWrites();
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = new BriefingApp(realSockets: true).WithServices(s =>
        {
            s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(writes));
            s.AddSingleton<IStartupFilter>(new SignOutWatch(dropped));
        });
        var token = await app.TokenForAsync("fr");
        using var france = app.ClientWithToken(token);

        // The delegate closes the laptop's lid just after pressing "Sign out": the request is gone while its record is written.
        using var lid = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var signingOut = france.PostAsync("/api/auth/logout", null, lid.Token);
        await writes.Held.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await lid.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signingOut);
        // Only once the server knows the caller has gone does the write go on.
        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        writes.Release();
        await writes.Finished.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // This instance ended the session in memory; what the others and a restart read is the row.
        Assert.Equal(1, app.WithDb(db => db.RevokedSessions.Count()));
    }

    /// <summary>Tells when the server sees a sign-out's caller go (its request aborted).</summary>
    private sealed class SignOutWatch(TaskCompletionSource dropped) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, following) =>
            {
                if (http.Request.Path.StartsWithSegments("/api/auth/logout"))
                {
                    http.RequestAborted.Register(() => dropped.TrySetResult());
                }

                return following(http);
            });
            next(app);
        };
    }

    /// <summary>Holds the insert of a sign-out until released (or until its own token fires), and tells when its save has ended, either way.</summary>
    private sealed class RevocationWrites : DbCommandInterceptor, ISaveChangesInterceptor
    {
        private int _armed = 1;
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Held => _held.Task;
        public Task Finished => _finished.Task;

        public void Release() => _released.TrySetResult();

        private static bool IsRevocation(DbCommand command) => command.CommandText.Contains("INSERT INTO \"RevokedSessions\"", StringComparison.Ordinal);

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (IsRevocation(command) && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _held.TrySetResult();
                var cancelled = new TaskCompletionSource();
                await using (cancellationToken.Register(() => cancelled.TrySetResult()))
                {
                    await Task.WhenAny(_released.Task, cancelled.Task);
                }
            }

            return result;
        }

        public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Ended(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Ended(eventData.Context);
            return Task.CompletedTask;
        }

        public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
        {
            Ended(eventData.Context);
            return Task.CompletedTask;
        }

        private void Ended(Microsoft.EntityFrameworkCore.DbContext? context)
        {
            if (context is not null && context.ChangeTracker.Entries<BriefingRoom.Identity.RevokedSession>().Any())
            {
                _finished.TrySetResult();
            }
        }
    }
}
