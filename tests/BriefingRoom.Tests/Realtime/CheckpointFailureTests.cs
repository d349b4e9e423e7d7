using System.Data.Common;
using System.Net;
using BriefingRoom.Data;
using BriefingRoom.Tests.Coalitions;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// A checkpoint (the stored texts brought up to date before an export reads them) whose commit fails: whoever asked for
/// it must not go on as if the stored texts were current.
/// </summary>
public class CheckpointFailureTests
{
    private const string M = "/api/meetings/1";
    private const string Draft = "draft:1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AStatementWhoseTextsCannotBeStoredIsNotExportedWithoutTheAcknowledgedEdits()
    {
        var disk = new FailingDraftStores();
        await using var app = new BriefingApp().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(disk)));
        using var chair = await app.SignInAsync("chair");
        await CoalitionApiTests.FormAsync(chair, 1);
        await (await chair.PutJsonAsync($"{M}/items/1/statement", new { documentNumber = "EUCO 10/25", title = "Ukraine" })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/1/coalition/revision", new { reason = "Paragraph 2 corrected" })).ShouldBeAsync(200);
        await using var costa = await RoomClient.JoinAsync(app, "chair");

        // The chair's revision is acknowledged, so it is in the log; the stored copy of the draft may lag behind it.
        disk.Failing = true;
        costa.Append(Draft, "\n\nRevised by the chair.");
        await costa.WaitUntilAsync(c => c.IsSynchronized(Draft), "the chair's revision is acknowledged");

        // The export's checkpoint cannot bring the stored copy up to date (nor can an idle store meanwhile).
        var failed = await chair.GetAsync($"{M}/items/1/statement.pdf", Ct);
        if (failed.StatusCode == HttpStatusCode.OK)
        {
            var printed = Squeeze(string.Join(" ", BodyLines(await failed.Content.ReadAsByteArrayAsync(Ct)).Select(l => l.Text)));
            Assert.Fail($"the statement was exported although its stored text could not be brought up to date; the chair's acknowledged revision is {(printed.Contains(Squeeze("Revised by the chair."), StringComparison.Ordinal) ? "in it" : "missing from it")}");
        }

        await failed.ShouldBeAsync(503);
        Assert.Equal(0, app.WithDb(db => db.ExportedCopies.Count()));

        // Once the disk takes writes again, the export prints the revision.
        disk.Failing = false;
        var exported = await chair.GetAsync($"{M}/items/1/statement.pdf", Ct);
        await exported.ShouldBeAsync(200);
        var text = Squeeze(string.Join(" ", BodyLines(await exported.Content.ReadAsByteArrayAsync(Ct)).Select(l => l.Text)));
        Assert.Contains(Squeeze("Revised by the chair."), text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A disk that refuses every write of a draft's stored copy while <see cref="Failing"/> (an idle store as much as the
    /// export's checkpoint), and is mended as soon as the export goes on to read what it prints (its query of the
    /// reservations), so that whatever follows the read, the recording of the copy included, finds a working disk.
    /// </summary>
    private sealed class FailingDraftStores : DbCommandInterceptor
    {
        private volatile bool _failing;

        public bool Failing { get => _failing; set => _failing = value; }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            _failing && command.CommandText.Contains("UPDATE \"Items\"", StringComparison.Ordinal) && command.CommandText.Contains("\"DraftText\"", StringComparison.Ordinal)
                ? throw new SqliteException("disk I/O error", 10)
                : ValueTask.FromResult(result);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            // Not the grain's own read of the reservations when it starts again after the failed checkpoint, which asks
            // which items are the meeting's (EXISTS): the export's names its items.
            if (command.CommandText.Contains("'SupportWithReservation'", StringComparison.Ordinal) && !command.CommandText.Contains("EXISTS", StringComparison.Ordinal))
            {
                _failing = false;
            }

            return ValueTask.FromResult(result);
        }
    }
}
