using BriefingRoom.Data;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BriefingRoom.Tests.Hosting;

/// <summary>A client whose link drops while its change is being saved is routine: nothing logged as an error, nothing half-written.</summary>
public class CancelledSaveLoggingTests
{
    [Fact]
    public async Task AClientWhoseLinkDropsMidSaveProducesNoErrorLogAndLeavesNoHalfWrittenChange()
    {
        await using var app = new LoggedApp();
        var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(TestHttp.Ct);
        var (length, revision) = app.WithDb(db => db.Items.Where(i => i.Id == 1).Select(i => new { i.DraftText.Length, i.DraftRevision }).Single()) is var d
            ? (d.Length, d.DraftRevision)
            : default;
        app.Saves.HoldNext();

        var call = hub.InvokeAsync<object>("SubmitOperation", 1,
            new { documentId = "draft:1", baseRevision = revision, clientOpId = "dropped-mid-save", operation = new object[] { "France: ", length } }, TestHttp.Ct);
        await app.Saves.Held.WaitAsync(TestHttp.Ct);
        await hub.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => call);

        // The next change queues behind the dropped one: once it is through, the dropped one has committed or rolled back.
        var germany = await app.SignInAsync("de");
        var next = await germany.PostJsonAsync("/api/meetings/1/texts/draft:1/operations",
            new { documentId = "draft:1", baseRevision = revision, clientOpId = "after", operation = new object[] { "Germany: ", length } });
        await next.ShouldBeAsync(200);

        Assert.Empty(app.Logs.Errors);
        // The provider sits in the app's own pipeline, behind its own filters: what it does not see, the console does not either.
        Assert.Contains(app.Logs.Entries, l => l.Category == "Microsoft.Hosting.Lifetime");
        // All or nothing: the dropped edit is either committed whole (log entry, event, text) or not at all.
        // The stored text is a snapshot the meeting's grain brings up to date: settle it before reading.
        app.Checkpoint();
        var (text, storedRevision) = app.WithDb(db => db.Items.Where(i => i.Id == 1).Select(i => new { i.DraftText, i.DraftRevision }).Single()) is var after
            ? (after.DraftText, after.DraftRevision)
            : default;
        var edits = app.WithDb(db => db.TextEdits.Where(e => e.DocumentId == "draft:1" && e.Revision > revision).OrderBy(e => e.Revision)
            .Select(e => new { e.Revision, e.ClientOpId, HasEvent = db.Events.Any(v => v.MeetingId == 1 && v.Seq == e.Seq && v.Type == "text.edited") }).ToList());
        Assert.Equal(Enumerable.Range(revision + 1, storedRevision - revision), edits.Select(e => e.Revision));
        Assert.All(edits, e => Assert.True(e.HasEvent));
        Assert.Equal(edits.Any(e => e.ClientOpId == "dropped-mid-save"), text.Contains("France: ", StringComparison.Ordinal));
        Assert.StartsWith("Germany: ", text, StringComparison.Ordinal);
    }

    /// <summary>The app with its real logging pipeline, plus a provider that keeps every entry, and a hold on one save.</summary>
    private sealed class LoggedApp : BriefingApp
    {
        public LogCollector Logs { get; } = new();
        public HoldingInterceptor Saves { get; } = new(sql => sql.Contains("INSERT INTO \"Events\"", StringComparison.Ordinal));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
            builder.ConfigureServices(services =>
            {
                services.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(Saves));
                services.Configure<HubOptions>(o => o.AddFilter(new AbortWatch(Saves)));
            });
        }
    }

    /// <summary>Tells the interceptor when the calling connection is gone (its ConnectionAborted fires), whatever token the save was given.</summary>
    private sealed class AbortWatch(HoldingInterceptor saves) : IHubFilter
    {
        public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
        {
            invocation.Context.ConnectionAborted.Register(saves.Release);
            return next(invocation);
        }
    }
}
