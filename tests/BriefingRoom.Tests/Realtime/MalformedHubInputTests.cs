using System.Net.WebSockets;
using System.Text;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Realtime;

/// <summary>No hub call or malformed message may crash the app, change anything, or disturb anyone else.</summary>
public class MalformedHubInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Frames =>
    [
        "not json at all\u001e",
        "{\"protocol\":\"json\",\"version\":1}\u001e{\"type\":1,\"target\":\"SubmitOperation\",\"arguments\":[1,{\"documentId\":\"draft:1\",\"baseRevision\":\"zero\",\"clientOpId\":\"x\",\"operation\":[0]}],\"invocationId\":\"1\"}\u001e",
        "{\"protocol\":\"json\",\"version\":1}\u001e{\"type\":1,\"target\":\"SubmitOperation\",\"arguments\":[1,{\"documentId\":\"draft:1\",\"baseRevision\":0,\"clientOpId\":\"x\",\"operation\":{\"evil\":true}}],\"invocationId\":\"1\"}\u001e",
        "{\"protocol\":\"json\",\"version\":1}\u001e{\"type\":1,\"target\":\"NoSuchMethod\",\"arguments\":[],\"invocationId\":\"1\"}\u001e",
        "{\"protocol\":\"json\",\"version\":1}\u001e{\"type\":1,\"target\":\"JoinMeeting\",\"arguments\":[\"1; DROP TABLE Meetings\"],\"invocationId\":\"1\"}\u001e",
        "{\"protocol\":\"json\",\"version\":1}\u001e{\"type\":1,\"target\":\"MoveCaret\",\"arguments\":[1,null],\"invocationId\":\"1\"}\u001e",
        "{\"protocol\":\"json\",\"version\":1}\u001e{\"type\":99}\u001e",
        "{\"protocol\":\"messagepack\",\"version\":1}\u001e",
        "{\"protocol\":\"json\",\"version\":1}\u001e" + new string('[', 5_000) + "\u001e",
    ];

    /// <summary>
    /// A text has one name, the one the acknowledgement and the events give it: "position:1:fr" was accepted and answered
    /// as "position:1:FR", so a client looking for the id it sent never found its acknowledgement.
    /// </summary>
    [Fact]
    public async Task APositionTextNamedWithTheDelegationInSmallLettersIsRefusedSayingHowToNameIt()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var insert = global::BriefingRoom.Drafting.Ot.TextOperation.Builder().Insert("Nous soutenons.").Build();

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeAsync<global::BriefingRoom.Drafting.OperationAck>(
                "SubmitOperation", 1, new global::BriefingRoom.Drafting.SubmitOperationRequest("position:1:fr", 0, "lower-1", insert), Ct));
            Assert.Contains("position:1:FR", refused.Message, StringComparison.Ordinal);
            Assert.Contains("capital letters", refused.Message, StringComparison.Ordinal);
        });

        var ack = await france.Hub.InvokeAsync<global::BriefingRoom.Drafting.OperationAck>(
            "SubmitOperation", 1, new global::BriefingRoom.Drafting.SubmitOperationRequest("position:1:FR", 0, "upper-1", insert), Ct);
        Assert.Equal("position:1:FR", ack.DocumentId);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task AMalformedMessageChangesNothingAndDisturbsNoOne(string frames)
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var germany = await RoomClient.JoinAsync(app, "de");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            using var rogue = new ClientWebSocket();
            await rogue.ConnectAsync(await FrancesHubAddressAsync(app), Ct);
            await rogue.SendAsync(Encoding.UTF8.GetBytes(frames), WebSocketMessageType.Text, true, Ct);
            // Read until the server answers or closes the connection: either way it has dealt with the frames.
            var buffer = new byte[64 * 1024];
            var answer = await rogue.ReceiveAsync(buffer, Ct);
            Assert.True(answer.MessageType == WebSocketMessageType.Close || answer.Count > 0);
        });

        germany.Insert("draft:1", 0, "Still here. ");
        await germany.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "the room works on");
        Assert.Equal("Healthy", await app.CreateClient().GetStringAsync("/healthz", Ct));
    }

    [Fact]
    public async Task WrongArgumentsGetAClearErrorAndTheConnectionStays()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            await Assert.ThrowsAnyAsync<HubException>(() => france.Hub.InvokeAsync<object>("SubmitOperation", 1, new { documentId = "draft:1" }, Ct));
            await Assert.ThrowsAnyAsync<HubException>(() => france.Hub.InvokeAsync<object>("SetPosition", 1, 1, "FR", new { stance = "bogus", expectedVersion = 1 }, Ct));
            await Assert.ThrowsAnyAsync<HubException>(() => france.Hub.InvokeAsync<object>("GetTextHistory", 1, "position:1:ZZ", -5, Ct));
            await Assert.ThrowsAnyAsync<HubException>(() => france.Hub.InvokeAsync<object>("Focus", 1, 999, Ct));
            await Assert.ThrowsAnyAsync<HubException>(() => france.Hub.InvokeAsync<object>("GetEventsSince", 1, -1L, Ct));
        });

        Assert.Equal(HubConnectionState.Connected, france.Hub.State);
    }

    /// <summary>
    /// A delegation code is at most a few characters; a hub argument may be a megabyte. The refusal named the whole code
    /// back ("Delegation XXX… does not take part"), into the answer and into the log line of every refused call.
    /// </summary>
    [Fact]
    public async Task AHugeDelegationCodeIsRefusedInAFewWordsAndChangesNothing()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var code = new string('x', 300_000);

        var refused = await Fingerprint.AssertUnchangedAsync(app, () => Assert.ThrowsAsync<HubException>(() =>
            france.Hub.InvokeAsync<object>("SetPosition", 1, 1, code, new { stance = "support", expectedVersion = 1 }, Ct)));

        Assert.Contains("HubException: The request is not valid: A delegation code has at most 8 characters", refused.Message, StringComparison.Ordinal);
        Assert.True(refused.Message.Length < 500, $"the refusal is {refused.Message.Length:N0} characters long");
        Assert.Equal(HubConnectionState.Connected, france.Hub.State);
    }

    /// <summary>Frames a SignalR client cannot send: half a surrogate pair, escaped, inside an argument.</summary>
    public static TheoryData<string, string, string> HalfSurrogates => new()
    {
        { "SubmitOperation", "[1,{\"documentId\":\"draft:1\",\"baseRevision\":0,\"clientOpId\":\"x\",\"operation\":[\"\\ud800\"]}]", "operation: Component 1 of the operation: the inserted text holds an unpaired surrogate" },
        { "SubmitOperation", "[1,{\"documentId\":\"draft:1\",\"baseRevision\":0,\"clientOpId\":\"\\udc00\",\"operation\":[\"a\"]}]", "clientOpId: The text is not valid Unicode" },
        { "GetTextHistory", "[1,\"draft:\\ud800\",0]", "documentId: The text is not valid Unicode" },
        { "Focus", "[1,\"\\ud800\"]", "itemId: Expected" },
    };

    [Theory]
    [MemberData(nameof(HalfSurrogates))]
    public async Task HalfASurrogatePairInAnArgumentIsRefusedByNameAndTheConnectionStays(string target, string arguments, string words)
    {
        await using var app = new BriefingApp(realSockets: true);
        using var rogue = new ClientWebSocket();
        var records = await JoinedAsync(app, rogue);

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            await SendAsync(rogue, $"{{\"type\":1,\"target\":\"{target}\",\"arguments\":{arguments},\"invocationId\":\"1\"}}\u001e");
            var completion = await records.CompletionAsync("1");
            Assert.Contains($"HubException: The request is not valid: {words}", completion);
        });

        // The connection stays, and answers the next call.
        await SendAsync(rogue, "{\"type\":1,\"target\":\"GetEventsSince\",\"arguments\":[1,0],\"invocationId\":\"2\"}\u001e");
        Assert.DoesNotContain("\"error\"", await records.CompletionAsync("2"));
    }

    /// <summary>
    /// An argument nested deeper than SignalR's JSON reader goes (64 levels) closed the caller's connection with no word
    /// of why, where any other argument that cannot be read is refused by name. Such a call is now refused as they are;
    /// one sent without waiting for an answer is dropped; and the connection stays.
    /// </summary>
    [Fact]
    public async Task AnArgumentNestedTooDeeplyIsRefusedSayingSoAndTheConnectionStays()
    {
        await using var app = new BriefingApp(realSockets: true);
        using var rogue = new ClientWebSocket();
        var records = await JoinedAsync(app, rogue);
        var deep = new string('[', 70) + "\"a\"" + new string(']', 70);
        var operation = $"[1,{{\"documentId\":\"draft:1\",\"baseRevision\":0,\"clientOpId\":\"deep\",\"operation\":{deep}}}]";

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            await SendAsync(rogue, $"{{\"type\":1,\"target\":\"SubmitOperation\",\"arguments\":{operation}}}\u001e");
            await SendAsync(rogue, $"{{\"type\":1,\"target\":\"SubmitOperation\",\"arguments\":{operation},\"invocationId\":\"1\"}}\u001e");
            var completion = await records.CompletionAsync("1");
            Assert.Contains("HubException: The request is not valid: the message is nested deeper than 64 levels", completion);
        });

        await SendAsync(rogue, "{\"type\":1,\"target\":\"GetEventsSince\",\"arguments\":[1,0],\"invocationId\":\"2\"}\u001e");
        Assert.DoesNotContain("\"error\"", await records.CompletionAsync("2"));
    }

    /// <summary>France's raw WebSocket to the hub, past the handshake and joined to meeting 1 (invocation "0"), and its records.</summary>
    private static async Task<RecordReader> JoinedAsync(BriefingApp app, ClientWebSocket rogue)
    {
        await rogue.ConnectAsync(await FrancesHubAddressAsync(app), Ct);
        var records = new RecordReader(rogue);
        await SendAsync(rogue, "{\"protocol\":\"json\",\"version\":1}\u001e");
        Assert.Equal("{}", await records.NextAsync());
        await SendAsync(rogue, "{\"type\":1,\"target\":\"JoinMeeting\",\"arguments\":[1],\"invocationId\":\"0\"}\u001e");
        await records.CompletionAsync("0");
        return records;
    }

    /// <summary>The hub's WebSocket address with France's token, as a client that is not SignalR's would open it.</summary>
    private static async Task<Uri> FrancesHubAddressAsync(BriefingApp app) =>
        new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/briefing", Query = $"access_token={Uri.EscapeDataString(await app.TokenForAsync("fr"))}" }.Uri;

    private static Task SendAsync(ClientWebSocket socket, string frames) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(frames), WebSocketMessageType.Text, true, Ct);

    /// <summary>
    /// The records (SignalR messages, each ended by the record separator) a raw socket receives, one at a time. One
    /// WebSocket message can carry several: the server sends whatever its pipe holds, so a busy machine can put the
    /// keep-alive ping right behind the handshake's "{}", or behind a completion.
    /// </summary>
    private sealed class RecordReader(ClientWebSocket socket)
    {
        private readonly Queue<string> _pending = new();

        public async Task<string> NextAsync()
        {
            while (_pending.Count == 0)
            {
                foreach (var record in (await ReceiveMessageAsync()).Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
                {
                    _pending.Enqueue(record);
                }
            }

            return _pending.Dequeue();
        }

        /// <summary>The completion of invocation <paramref name="id"/>, past pings and room messages.</summary>
        public async Task<string> CompletionAsync(string id)
        {
            while (true)
            {
                var record = await NextAsync();
                if (record.Contains("\"type\":3") && record.Contains($"\"invocationId\":\"{id}\""))
                {
                    return record;
                }
            }
        }

        private async Task<string> ReceiveMessageAsync()
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var part = await socket.ReceiveAsync(buffer, Ct);
                Assert.NotEqual(WebSocketMessageType.Close, part.MessageType);
                message.Write(buffer, 0, part.Count);
                if (part.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                }
            }
        }
    }
}
