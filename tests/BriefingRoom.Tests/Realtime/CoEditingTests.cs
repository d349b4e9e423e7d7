using Microsoft.AspNetCore.SignalR.Client;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Tests.Realtime;

/// <summary>Co-editing through the hub, over the in-memory test server (long polling) and over real WebSockets on Kestrel.</summary>
public class CoEditingTests
{
    private const string Draft1 = "draft:1";

    public static TheoryData<bool> Transports => [false, true];

    private static string ServerText(BriefingApp app, int itemId) => app.ServerText($"draft:{itemId}");

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task TwoDelegatesSeeEachOthersEdits(bool realSockets)
    {
        await using var app = new BriefingApp(realSockets);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var germany = await RoomClient.JoinAsync(app, "de");

        france.Append(Draft1, "\nFrance proposes a sentence.");
        await germany.WaitUntilAsync(c => c.TextOf(Draft1).EndsWith("\nFrance proposes a sentence.", StringComparison.Ordinal), "France's sentence arrives");

        germany.Insert(Draft1, 0, "Germany: ");
        await france.WaitUntilAsync(c => c.TextOf(Draft1).StartsWith("Germany: ", StringComparison.Ordinal), "Germany's words arrive");

        await france.WaitUntilAsync(c => c.IsSynchronized(Draft1), "France's edit is acknowledged");
        Assert.Equal(ServerText(app, 1), france.TextOf(Draft1));
        Assert.Equal(ServerText(app, 1), germany.TextOf(Draft1));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ConcurrentTypingIntoOneDraftConverges(bool realSockets)
    {
        await using var app = new BriefingApp(realSockets);
        string[] typists = ["fr", "de", "pl", "secretariat"];
        var clients = new List<RoomClient>();
        foreach (var who in typists)
        {
            clients.Add(await RoomClient.JoinAsync(app, who));
        }

        const int Keystrokes = 25;
        var random = new Random(20250306);
        var typing = clients.Select((client, n) => Task.Run(async () =>
        {
            for (var k = 0; k < Keystrokes; k++)
            {
                int at;
                lock (random)
                {
                    at = random.Next(0, 400);
                }

                // Each keystroke leaves a unique mark so that losing or doubling one shows; non-ASCII on purpose.
                client.InsertOutsideMarks(Draft1, at, $"[{typists[n]}{k}·Ελλάδα]");
                if (k % 3 == 2)
                {
                    // Let the keystrokes so far go out, so that operations from all typists interleave on the server.
                    await client.WaitUntilAsync(c => c.IsSynchronized(Draft1), "the typist's keystrokes are acknowledged");
                }
            }
        }, TestContext.Current.CancellationToken)).ToList();
        await Task.WhenAll(typing);

        foreach (var client in clients)
        {
            await client.WaitUntilAsync(c => c.IsSynchronized(Draft1), "every keystroke is acknowledged");
        }

        // Nobody types any more: the server's text is final, and everyone must arrive at it.
        var server = ServerText(app, 1);
        foreach (var client in clients)
        {
            await client.WaitUntilAsync(c => c.TextOf(Draft1) == server, "every other typist's keystrokes arrive");
            Assert.Empty(client.Errors);
        }

        Assert.True(app.ServerRevision("draft:1") > typists.Length * 4, "the typists' operations interleaved on the server");

        foreach (var who in typists)
        {
            for (var k = 0; k < Keystrokes; k++)
            {
                Assert.Single(System.Text.RegularExpressions.Regex.Matches(server, System.Text.RegularExpressions.Regex.Escape($"[{who}{k}·Ελλάδα]")));
            }
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ADroppedConnectionReconnectsCatchesUpAndLosesNothing(bool realSockets)
    {
        await using var app = new BriefingApp(realSockets);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var italy = await RoomClient.JoinAsync(app, "it");

        // France types, and the link dies at once: the operation may or may not have reached the server.
        france.Insert(Draft1, 0, "Orbán ");
        await france.DropAsync();
        france.Insert(Draft1, 0, "Łódź ");

        // Meanwhile Italy keeps typing.
        italy.Append(Draft1, " (Italy)");
        italy.Append(Draft1, " 🇪🇺");
        await italy.WaitUntilAsync(c => c.IsSynchronized(Draft1), "Italy's edits are committed");

        await france.ReconnectAsync();
        await france.WaitUntilAsync(c => c.IsSynchronized(Draft1) && c.TextOf(Draft1) == ServerText(app, 1), "France catches up and its edits are committed");
        await italy.WaitUntilAsync(c => c.TextOf(Draft1) == ServerText(app, 1), "Italy sees France's edits");

        var text = ServerText(app, 1);
        Assert.StartsWith("Łódź Orbán ", text, StringComparison.Ordinal);
        Assert.EndsWith(" (Italy) 🇪🇺", text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "Orbán"));
    }

    [Fact]
    public async Task ARetriedOperationIsAppliedOnlyOnce()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var before = ServerText(app, 1);
        var insert = TextOperation.Builder().Insert("Once. ").Retain(before.Length).Build();
        var request = new SubmitOperationRequest(Draft1, 0, "retry-me", insert);

        var first = await france.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1, request, TestContext.Current.CancellationToken);
        var second = await france.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1, request, TestContext.Current.CancellationToken);

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(first.Revision, second.Revision);
        Assert.Equal(first.Seq, second.Seq);
        Assert.Equal("Once. " + before, ServerText(app, 1));
    }

    /// <summary>
    /// A client operation id answers a retry of its author's operation; another delegate's client (an API client that
    /// counts its ids) choosing the same one was answered "done" (Duplicate, with France's revision) while its edit was
    /// dropped: an acknowledged operation that is not in the text.
    /// </summary>
    [Fact]
    public async Task AnotherDelegatesOperationWithTheSameClientOperationIdIsNeverAcknowledgedWithoutBeingApplied()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var italy = await RoomClient.JoinAsync(app, "it");
        var before = ServerText(app, 1);
        var fromFrance = new SubmitOperationRequest(Draft1, 0, "op-1", TextOperation.Builder().Insert("France. ").Retain(before.Length).Build());
        var fromItaly = new SubmitOperationRequest(Draft1, 0, "op-1", TextOperation.Builder().Insert("Italy. ").Retain(before.Length).Build());

        var first = await france.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1, fromFrance, TestContext.Current.CancellationToken);
        OperationAck? second = null;
        HubException? refused = null;
        try
        {
            second = await italy.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1, fromItaly, TestContext.Current.CancellationToken);
        }
        catch (HubException ex)
        {
            refused = ex;
        }

        var text = ServerText(app, 1);
        Assert.True(second is null || text.Contains("Italy. ", StringComparison.Ordinal),
            $"Italy's operation was acknowledged (revision {second?.Revision}, duplicate: {second?.Duplicate}) but the text is \"{text}\"");
        Assert.NotNull(refused);
        Assert.Contains("HubException: The request is not valid: The client operation id 'op-1' is that of another author's", refused.Message, StringComparison.Ordinal);
        Assert.Equal("France. " + before, text);
        Assert.Equal(first.Revision, app.WithDb(db => db.TextEdits.Count(e => e.DocumentId == Draft1)));

        // France's own retry is still answered as the one operation it is.
        var again = await france.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1, fromFrance, TestContext.Current.CancellationToken);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Revision, again.Revision);
    }

    [Fact]
    public async Task EveryOperationKeepsItsAuthorAndTime()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        france.Insert(Draft1, 0, "A. ");
        await france.WaitUntilAsync(c => c.IsSynchronized(Draft1), "France's edit is committed");
        hungary.Insert(Draft1, 0, "B. ");
        await hungary.WaitUntilAsync(c => c.IsSynchronized(Draft1), "Hungary's edit is committed");

        var history = await france.Hub.InvokeAsync<TextHistoryDto>("GetTextHistory", 1, Draft1, 0, TestContext.Current.CancellationToken);

        Assert.Equal(["France delegate", "Hungary delegate"], history.Edits.Select(e => e.Author));
        Assert.Equal([1, 2], history.Edits.Select(e => e.Revision));
        Assert.All(history.Edits, e => Assert.True(e.At > DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task AnOperationThatDoesNotFitTheTextIsRefusedWithAReason()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var wrongLength = TextOperation.Builder().Retain(3).Insert("x").Build();

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var error = await Assert.ThrowsAsync<HubException>(() =>
                france.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1, new SubmitOperationRequest(Draft1, 0, "bad", wrongLength), TestContext.Current.CancellationToken));
            Assert.Contains("operation", error.Message, StringComparison.OrdinalIgnoreCase);

            error = await Assert.ThrowsAsync<HubException>(() =>
                france.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1, new SubmitOperationRequest("draft:abc", 0, "bad", wrongLength), TestContext.Current.CancellationToken));
            Assert.Contains("names no text", error.Message, StringComparison.Ordinal);

            // Only the spelling the server answers with: an acknowledgement naming "draft:1" would not be found by a client
            // waiting on "draft:01" (nor "draft:+1").
            var insert = TextOperation.Builder().Insert("x").Retain(france.TextOf(Draft1).Length).Build();
            foreach (var spelling in new[] { "draft:01", "draft:+1", "position:01:FR" })
            {
                error = await Assert.ThrowsAsync<HubException>(() =>
                    france.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1, new SubmitOperationRequest(spelling, 0, $"spelt-{spelling}", insert), TestContext.Current.CancellationToken));
                Assert.Contains("names no text", error.Message, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public async Task PositionTextsAreCoEditedByTheirDelegation()
    {
        await using var app = new BriefingApp();
        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        await using var chair = await RoomClient.JoinAsync(app, "chair");
        const string Doc = "position:1:HU";

        hungary.Append(Doc, " Hungary asks for a ceasefire first.");
        await chair.WaitUntilAsync(c => c.TextOf(Doc).EndsWith("ceasefire first.", StringComparison.Ordinal), "the chair sees Hungary's text");
        Assert.Equal(chair.TextOf(Doc), app.ServerText(Doc));
    }
}
