// The cheapest broadcast this stack can do, for floor.mjs: the same message, at a fixed rate, to every connected
// client, with nothing else in the process. Two ways, chosen by the first argument:
//   signalr    SignalR (JSON protocol, WebSockets) Clients.All.SendAsync, serialized once per message, as
//              BriefingRoom's group sends are; each connection's copy goes through SignalR's pipe, its WebSocket loop
//              and Kestrel's socket sender;
//   websocket  Kestrel's own WebSockets, no SignalR: the message's bytes handed to each connection's
//              WebSocket.SendAsync from the broadcasting thread, then Kestrel's socket sender.
// POST /start?rate=R&seconds=S&bytes=B starts the broadcast; GET /clients says how many are connected.
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.SignalR;

var mode = args.Length > 0 ? args[0] : "websocket";
var port = args.Length > 1 ? int.Parse(args[1]) : 5099;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddSignalR();
var app = builder.Build();
app.UseWebSockets();

var sockets = new ConcurrentDictionary<Peer, byte>();
var signalrClients = 0;
FloorHub.Connected = delta => Interlocked.Add(ref signalrClients, delta);

app.Map("/ws", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest) { context.Response.StatusCode = 400; return; }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var peer = new Peer(socket);
    sockets[peer] = 0;
    var buffer = new byte[1024];
    try
    {
        while (socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close) break;
        }
    }
    catch (Exception) { /* the client went away */ }
    sockets.TryRemove(peer, out _);
});
app.MapHub<FloorHub>("/hub");
app.MapGet("/clients", () => mode == "signalr" ? Volatile.Read(ref signalrClients) : sockets.Count);
app.MapPost("/start", (int rate, int seconds, int bytes, IHubContext<FloorHub> hub) =>
{
    _ = Task.Run(() => Broadcast(rate, seconds, bytes, hub));
    return Results.Ok();
});
app.Run();

async Task Broadcast(int rate, int seconds, int bytes, IHubContext<FloorHub> hub)
{
    var period = TimeSpan.FromSeconds(1.0 / rate);
    var start = DateTime.UtcNow;
    var pad = new string('x', Math.Max(0, bytes - 60));
    using var timer = new PeriodicTimer(period);
    for (var n = 0; DateTime.UtcNow - start < TimeSpan.FromSeconds(seconds); n++)
    {
        await timer.WaitForNextTickAsync();
        var at = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        if (mode == "signalr")
        {
            _ = hub.Clients.All.SendAsync("m", new Stamp(n, at, pad));
            continue;
        }
        var message = Encoding.UTF8.GetBytes($"{{\"n\":{n},\"t\":{at:R},\"pad\":\"{pad}\"}}");
        foreach (var peer in sockets.Keys) peer.Send(message);
    }
}

record Stamp(int N, double T, string Pad);

/// <summary>One WebSocket; a send waits for the previous one only when that one has not finished (rare).</summary>
sealed class Peer(WebSocket socket)
{
    private Task pending = Task.CompletedTask;

    public void Send(byte[] message)
    {
        lock (this)
        {
            if (!pending.IsCompleted)
            {
                pending = pending.ContinueWith(_ => socket.SendAsync(message.AsMemory(), WebSocketMessageType.Text, true, default).AsTask()).Unwrap();
                return;
            }
            var sent = socket.SendAsync(message.AsMemory(), WebSocketMessageType.Text, true, default);
            if (!sent.IsCompletedSuccessfully) pending = sent.AsTask();
        }
    }
}

sealed class FloorHub : Hub
{
    public static Action<int> Connected = _ => { };
    public override Task OnConnectedAsync() { Connected(1); return Task.CompletedTask; }
    public override Task OnDisconnectedAsync(Exception? exception) { Connected(-1); return Task.CompletedTask; }
}
