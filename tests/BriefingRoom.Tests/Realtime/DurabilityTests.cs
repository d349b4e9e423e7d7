using System.Text.Json;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// An acknowledged operation is durable: the app is killed with SIGKILL while delegates type, restarted on the same
/// SQLite file, and every operation any client saw acknowledged or broadcast is in the text log, in its place.
/// The app runs as a real child process, since only a process can be killed without running any shutdown code.
/// </summary>
public sealed class DurabilityTests : IAsyncDisposable
{
    private const string Draft = "draft:1";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "briefingroom-tests", "durability-" + Guid.NewGuid().ToString("N"));

    public DurabilityTests() => Directory.CreateDirectory(_directory);

    /// <summary>FULL syncs the log at every commit (the default); NORMAL only at checkpoints, which a process crash does not need.</summary>
    public static TheoryData<string> SynchronousModes => ["Full", "Normal"];

    [Theory]
    [MemberData(nameof(SynchronousModes))]
    public async Task EveryAcknowledgedOperationSurvivesKillDashNine(string synchronous)
    {
        var settings = new Dictionary<string, string> { [Data.SqliteSynchronous.Setting] = synchronous };
        var first = await AppProcess.StartAsync(_directory, settings);
        string[] typists = ["fr", "de", "pl", "secretariat"];
        var clients = new List<RoomClient>();
        RoomClient? watcher = null;
        try
        {
            foreach (var who in typists)
            {
                clients.Add(await first.JoinAsync(who));
            }

            watcher = await first.JoinAsync("observer");
            var startRevision = watcher.RevisionOf(Draft);
            var startText = watcher.TextOf(Draft);

            // Every typist adds a keystroke each time the text moves on: the OT clients keep one operation in flight
            // and compose the rest, so the app is killed with operations on the wire and in its write path.
            const int Revisions = 120;
            var random = new Random(20250306);
            while (watcher.RevisionOf(Draft) < startRevision + Revisions)
            {
                var seen = watcher.RevisionOf(Draft);
                foreach (var typist in clients)
                {
                    typist.Insert(Draft, random.Next(0, 2000), ((char)('a' + random.Next(26))).ToString());
                }

                await watcher.WaitUntilAsync(w => w.RevisionOf(Draft) > seen, "the draft moves on");
            }

            await first.KillAsync();

            // What the clients hold as committed: the text.edited events they applied (for a sender, its acknowledgement).
            var acknowledged = clients.Append(watcher!)
                .SelectMany(c => c.Events.Where(e => e.Type == "text.edited").Select(e => e.Payload.Deserialize<TextEditedDto>(global::BriefingRoom.Api.BriefingJson.Options)!))
                .Where(e => e.DocumentId == Draft)
                .DistinctBy(e => e.Revision)
                .ToList();
            Assert.True(acknowledged.Count >= Revisions, $"only {acknowledged.Count} operations were seen before the kill");

            await using var second = await AppProcess.StartAsync(_directory, settings);
            using var chair = await second.SignInAsync("chair");
            var history = await chair.GetJsonAsync<TextHistoryDto>($"/api/meetings/1/texts/{Draft}/history?since={startRevision}");
            var log = history.Edits.ToDictionary(e => e.Revision);

            foreach (var op in acknowledged)
            {
                Assert.True(log.TryGetValue(op.Revision, out var stored), $"acknowledged revision {op.Revision} ({op.ClientOpId}) is missing after the restart");
                Assert.Equal(op.ClientOpId, stored.ClientOpId);
                Assert.Equal(op.Operation.ToJson(), stored.Operation.ToJson());
            }

            Assert.Equal(Enumerable.Range(startRevision + 1, history.Revision - startRevision), history.Edits.Select(e => e.Revision));
            var replayed = history.Edits.Aggregate(startText, (text, e) => e.Operation.Apply(text));
            var snapshot = await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1");
            var current = snapshot.Texts.Single(t => t.Id == Draft);
            Assert.Equal(history.Revision, current.Revision);
            Assert.Equal(replayed, current.Text);
        }
        finally
        {
            foreach (var client in clients.Append(watcher).OfType<RoomClient>())
            {
                await client.DisposeAsync();
            }

            await first.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }

        return ValueTask.CompletedTask;
    }
}
