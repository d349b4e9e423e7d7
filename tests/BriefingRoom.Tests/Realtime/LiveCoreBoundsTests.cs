using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Live;
using BriefingRoom.Proposals;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// What one client's operation ids and sizes may cost the others: an id reused after its window, an id in the server's
/// own namespace, large pastes in the window, and pages of history or catch-up made of large operations.
/// </summary>
public class LiveCoreBoundsTests
{
    private const string Draft = "draft:1";
    private const int Large = 100_000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BriefingApp Unthrottled() =>
        new BriefingApp().With("Briefing:RateLimits:HubPerSecond", "100000").With("Briefing:RateLimits:HubBurst", "100000");

    private static Task<OperationAck> AppendAsync(HubConnection hub, string document, int baseRevision, int baseLength, string clientOpId, string text) =>
        hub.InvokeAsync<OperationAck>("SubmitOperation", 1,
            new SubmitOperationRequest(document, baseRevision, clientOpId, TextOperation.Builder().Retain(baseLength).Insert(text).Build()), Ct);

    /// <summary>Replaces the whole draft <paramref name="count"/> times with <see cref="Large"/> characters; returns the last acknowledgement.</summary>
    private static async Task<OperationAck> PasteLargeAsync(BriefingApp app, HubConnection hub, int count, string ids)
    {
        var revision = app.ServerRevision(Draft);
        var length = app.ServerText(Draft).Length;
        OperationAck? ack = null;
        for (var i = 0; i < count; i++)
        {
            var operation = TextOperation.Builder().Delete(length).Insert(new string((char)('a' + i % 26), Large)).Build();
            ack = await hub.InvokeAsync<OperationAck>("SubmitOperation", 1, new SubmitOperationRequest(Draft, revision, $"{ids}-{i}", operation), Ct);
            revision = ack.Revision;
            length = Large;
        }

        return ack!;
    }

    /// <summary>
    /// The window answers a retry by its client operation id; one older than the window is refused by its base revision.
    /// An id a client uses again for a new operation once the window has moved past the first is a new operation: it used
    /// to hit a unique index at commit, fail the whole group commit (everyone's edits in it) and restart the meeting's
    /// grain, once for each of the hub's retries.
    /// </summary>
    [Fact]
    public async Task AnIdUsedAgainAfterItsWindowIsANewOperationAndBreaksNothing()
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var first = await AppendAsync(france.Hub, Draft, france.RevisionOf(Draft), france.TextOf(Draft).Length, "reused-id", "\n" + new string('x', 6_000));
        await france.WaitUntilAsync(c => c.RevisionOf(Draft) == first.Revision && c.IsSynchronized(Draft), "the first operation is back");

        // Fragmented operations fill the window's component budget, so "reused-id" leaves it.
        await france.FragmentWindowAsync(Draft);

        var revision = app.ServerRevision(Draft);
        var before = app.ServerText(Draft);
        var again = await AppendAsync(france.Hub, Draft, revision, before.Length, "reused-id", "!");

        Assert.False(again.Duplicate);
        Assert.Equal(revision + 1, again.Revision);
        Assert.Equal(before + "!", app.ServerText(Draft));
        Assert.Equal(2, app.WithDb(db => db.TextEdits.Count(e => e.DocumentId == Draft && e.ClientOpId == "reused-id")));

        // The meeting goes on: the next edit commits after it.
        var next = await AppendAsync(france.Hub, Draft, again.Revision, before.Length + 1, "after-reuse", "?");
        Assert.Equal(again.Revision + 1, next.Revision);
    }

    /// <summary>
    /// An accepted proposal's edit carries the id "proposal:{id}". A delegate's operation named so (proposal ids are
    /// sequential and public) made every acceptance of that proposal fail at commit; the prefix is the server's now.
    /// </summary>
    [Fact]
    public async Task TheServersOwnOperationIdsAreRefusedToClientsAndAProposalIsStillAccepted()
    {
        const string draft3 = "draft:3";
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var franceHttp = await app.SignInAsync("fr");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var response = await franceHttp.PostJsonAsync("/api/meetings/1/items/3/proposals",
            new { from = 0, to = Math.Min(5, france.TextOf(draft3).Length), revision = france.RevisionOf(draft3), replacement = "Better", reason = "Clearer." });
        await response.ShouldBeAsync(200);
        var proposal = await response.ReadAsync<ProposalDto>();

        await using var poland = await RoomClient.JoinAsync(app, "pl");
        var revision = app.ServerRevision(draft3);
        var refused = await Assert.ThrowsAsync<HubException>(() =>
            AppendAsync(poland.Hub, draft3, poland.RevisionOf(draft3), poland.TextOf(draft3).Length, $"proposal:{proposal.Id}", " Poland."));
        Assert.Contains("Client operation ids that begin with \"proposal:\"", refused.Message, StringComparison.Ordinal);
        Assert.Equal(revision, app.ServerRevision(draft3));

        // The same over REST, with a problem naming the field.
        var rest = await franceHttp.PostJsonAsync($"/api/meetings/1/texts/{draft3}/operations", new
        {
            documentId = draft3, baseRevision = revision, clientOpId = $"proposal:{proposal.Id}",
            operation = TextOperation.Builder().Retain(app.ServerText(draft3).Length).Insert("!").Build(),
        });
        await rest.ShouldBeAsync(400);
        Assert.Contains("clientOpId", await rest.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var accepted = await chair.PostJsonAsync($"/api/meetings/1/proposals/{proposal.Id}/accept", null);
        await accepted.ShouldBeAsync(200);
        Assert.StartsWith("Better", app.ServerText(draft3), StringComparison.Ordinal);
    }

    /// <summary>
    /// The window counted operations and components but not the text they insert: a thousand whole-draft pastes of
    /// 100,000 characters stayed in memory for every text. Inserted text now has its own budget, so after 25 such
    /// pastes an operation based before them is too far behind and its client reloads.
    /// </summary>
    [Fact]
    public async Task LargePastesShrinkTheWindowInsteadOfGrowingMemory()
    {
        await using var app = Unthrottled();
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(Ct);
        var start = app.ServerRevision(Draft);
        var startLength = app.ServerText(Draft).Length;
        var pastes = (int)(CoreLimits.WindowInserted / Large) + 5;
        var last = await PasteLargeAsync(app, hub, pastes, "paste");
        Assert.Equal(start + pastes, last.Revision);
        Assert.True(pastes < CoreLimits.WindowOperations, "well inside the window's count of operations");

        var late = await Assert.ThrowsAsync<HubException>(() => AppendAsync(hub, Draft, start, startLength, "late", "!"));
        Assert.Contains("reload the text", late.Message, StringComparison.Ordinal);

        // Based on the latest paste it is transformed past nothing and applied.
        var recent = await AppendAsync(hub, Draft, last.Revision, Large, "recent", "!");
        Assert.Equal(last.Revision + 1, recent.Revision);
    }

    /// <summary>
    /// A late operation is refused by what transforming it really costs, not only by an estimate from its size as sent.
    /// One that deletes a long passage, made before edits that each insert a little all over that passage, is cut at
    /// every insert, and each step past the next edit walks every piece the ones before made: the estimate (the
    /// window's components, plus the operation's once per edit) let it through, and the meeting's grain, which
    /// nothing else may use meanwhile, spent seconds transforming it only to refuse the result as too long.
    /// </summary>
    [Fact]
    public async Task ALateOperationThatWouldGrowPastTheTransformBudgetIsToldToReloadTheText()
    {
        await using var app = Unthrottled();
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(Ct);
        const int Passage = 60_000, Edits = 100, InsertsPerEdit = 1_000;
        var before = app.ServerText(Draft);
        var passage = await hub.InvokeAsync<OperationAck>("SubmitOperation", 1, new SubmitOperationRequest(
            Draft, app.ServerRevision(Draft), "passage", TextOperation.Builder().Insert(new string('a', Passage)).Retain(before.Length).Build()), Ct);
        var text = new string('a', Passage) + before;
        var revision = passage.Revision;
        var random = new Random(7);
        var edits = new List<TextOperation>();
        for (var i = 0; i < Edits; i++)
        {
            var edit = TextOperation.Builder();
            var at = 0;
            foreach (var position in Enumerable.Range(0, InsertsPerEdit).Select(_ => random.Next(1, text.Length)).Distinct().Order())
            {
                edit.Retain(position - at).Insert("x");
                at = position;
            }

            var operation = edit.Retain(text.Length - at).Build();
            revision = (await hub.InvokeAsync<OperationAck>("SubmitOperation", 1, new SubmitOperationRequest(Draft, revision, $"scatter-{i}", operation), Ct)).Revision;
            text = operation.Apply(text);
            edits.Add(operation);
        }

        // Made on the text with the passage, before those edits: delete the passage.
        var late = TextOperation.Builder().Delete(Passage).Retain(before.Length).Build();
        var estimate = edits.Sum(e => (long)e.Components.Count + late.Components.Count);
        long steps = 0;
        var transformed = late;
        foreach (var edit in edits)
        {
            steps += transformed.Components.Count + edit.Components.Count;
            transformed = TextOperation.Transform(transformed, edit).APrime;
        }

        Assert.True(estimate <= CoreLimits.TransformBudget && steps > CoreLimits.TransformBudget,
            $"the estimate is {estimate:N0} component steps, the transform {steps:N0}, the budget {CoreLimits.TransformBudget:N0}");

        var refused = await Assert.ThrowsAsync<HubException>(() =>
            hub.InvokeAsync<OperationAck>("SubmitOperation", 1, new SubmitOperationRequest(Draft, passage.Revision, "late", late), Ct));
        Assert.True(refused.Message.Contains("HubException: Someone changed this first: ", StringComparison.Ordinal), refused.Message);
        Assert.Contains("reload the text", refused.Message, StringComparison.Ordinal);
        Assert.Equal(revision, app.ServerRevision(Draft));
        Assert.Equal(text, app.ServerText(Draft));
    }

    /// <summary>
    /// A client behind by a few large pastes is told to reload the room rather than sent them all: a catch-up holds about
    /// <see cref="CoreLimits.CatchUpUnits"/> units of events however few they are.
    /// </summary>
    [Fact]
    public async Task ACatchUpOfLargePastesIsAReloadNotGigabytes()
    {
        await using var app = Unthrottled();
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(Ct);
        var since = app.WithDb(db => db.Events.Where(e => e.MeetingId == 1).Max(e => (long?)e.Seq)) ?? 0;
        var pastes = (int)(CoreLimits.CatchUpUnits / Large) + 5;
        await PasteLargeAsync(app, hub, pastes, "paste");

        var behind = await hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, since, Ct);
        Assert.True(behind.Reset, $"{pastes} pastes of {Large:N0} characters came as {behind.Events.Count} events");
        Assert.Empty(behind.Events);

        // A client behind by two of them gets them.
        var latest = app.WithDb(db => db.Events.Where(e => e.MeetingId == 1).Max(e => e.Seq));
        var recent = await hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, latest - 2, Ct);
        Assert.False(recent.Reset);
        Assert.Equal([latest - 1, latest], recent.Events.Select(e => e.Seq));
    }
}

/// <summary>Alone in its collection: other tests allocating at the same time would blur the measure.</summary>
[CollectionDefinition(nameof(HistoryPageMemoryTests), DisableParallelization = true)]
public class HistoryPageMemoryCollection;

[Collection(nameof(HistoryPageMemoryTests))]
public class HistoryPageMemoryTests
{
    private const string Draft = "draft:1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A history page is cut at about a million UTF-16 units. The cut used to come after the page's query had read up to
    /// 1,001 whole operations; now the sizes are read first and then only the rows that fit.
    /// </summary>
    [Fact]
    public async Task AHistoryPageReadsAboutWhatItReturns()
    {
        await using var app = new BriefingApp().With("Briefing:RateLimits:HubPerSecond", "100000").With("Briefing:RateLimits:HubBurst", "100000");
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(Ct);
        var start = app.ServerRevision(Draft);
        var revision = start;
        var length = app.ServerText(Draft).Length;
        const int Large = 100_000;
        for (var i = 0; i < 300; i++)
        {
            var operation = TextOperation.Builder().Delete(length).Insert(new string((char)('a' + i % 26), Large)).Build();
            revision = (await hub.InvokeAsync<OperationAck>("SubmitOperation", 1, new SubmitOperationRequest(Draft, revision, $"big-{i}", operation), Ct)).Revision;
            length = Large;
        }

        using var chair = await app.SignInAsync("chair");
        var url = $"/api/meetings/1/texts/{Draft}/history?since={start}&limit=1000";
        await chair.GetJsonAsync<TextHistoryDto>(url);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var page = await chair.GetJsonAsync<TextHistoryDto>(url);
        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - before) / (1024 * 1024);

        Assert.True(page.More);
        Assert.InRange(page.Edits.Count, 1, 11);
        Assert.Equal(Enumerable.Range(start + 1, page.Edits.Count), page.Edits.Select(e => e.Revision));

        // The page's ten operations are about 2 MB as strings; reading all 300 was about 70 MB.
        Assert.True(allocated < 24, $"a page of {page.Edits.Count} operations allocated {allocated} MB");

        // The next page starts where this one ended.
        var next = await chair.GetJsonAsync<TextHistoryDto>($"/api/meetings/1/texts/{Draft}/history?since={page.Edits[^1].Revision}&limit=1000");
        Assert.Equal(page.Edits[^1].Revision + 1, next.Edits[0].Revision);
    }
}
