using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Tests.Realtime;

/// <summary>What a grain writes to the stored texts when another writer has moved its meeting on: nothing.</summary>
public class StoredTextFenceTests
{
    private const string Draft = "draft:1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The fence on Meetings.LastSeq is what keeps a grain that lost its meeting to another writer from writing over it
    /// (docs/ARCHITECTURE.md: "the loser deactivates and starts again from the database"). A checkpoint that has no
    /// operation to write (an idle store, a checkpoint before an export, deactivation) commits without the fence, so a
    /// grain whose meeting another writer moved on writes its older stored copy over the newer one the other writer
    /// stored, and exports (which read the stored copy right after a checkpoint) print a text without an acknowledged edit.
    /// </summary>
    [Fact]
    public async Task ACheckpointWithNothingToLogDoesNotWriteAnOlderStoredTextOverAnotherWritersNewerOne()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var start = france.RevisionOf(Draft);
        var text = france.TextOf(Draft);

        // France's edit is committed; its stored copy lags behind (it is Dirty in the grain).
        var ack = await france.Hub.AppendAsync(Draft, start, text.Length, "ours", " Ours.");
        text += " Ours.";
        Assert.True(app.WithDb(db => db.Items.Single(i => i.Id == 1).DraftRevision) < ack.Revision, "the stored copy lags the log, as it may");

        // Another writer (an instance that took the meeting over, as the fence test in LiveCoreTests simulates) commits the
        // next revision after France's, moves the meeting's sequence on and stores its newer copy of the draft.
        var theirs = text + " Theirs.";
        app.WithDb(db =>
        {
            var seq = db.Meetings.Single(m => m.Id == 1).LastSeq + 1;
            db.TextEdits.Add(new TextEdit
            {
                DocumentId = Draft, Revision = ack.Revision + 1, MeetingId = 1, ClientOpId = "theirs",
                Operation = TextOperation.Builder().Retain(text.Length).Insert(" Theirs.").Build().ToJson(),
                AuthorUserId = "", AuthorName = "Another instance", At = DateTimeOffset.UtcNow, Seq = seq,
            });
            db.SaveChanges();
            db.Meetings.Where(m => m.Id == 1).ExecuteUpdate(s => s.SetProperty(m => m.LastSeq, seq));
            return db.Items.Where(i => i.Id == 1).ExecuteUpdate(s => s.SetProperty(i => i.DraftText, theirs).SetProperty(i => i.DraftRevision, ack.Revision + 1));
        });

        // The old grain checkpoints (as before an export, when idle, or on deactivation): it has nothing to log, only its
        // stored copy to bring up to date.
        try
        {
            app.Checkpoint();
        }
        catch (InvalidOperationException)
        {
            // Refusing (the fence found the meeting moved on) is a right answer.
        }

        var stored = app.WithDb(db => db.Items.Where(i => i.Id == 1).Select(i => new { i.DraftText, i.DraftRevision }).Single());
        Assert.True(stored.DraftRevision >= ack.Revision + 1 && stored.DraftText == theirs,
            $"a grain whose meeting another writer moved on wrote its stored copy at revision {stored.DraftRevision} over the other writer's revision {ack.Revision + 1}, "
            + $"without the edit \" Theirs.\" (stored text ends \"{stored.DraftText[^Math.Min(20, stored.DraftText.Length)..]}\")");
    }
}
