using System.Net;
using BriefingRoom.Drafting;
using BriefingRoom.Live;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Realtime;

/// <summary>The meeting's in-memory single writer: durability, group commit, snapshots and rebuilding, bounds, eviction.</summary>
public class LiveCoreTests
{
    private const string Draft = "draft:1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAcknowledgedOperationIsAlreadyInTheTextLog()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var start = france.RevisionOf(Draft);
        var length = france.TextOf(Draft).Length;
        for (var i = 0; i < 5; i++)
        {
            var ack = await france.Hub.AppendAsync(Draft, start + i, length + i, $"durable-{i}", "x");
            // No checkpoint, no waiting: the acknowledgement itself means the log holds it.
            var logged = app.WithDb(db => db.TextEdits.SingleOrDefault(e => e.DocumentId == Draft && e.ClientOpId == $"durable-{i}"));
            Assert.NotNull(logged);
            Assert.Equal(ack.Revision, logged.Revision);
            Assert.Equal(ack.Seq, logged.Seq);
            Assert.True(app.WithDb(db => db.Events.Any(e => e.MeetingId == 1 && e.Seq == ack.Seq)), "its event is stored with it");
        }
    }

    [Fact]
    public async Task AnEditWhoseCommitFindsTheMeetingMovedOnByAnotherWriterIsCommittedOnlyAfterTheMeetingIsReloaded()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var start = france.RevisionOf(Draft);
        var length = france.TextOf(Draft).Length;
        var before = await france.Hub.AppendAsync(Draft, start, length, "before", "a");

        // Another writer (an instance that wrongly believes it holds the meeting) moves the stored sequence on.
        app.WithDb(db => db.Meetings.Where(m => m.Id == 1).ExecuteUpdate(s => s.SetProperty(m => m.LastSeq, m => m.LastSeq + 100)));
        var theirs = app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq);
        Assert.Equal(before.Seq + 100, theirs);

        // The commit's fence fails, the grain starts again from the database, and the hub's retry commits the edit
        // after the other writer's sequence numbers, never over them.
        var after = await france.Hub.AppendAsync(Draft, start + 1, length + 1, "after", "b");
        Assert.Equal(theirs + 1, after.Seq);
        Assert.Equal(theirs + 1, app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq));
        Assert.False(app.WithDb(db => db.Events.Any(e => e.MeetingId == 1 && e.Seq > before.Seq && e.Seq <= theirs)), "nothing was written under the other writer's numbers");
        Assert.Equal(theirs + 1, app.WithDb(db => db.TextEdits.Single(e => e.DocumentId == Draft && e.ClientOpId == "after").Seq));
        Assert.EndsWith("ab", app.ServerText(Draft));
    }

    [Fact]
    public async Task OperationsThatArriveTogetherAreCommittedTogetherAndPublishedAsOneBatch()
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var watcher = await RoomClient.JoinAsync(app, "observer");
        string[] delegations = ["fr", "de", "it", "es", "nl", "pl", "pt", "be"];
        var connections = new List<HubConnection>();
        foreach (var who in delegations)
        {
            var connection = app.NewHubConnection(await app.TokenForAsync(who));
            await connection.StartAsync(Ct);
            connections.Add(connection);
        }

        var start = watcher.RevisionOf(Draft);
        var length = watcher.TextOf(Draft).Length;
        // Eight delegates send five operations each, all at once, as a busy room does: each connection's calls run one
        // after the other, the connections side by side; every operation is made on the same revision.
        var calls = connections.SelectMany((connection, c) => Enumerable.Range(0, 5).Select(i => connection.AppendAsync(Draft, start, length, $"burst-{c}-{i}", $"[{c}.{i}]"))).ToList();
        var acks = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(start + 1, 40), acks.Select(a => a.Revision).Order());
        await watcher.WaitUntilAsync(c => c.RevisionOf(Draft) == start + 40, "the observer has all forty");
        Assert.Equal(app.ServerText(Draft), watcher.TextOf(Draft));
        Assert.True(watcher.Batches < 40, $"forty operations arrived in {watcher.Batches} batches: some were committed and published together");
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task CommitsFromManyDelegatesAtOnceArriveInOrderEachBatchStartingWhereTheLastEnded()
    {
        await using var app = new BriefingApp(realSockets: true);
        // A member and a guest listening raw, without the test client's gap handling: what SignalR delivers is all they have.
        var member = await BatchRecorder.JoinAsync(app, "observer");
        var guest = await BatchRecorder.JoinAsync(app, "ua");
        string[] writers = ["fr", "de", "it", "es", "nl", "pl"];
        var connections = new List<HubConnection>();
        foreach (var who in writers)
        {
            var connection = app.NewHubConnection(await app.TokenForAsync(who));
            await connection.StartAsync(Ct);
            connections.Add(connection);
        }

        await using var france = await RoomClient.JoinAsync(app, "fr");
        var start = france.RevisionOf(Draft);
        var length = france.TextOf(Draft).Length;
        var ownStart = france.RevisionOf("position:1:FR");
        // Six delegations type into the draft, which the guest sees, and France into its own position text, which it
        // does not: a hundred and fifty operations as fast as the server takes them, committed in batches of whatever
        // arrived together.
        var drafting = connections.Select((connection, c) => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await connection.AppendAsync(Draft, start, length, $"order-{c}-{i}", $"[{c}.{i}]");
            }
        }, Ct));
        var positionText = Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                await france.Hub.AppendAsync("position:1:FR", ownStart + i, france.TextOf("position:1:FR").Length, $"own-{i}", "+");
                await france.WaitUntilAsync(c => c.RevisionOf("position:1:FR") == ownStart + i + 1, "France has its own edit back");
            }
        }, Ct);
        await Task.WhenAll([.. drafting, positionText]);
        var last = app.WithDb(db => db.Events.Where(e => e.MeetingId == 1).Max(e => e.Seq));

        foreach (var (who, recorder) in new[] { ("the member", member), ("the guest", guest) })
        {
            var batches = await recorder.UntilAsync(last);
            var expectedFrom = recorder.JoinedAt;
            foreach (var batch in batches)
            {
                Assert.True(batch.From == expectedFrom, $"{who}: a batch from {batch.From} came after one ending at {expectedFrom}");
                Assert.True(batch.UpTo > batch.From, $"{who}: a batch from {batch.From} up to {batch.UpTo}");
                Assert.All(batch.Events, e => Assert.InRange(e.Seq, batch.From + 1, batch.UpTo));
                Assert.Equal(batch.Events.Select(e => e.Seq).Order(), batch.Events.Select(e => e.Seq));
                expectedFrom = batch.UpTo;
            }

            var seen = batches.SelectMany(b => b.Events).Select(e => e.Seq).ToList();
            Assert.Equal(seen.Distinct(), seen);
            var edits = batches.SelectMany(b => b.Events).Where(e => e.Type == "text.edited").Select(e => e.Payload.GetProperty("documentId").GetString()).ToList();
            Assert.Equal(120, edits.Count(d => d == Draft));
            Assert.Equal(who == "the member" ? 30 : 0, edits.Count(d => d == "position:1:FR"));
        }

        await france.WaitUntilAsync(c => c.RevisionOf(Draft) == start + 120, "France has every draft edit");
        Assert.Equal(app.ServerText(Draft), france.TextOf(Draft));
        foreach (var connection in connections.Append(member.Hub).Append(guest.Hub))
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>A joined connection that keeps every MeetingEvents batch as it arrived, in order.</summary>
    private sealed class BatchRecorder
    {
        private readonly Lock _gate = new();
        private readonly List<ClientEventBatch> _batches = [];
        private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private BatchRecorder(HubConnection hub) => Hub = hub;

        public HubConnection Hub { get; }

        public long JoinedAt { get; private set; }

        public static async Task<BatchRecorder> JoinAsync(BriefingApp app, string who)
        {
            var recorder = new BatchRecorder(app.NewHubConnection(await app.TokenForAsync(who)));
            recorder.Hub.On<ClientEventBatch>(nameof(IBriefingClient.MeetingEvents), recorder.Add);
            await recorder.Hub.StartAsync(Ct);
            var joined = await recorder.Hub.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct);
            recorder.JoinedAt = joined.Seq;
            return recorder;
        }

        private void Add(ClientEventBatch batch)
        {
            lock (_gate)
            {
                _batches.Add(batch);
                _arrived.TrySetResult();
                _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        /// <summary>The batches received once one covers <paramref name="seq"/>, the events before the join left out.</summary>
        public async Task<IReadOnlyList<ClientEventBatch>> UntilAsync(long seq)
        {
            while (true)
            {
                Task arrived;
                lock (_gate)
                {
                    var after = _batches.Where(b => b.UpTo > JoinedAt).ToList();
                    if (after.Count > 0 && after[^1].UpTo >= seq)
                    {
                        return after;
                    }

                    arrived = _arrived.Task;
                }

                await arrived.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            }
        }
    }

    [Fact]
    public async Task TheStoredTextIsASnapshotAndAFreshGrainRebuildsTheSameTextFromItAndTheLog()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        for (var i = 0; i < CoreLimits.SnapshotEvery + 30; i++)
        {
            france.Append(Draft, i % 10 == 0 ? "\n" : "x");
            await france.WaitUntilAsync(c => c.IsSynchronized(Draft), "each keystroke is committed");
        }

        var live = france.TextOf(Draft);
        var revision = france.RevisionOf(Draft);
        var stored = app.WithDb(db => db.Items.Single(i => i.Id == 1));
        Assert.True(stored.DraftRevision < revision, $"the stored copy (revision {stored.DraftRevision}) is a snapshot, not rewritten on every keystroke (revision {revision})");
        Assert.True(app.WithDb(db => db.TextSnapshots.Any(s => s.DocumentId == Draft && s.Revision >= CoreLimits.SnapshotEvery)), "a copy was kept in the history");

        // The grain goes away (as an idle one does) and the next call starts a new one from the database.
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, Ct);
        await using var germany = await RoomClient.JoinAsync(app, "de");
        Assert.Equal(live, germany.TextOf(Draft));
        Assert.Equal(revision, germany.RevisionOf(Draft));
        germany.Append(Draft, " Germany.");
        await germany.WaitUntilAsync(c => c.IsSynchronized(Draft), "the new grain takes operations");
        await france.WaitUntilAsync(c => c.TextOf(Draft) == live + " Germany.", "France, still connected, hears it");
    }

    [Fact]
    public async Task AnyPastRevisionCanBeReadAndTheHistoryComesInPages()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var original = france.TextOf(Draft);
        var texts = new List<string> { original };
        for (var i = 0; i < 130; i++)
        {
            france.Insert(Draft, i, i % 2 == 0 ? "a" : "b");
            await france.WaitUntilAsync(c => c.IsSynchronized(Draft), "committed");
            texts.Add(france.TextOf(Draft));
        }

        var http = await app.SignInAsync("uk");
        var chair = await app.SignInAsync("chair");
        foreach (var revision in new[] { 0, 1, 57, 99, 100, 101, 130 })
        {
            var at = await chair.GetJsonAsync<TextAtRevisionDto>($"/api/meetings/1/texts/{Draft}/revisions/{revision}");
            Assert.Equal(texts[revision], at.Text);
        }

        var pages = new List<TextHistoryDto>();
        var since = 0;
        while (true)
        {
            var page = await chair.GetJsonAsync<TextHistoryDto>($"/api/meetings/1/texts/{Draft}/history?since={since}&limit=50");
            pages.Add(page);
            if (!page.More)
            {
                break;
            }

            since = page.Edits[^1].Revision;
        }

        Assert.Equal([50, 50, 30], pages.Select(p => p.Edits.Count));
        Assert.Equal(texts[^1], pages.SelectMany(p => p.Edits).Aggregate(original, (text, e) => e.Operation.Apply(text)));
        await (await chair.GetAsync($"/api/meetings/1/texts/{Draft}/history?limit=1001", Ct)).ShouldBeAsync(400);
        // A guest reads only the texts of the items it is invited to.
        await (await http.GetAsync($"/api/meetings/1/texts/{Draft}/revisions/0", Ct)).ShouldBeAsync(404);
        await (await http.GetAsync("/api/meetings/1/texts/draft:2/revisions/0", Ct)).ShouldBeAsync(200);
    }

    /// <summary>
    /// A history asked from a revision the text has not reached is refused under "since", over REST and the hub alike, as
    /// a catch-up from a sequence number the meeting has not reached is. It was answered as an empty last page, which
    /// tells a client that asks with the wrong number (another text's revision, a room from a restored backup) that it
    /// has everything.
    /// </summary>
    [Fact]
    public async Task AHistoryFromARevisionTheTextHasNotReachedIsRefusedUnderSince()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        france.Insert(Draft, 0, "a");
        await france.WaitUntilAsync(c => c.IsSynchronized(Draft), "committed");
        var current = france.RevisionOf(Draft);
        var chair = await app.SignInAsync("chair");

        // From the current revision: the last page, empty.
        var last = await chair.GetJsonAsync<TextHistoryDto>($"/api/meetings/1/texts/{Draft}/history?since={current}");
        Assert.Equal((current, 0, false), (last.Revision, last.Edits.Count, last.More));

        var rest = await chair.GetAsync($"/api/meetings/1/texts/{Draft}/history?since={current + 1}", Ct);
        Assert.True(rest.StatusCode == HttpStatusCode.BadRequest, $"{(int)rest.StatusCode}: {await rest.Content.ReadAsStringAsync(Ct)}");
        Assert.True((await rest.ReadJsonAsync()).GetProperty("errors").TryGetProperty("since", out _));

        var hub = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeAsync<TextHistoryDto>("GetTextHistory", 1, Draft, int.MaxValue, Ct));
        Assert.Contains("HubException: The request is not valid: ", hub.Message, StringComparison.Ordinal);
        Assert.Contains($"revision {current}", hub.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOperationBasedBeyondTheWindowIsToldToReloadRatherThanTransformedAtAnyCost()
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        france.Append(Draft, "\n" + new string('x', 6_000));
        await france.WaitUntilAsync(c => c.IsSynchronized(Draft), "the long paragraph is committed");
        var baseRevision = france.RevisionOf(Draft);
        var baseLength = france.TextOf(Draft).Length;

        // The window keeps a bounded number of components, not of operations.
        await france.FragmentWindowAsync(Draft);

        await using var late = app.NewHubConnection(await app.TokenForAsync("de"));
        await late.StartAsync(Ct);
        var error = await Assert.ThrowsAsync<HubException>(() => late.AppendAsync(Draft, baseRevision, baseLength, "late", "!"));
        Assert.Contains("reload the text", error.Message, StringComparison.Ordinal);
        Assert.Equal(app.ServerText(Draft), france.TextOf(Draft));
    }

    [Fact]
    public async Task AMembershipRevokedWhileTheJoinIsUnderWayLeavesNoConnectionBehind()
    {
        // Revoked at the worst moment: after the connection was added to the group, before its confirmation.
        var revoke = new ActInGroup();
        await using var app = new BriefingApp().WithServices(s => s.AddSingleton<JoinSteps>(revoke));
        var chair = await app.SignInAsync("chair");
        var membership = (await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships")).Single(m => m.DelegationCode == "HU");
        HttpResponseMessage? revoked = null;
        revoke.Once.Arm(async () => revoked = await chair.DeleteAsync($"/api/meetings/1/memberships/{membership.Id}", Ct));

        await using var hungary = app.NewHubConnection(await app.TokenForAsync("hu"));
        var heard = 0;
        hungary.On<ClientEventBatch>("MeetingEvents", _ => Interlocked.Increment(ref heard));
        await hungary.StartAsync(Ct);
        var refused = await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct));
        Assert.Contains("not a member", refused.Message, StringComparison.Ordinal);
        await revoke.Once.Done;
        Assert.Equal(HttpStatusCode.NoContent, revoked!.StatusCode);

        // Whatever happens in the room now, Hungary's connection hears none of it.
        await using var france = await RoomClient.JoinAsync(app, "fr");
        france.Append(Draft, " After the revocation.");
        await france.WaitUntilAsync(c => c.IsSynchronized(Draft), "France's edit is committed and published");
        await using var observer = await RoomClient.JoinAsync(app, "observer");
        france.Append(Draft, " Once more.");
        await observer.WaitUntilAsync(c => c.TextOf(Draft).EndsWith(" Once more.", StringComparison.Ordinal), "the observer hears the next edit");
        // Had Hungary still been in the group, that edit would have reached its handler before the marker sent after it.
        await app.HandledAllSentToAsync(hungary);
        Assert.Equal(0, Volatile.Read(ref heard));
        await Assert.ThrowsAsync<HubException>(() => hungary.InvokeAsync<object>("GetEventsSince", 1, 0L, Ct));
    }
}
