using BriefingRoom.Data;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
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
        var logs = new LogCollector();
        // A read of the text's history cancelled as a command cancelled by the server would be.
        var history = new FailingInterceptor(sql => sql.Contains("FROM \"TextEdits\"", StringComparison.Ordinal),
            () => new OperationCanceledException("The command was cancelled under the call."));
        await using var app = new BriefingApp().WithServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(history));
        });
        var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(TestHttp.Ct);
        await hub.InvokeAsync<object>("JoinMeeting", 1, TestHttp.Ct);

        history.FailNext();
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("GetTextHistory", 1, "draft:1", 0, TestHttp.Ct));

        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.Contains(logs.Entries, l => l.Level == LogLevel.Error && l.Message.Contains("GetTextHistory", StringComparison.Ordinal) && l.Exception is OperationCanceledException);
        Assert.DoesNotContain("cancelled under", refused.Message, StringComparison.Ordinal);
        await hub.DisposeAsync();
    }
}
