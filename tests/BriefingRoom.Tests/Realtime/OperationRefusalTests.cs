using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// A malformed operation is refused over the hub with words that say what is wrong with it, like every other refusal,
/// not SignalR's "an error on the server", and it changes nothing.
/// </summary>
public class OperationRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Malformed => new()
    {
        { "[0, %L]", "0 retains or deletes nothing" },
        { "[\"\", %L]", "an insert must not be empty" },
        { "[%L, \"x\\uD83D\"]", "unpaired surrogate" },
        { "[%L, \"%BIG\"]", "limit" },
        { "{\"evil\": true}", "is a JSON array" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedOperationIsRefusedWithItsReason(string operation, string reason)
    {
        await using var app = new BriefingApp(realSockets: true);
        var length = app.ServerText("draft:1").Length;
        var json = operation.Replace("%L", length.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("%BIG", new string('x', 1_000_000), StringComparison.Ordinal);
        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            // A raw frame, so that the operation reaches the server exactly as written (no client library rewrites it).
            using var socket = new ClientWebSocket();
            socket.Options.SetBuffer(1 << 16, 1 << 16);
            var url = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/briefing", Query = $"access_token={Uri.EscapeDataString(await app.TokenForAsync("fr"))}" }.Uri;
            await socket.ConnectAsync(url, Ct);
            var frames = "{\"protocol\":\"json\",\"version\":1}\u001e"
                + "{\"type\":1,\"target\":\"SubmitOperation\",\"invocationId\":\"7\",\"arguments\":[1,{\"documentId\":\"draft:1\",\"baseRevision\":0,\"clientOpId\":\"malformed\",\"operation\":" + json + "}]}\u001e";
            await socket.SendAsync(Encoding.UTF8.GetBytes(frames), WebSocketMessageType.Text, true, Ct);
            var completion = await ReadCompletionAsync(socket, "7");
            var error = completion.GetProperty("error").GetString()!;
            Assert.DoesNotContain("error on the server", error, StringComparison.Ordinal);
            Assert.Contains(reason, error, StringComparison.Ordinal);
            Assert.Contains("operation", error, StringComparison.Ordinal);
        });
    }

    /// <summary>Reads SignalR frames until the completion of invocation <paramref name="id"/>.</summary>
    private static async Task<JsonElement> ReadCompletionAsync(ClientWebSocket socket, string id)
    {
        var buffer = new byte[1 << 16];
        var pending = new StringBuilder();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, Ct);
            Assert.NotEqual(WebSocketMessageType.Close, received.MessageType);
            pending.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
            var text = pending.ToString();
            var end = text.LastIndexOf('\u001e');
            if (end < 0)
            {
                continue;
            }

            pending.Clear().Append(text[(end + 1)..]);
            foreach (var frame in text[..end].Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
            {
                using var message = JsonDocument.Parse(frame);
                if (message.RootElement.TryGetProperty("invocationId", out var invocation) && invocation.GetString() == id)
                {
                    return message.RootElement.Clone();
                }
            }
        }
    }
}
