using System.Data.Common;
using BriefingRoom.Data;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BriefingRoom.Tests.Hosting;

/// <summary>
/// A hub call cancelled by something other than its caller leaving (a database command cancelled under it) failed
/// without a word in the log: the guard took every cancellation for a client gone.
/// </summary>
public class CancelledCallLoggingTests
{
    [Fact]
    public async Task AHubCallCancelledWhileItsCallerIsStillThereIsLoggedAsAFailure()
    {
        await using var app = new LoggedApp();
        var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(TestHttp.Ct);
        await hub.InvokeAsync<object>("JoinMeeting", 1, TestHttp.Ct);

        app.History.Arm();
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("GetTextHistory", 1, "draft:1", 0, TestHttp.Ct));

        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.Contains(app.Logs.Entries, l => l.Level == LogLevel.Error && l.Message.Contains("GetTextHistory", StringComparison.Ordinal) && l.Exception is OperationCanceledException);
        Assert.DoesNotContain("cancelled under", refused.Message, StringComparison.Ordinal);
        await hub.DisposeAsync();
    }

    private sealed class LoggedApp : BriefingApp
    {
        public LogCollector Logs { get; } = new();
        public CancelOnce History { get; } = new(sql => sql.Contains("FROM \"TextEdits\"", StringComparison.Ordinal));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
            builder.ConfigureServices(services => services.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(History)));
        }
    }

    /// <summary>Cancels the first matching read after <see cref="Arm"/>, as a command cancelled by the server would be.</summary>
    private sealed class CancelOnce(Func<string, bool> matches) : DbCommandInterceptor
    {
        private int _armed;

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (matches(command.CommandText) && Interlocked.CompareExchange(ref _armed, 0, 1) == 1)
            {
                throw new OperationCanceledException("The command was cancelled under the call.");
            }

            return ValueTask.FromResult(result);
        }
    }
}
