using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>An event as a .NET client receives it: the payload stays JSON until someone looks at it.</summary>
public sealed record ClientEvent(int MeetingId, long Seq, string Type, int? ItemId, JsonElement Payload, string ActorId, string Actor, DateTimeOffset At);

public sealed record ClientEventsPage(IReadOnlyList<ClientEvent> Events, long UpTo, bool Reset);

/// <summary>A batch of events as a .NET client receives it (see EventBatchDto).</summary>
public sealed record ClientEventBatch(int MeetingId, long From, long UpTo, IReadOnlyList<ClientEvent> Events);

/// <summary>
/// A participant's side of the room over the real hub, following the same rules as the browser: events applied
/// strictly in sequence order, gaps filled with GetEventsSince, one OT client per text with the acknowledgement
/// taken from the event stream, and after a reconnect: rejoin, catch up, resend what was in flight.
/// </summary>
public sealed class RoomClient : IAsyncDisposable
{
    private readonly Func<HubConnection> _newConnection;
    private readonly Func<Task<MeetingSnapshot>> _loadSnapshot;
    private readonly int _meetingId;
    private readonly Lock _gate = new();
    private readonly List<ClientEventBatch> _pending = [];
    private readonly Dictionary<string, Doc> _docs = [];
    private readonly List<ClientEvent> _applied = [];
    private readonly List<string> _errors = [];
    private readonly Dictionary<string, PresenceUserDto> _people = new(StringComparer.Ordinal);
    private readonly List<PresenceDto> _presenceSeen = [];
    private HubConnection _hub;
    private long _lastSeq;
    private int _batches;
    private bool _offline;
    private bool _catchingUp;
    private TaskCompletionSource _changed = NewSignal();

    private RoomClient(Func<HubConnection> newConnection, Func<Task<MeetingSnapshot>> loadSnapshot, int meetingId)
    {
        _newConnection = newConnection;
        _loadSnapshot = loadSnapshot;
        _meetingId = meetingId;
        _hub = Wire(newConnection());
    }

    public string Who { get; private init; } = "";
    public MeetingSnapshot? Snapshot { get; private set; }
    public PresenceDto? Presence { get; private set; }

    /// <summary>Every person a presence delta said had left, and every connection it said was gone, in the order received.</summary>
    public IReadOnlyList<string> LeftSeen => [.. PresenceSeen.SelectMany(p => p.Left)];

    public IReadOnlyList<string> GoneSeen => [.. PresenceSeen.SelectMany(p => p.Gone)];

    /// <summary>Every presence message this connection was sent, as sent (wholes and deltas), in the order they came.</summary>
    public IReadOnlyList<PresenceDto> PresenceSeen
    {
        get { lock (_gate) { return [.. _presenceSeen]; } }
    }

    public List<CaretDto> Carets { get; } = [];
    public HubConnection Hub => _hub;

    /// <summary>How many batches of events arrived live.</summary>
    public int Batches
    {
        get { lock (_gate) { return _batches; } }
    }

    public long LastSeq
    {
        get { lock (_gate) { return _lastSeq; } }
    }

    /// <summary>Every event applied, in the order applied.</summary>
    public IReadOnlyList<ClientEvent> Events
    {
        get { lock (_gate) { return [.. _applied]; } }
    }

    /// <summary>Refusals of operations this client sent (the server's words).</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_gate) { return [.. _errors]; } }
    }

    /// <summary>The items this client's picture of the room shows <paramref name="delegationCode"/> on; null when it shows no one of it.</summary>
    public IReadOnlyList<int>? ItemsOf(string delegationCode) =>
        Presence?.Users.SingleOrDefault(u => u.DelegationCode == delegationCode)?.ItemIds;

    /// <summary>Puts this connection's caret at <paramref name="anchor"/> of <paramref name="documentId"/> (as of revision 0): the hub call itself.</summary>
    public Task MoveCaretAsync(string documentId, int anchor) =>
        _hub.InvokeAsync("MoveCaret", _meetingId, new { documentId, revision = 0, anchor, head = anchor }, TestContext.Current.CancellationToken);

    public static async Task<RoomClient> JoinAsync(BriefingApp app, string who, int meetingId = BriefingApp.DemoMeetingId)
    {
        var token = await app.TokenForAsync(who);
        return await JoinAsync(() => app.NewHubConnection(token), () => app.SnapshotAsync(token, meetingId), who, meetingId);
    }

    /// <summary>
    /// Joins through connections made by <paramref name="connect"/>, which may lead to another instance after a reconnect;
    /// the snapshot comes from <paramref name="loadSnapshot"/> (over HTTP, as the browser loads it).
    /// </summary>
    public static async Task<RoomClient> JoinAsync(Func<HubConnection> connect, Func<Task<MeetingSnapshot>> loadSnapshot, string who, int meetingId = BriefingApp.DemoMeetingId)
    {
        var client = new RoomClient(connect, loadSnapshot, meetingId) { Who = who };
        await client.StartAsync();
        return client;
    }

    /// <summary>Joins an app that runs in another process, over WebSockets, signed in with a bearer token.</summary>
    public static async Task<RoomClient> JoinAsync(Uri server, string token, string who, int meetingId = BriefingApp.DemoMeetingId)
    {
        var client = new RoomClient(() => HubConnections.NewHubConnection(server, token), () => HubConnections.SnapshotAsync(server, token, meetingId), meetingId) { Who = who };
        await client.StartAsync();
        return client;
    }

    public string TextOf(string documentId)
    {
        lock (_gate)
        {
            return _docs.TryGetValue(documentId, out var doc) ? doc.Text : throw new KeyNotFoundException($"{Who} has no text {documentId}.");
        }
    }

    public int RevisionOf(string documentId)
    {
        lock (_gate)
        {
            return _docs[documentId].Ot.Revision;
        }
    }

    public bool IsSynchronized(string documentId)
    {
        lock (_gate)
        {
            return _docs[documentId].Ot.State == OtClientState.Synchronized;
        }
    }

    /// <summary>Types into a text: applied locally at once, sent when nothing else of this text is in flight.</summary>
    public void Edit(string documentId, Func<string, TextOperation> edit)
    {
        OtSubmission? send;
        lock (_gate)
        {
            if (!_docs.TryGetValue(documentId, out var doc))
            {
                doc = _docs[documentId] = new Doc("", new OtClient(0));
            }

            var op = edit(doc.Text);
            doc.Text = op.Apply(doc.Text);
            send = doc.Ot.ApplyLocal(op);
        }

        Send(documentId, send);
        Signal();
    }

    /// <summary>Inserts <paramref name="text"/> at <paramref name="index"/> (clamped to the text).</summary>
    public void Insert(string documentId, int index, string text) => Edit(documentId, current =>
    {
        var at = Math.Clamp(index, 0, current.Length);
        return TextOperation.Builder().Retain(at).Insert(text).Retain(current.Length - at).Build();
    });

    public void Append(string documentId, string text) => Insert(documentId, int.MaxValue, text);

    /// <summary>
    /// Fills the text's window with fragmented operations, as an attacker or a broken client would send them: each
    /// replaces every other character of the text's last 6,000 (some nine thousand components), until the window's
    /// component budget is passed, each one committed before the next. The text must end with 6,000 characters to work on.
    /// </summary>
    public async Task FragmentWindowAsync(string documentId)
    {
        var fragmented = (int)(Live.CoreLimits.WindowComponents / 9_000) + 2;
        for (var i = 0; i < fragmented; i++)
        {
            var fill = i % 2 == 0 ? "y" : "x";
            Edit(documentId, text =>
            {
                var builder = TextOperation.Builder().Retain(text.Length - 6_000);
                for (var at = 0; at < 6_000; at += 2)
                {
                    builder.Delete(1).Insert(fill).Retain(1);
                }

                return builder.Build();
            });
            await WaitUntilAsync(c => c.IsSynchronized(documentId), "the fragmented operation is committed");
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking whenever anything arrives; never sleeps.</summary>
    public async Task WaitUntilAsync(Func<RoomClient, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"{Who}: timed out waiting until {what}. Last seq {LastSeq}; errors: {string.Join(" | ", Errors)}");
            }
        }
    }

    /// <summary>The link dies: nothing more arrives, and whatever is in flight stays unacknowledged.</summary>
    public async Task DropAsync()
    {
        lock (_gate)
        {
            _offline = true;
        }

        await _hub.DisposeAsync();
    }

    /// <summary>A new connection: rejoin the meeting's groups, catch up on what was missed, resend what was in flight.</summary>
    public async Task ReconnectAsync()
    {
        _hub = Wire(_newConnection());
        lock (_gate)
        {
            _offline = false;
        }

        await _hub.StartAsync(TestContext.Current.CancellationToken);
        await _hub.InvokeAsync<JoinedDto>("JoinMeeting", _meetingId, TestContext.Current.CancellationToken);
        await CatchUpAsync();
        List<(string, OtSubmission?)> resend;
        lock (_gate)
        {
            resend = [.. _docs.Select(d => (d.Key, d.Value.Ot.Resend()))];
        }

        foreach (var (documentId, submission) in resend)
        {
            Send(documentId, submission);
        }
    }

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    private async Task StartAsync()
    {
        await _hub.StartAsync(TestContext.Current.CancellationToken);
        var joined = await _hub.InvokeAsync<JoinedDto>("JoinMeeting", _meetingId, TestContext.Current.CancellationToken);
        // As the browser does: join first, so that nothing committed after the snapshot is missed, then load the room.
        var snapshot = (await _loadSnapshot()) with { You = joined.You };
        lock (_gate)
        {
            Snapshot = snapshot;
            _lastSeq = snapshot.Seq;
            foreach (var text in snapshot.Texts)
            {
                _docs[text.Id] = new Doc(text.Text, new OtClient(text.Revision));
            }

            Drain();
        }
    }

    private HubConnection Wire(HubConnection hub)
    {
        hub.On<ClientEventBatch>(nameof(IBriefingClient.MeetingEvents), OnBatch);
        hub.On<PresenceDto>(nameof(IBriefingClient.PresenceChanged), p =>
        {
            lock (_gate)
            {
                // Deltas, as the browser applies them; Presence is the whole room they add up to.
                if (p.Full)
                {
                    _people.Clear();
                }

                foreach (var userId in p.Left)
                {
                    _people.Remove(userId);
                }

                _presenceSeen.Add(p);

                foreach (var user in p.Users)
                {
                    _people[user.UserId] = user;
                }

                Presence = new PresenceDto(p.MeetingId, [.. _people.Values.OrderBy(u => u.Name, StringComparer.Ordinal)], [], Full: true, []);
            }

            Signal();
        });
        hub.On<List<CaretDto>>(nameof(IBriefingClient.CaretsMoved), carets =>
        {
            lock (_gate)
            {
                Carets.AddRange(carets);
            }

            Signal();
        });
        return hub;
    }

    private void OnBatch(ClientEventBatch batch)
    {
        bool gap;
        lock (_gate)
        {
            if (_offline || batch.MeetingId != _meetingId || batch.UpTo <= _lastSeq)
            {
                return;
            }

            _batches++;
            _pending.Add(batch);
            Drain();
            gap = _pending.Count > 0 && !_catchingUp;
            _catchingUp |= gap;
        }

        if (gap)
        {
            _ = CatchUpAsync();
        }

        Signal();
    }

    private async Task CatchUpAsync()
    {
        long since;
        lock (_gate)
        {
            since = _lastSeq;
            _catchingUp = true;
        }

        try
        {
            var page = await _hub.InvokeAsync<ClientEventsPage>("GetEventsSince", _meetingId, since, TestContext.Current.CancellationToken);
            Assert.False(page.Reset, "The test missed more events than the catch-up limit.");
            lock (_gate)
            {
                foreach (var e in page.Events.Where(e => e.Seq > _lastSeq))
                {
                    Apply(e);
                }

                _lastSeq = Math.Max(_lastSeq, page.UpTo);
                Drain();
            }
        }
        finally
        {
            lock (_gate)
            {
                _catchingUp = false;
            }

            Signal();
        }
    }

    /// <summary>Applies the batches that continue the sequence (one that starts at or before our last number), in order.</summary>
    private void Drain()
    {
        while (true)
        {
            _pending.RemoveAll(b => b.UpTo <= _lastSeq);
            var next = _pending.Where(b => b.From <= _lastSeq).MinBy(b => b.From);
            if (next is null)
            {
                return;
            }

            _pending.Remove(next);
            foreach (var e in next.Events.Where(e => e.Seq > _lastSeq).OrderBy(e => e.Seq))
            {
                Apply(e);
            }

            _lastSeq = Math.Max(_lastSeq, next.UpTo);
        }
    }

    private void Apply(ClientEvent e)
    {
        _lastSeq = e.Seq;
        _applied.Add(e);
        if (e.Type != "text.edited")
        {
            return;
        }

        var edited = e.Payload.Deserialize<TextEditedDto>(BriefingJson.Options)!;
        if (!_docs.TryGetValue(edited.DocumentId, out var doc))
        {
            doc = _docs[edited.DocumentId] = new Doc("", new OtClient(0));
        }

        if (doc.Ot.InFlightOpId == edited.ClientOpId)
        {
            Send(edited.DocumentId, doc.Ot.ServerAck());
        }
        else if (edited.Revision == doc.Ot.Revision + 1)
        {
            doc.Text = doc.Ot.ApplyServer(edited.Operation).Apply(doc.Text);
        }
        else if (edited.Revision > doc.Ot.Revision + 1)
        {
            throw new InvalidOperationException($"{Who}: {edited.DocumentId} jumped from revision {doc.Ot.Revision} to {edited.Revision}.");
        }
    }

    private void Send(string documentId, OtSubmission? submission)
    {
        if (submission is null)
        {
            return;
        }

        var request = new SubmitOperationRequest(documentId, submission.BaseRevision, submission.ClientOpId, submission.Operation);
        // The same JSON as the browser's: the operation in its wire form.
        var hub = _hub;
        _ = Task.Run(async () =>
        {
            try
            {
                await hub.InvokeAsync<OperationAck>("SubmitOperation", _meetingId, request);
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _errors.Add(ex.Message);
                }

                Signal();
            }
        });
    }

    private void Signal()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _changed;
            _changed = NewSignal();
        }

        done.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Doc(string text, OtClient ot)
    {
        public string Text { get; set; } = text;
        public OtClient Ot { get; } = ot;
    }
}

public static class HubConnections
{
    /// <summary>
    /// A hub connection to the app: over real WebSockets when the app runs on Kestrel, otherwise through the
    /// in-memory test server, which carries SignalR only by long polling.
    /// </summary>
    public static HubConnection NewHubConnection(this BriefingApp app, string token)
    {
        var builder = new HubConnectionBuilder().AddJsonProtocol(o => BriefingJson.Configure(o.PayloadSerializerOptions));
        if (app.RealSockets)
        {
            builder.WithUrl(new Uri(app.BaseAddress, "/hubs/briefing"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            });
        }
        else
        {
            var server = app.Server;
            builder.WithUrl(new Uri(server.BaseAddress, "/hubs/briefing"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// A hub connection over a real WebSocket after SignalR's negotiation, so that the client knows its connection id (the
    /// one carets and "gone" name); the other <c>NewHubConnection</c> skips the negotiation.
    /// </summary>
    public static HubConnection NewNamedHubConnection(this BriefingApp app, string token) => new HubConnectionBuilder()
        .AddJsonProtocol(o => BriefingJson.Configure(o.PayloadSerializerOptions))
        .WithUrl(new Uri(app.BaseAddress, "/hubs/briefing"), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        })
        .Build();

    /// <summary>Joins meeting 1 as <paramref name="who"/> on a <see cref="NewNamedHubConnection"/>.</summary>
    public static async Task<RoomClient> JoinNamedAsync(this BriefingApp app, string who)
    {
        var token = await app.TokenForAsync(who);
        return await RoomClient.JoinAsync(() => app.NewNamedHubConnection(token), () => app.SnapshotAsync(token, BriefingApp.DemoMeetingId), who);
    }

    /// <summary>
    /// Submits on <paramref name="baseRevision"/>, when the text was <paramref name="baseLength"/> long, an operation that
    /// appends <paramref name="text"/> to <paramref name="document"/> of meeting 1: the hub call itself, with the test's own revisions.
    /// </summary>
    public static Task<OperationAck> AppendAsync(this HubConnection hub, string document, int baseRevision, int baseLength, string clientOpId, string text) =>
        hub.InvokeAsync<OperationAck>("SubmitOperation", 1,
            new SubmitOperationRequest(document, baseRevision, clientOpId, TextOperation.Builder().Retain(baseLength).Insert(text).Build()), TestContext.Current.CancellationToken);

    /// <summary>Completes, with the reason if any, when <paramref name="hub"/> closes; call it before starting the connection.</summary>
    public static Task<Exception?> WhenClosed(this HubConnection hub)
    {
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    /// <summary>The room as the client loads it after joining: GET /api/meetings/{id}/snapshot, signed in with the bearer token.</summary>
    public static async Task<MeetingSnapshot> SnapshotAsync(this BriefingApp app, string token, int meetingId)
    {
        using var http = app.CreateClient();
        return await SnapshotAsync(http, token, meetingId);
    }

    public static async Task<MeetingSnapshot> SnapshotAsync(Uri server, string token, int meetingId)
    {
        using var http = new HttpClient { BaseAddress = server };
        return await SnapshotAsync(http, token, meetingId);
    }

    private static async Task<MeetingSnapshot> SnapshotAsync(HttpClient http, string token, int meetingId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/meetings/{meetingId}/snapshot");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<MeetingSnapshot>(response.Content, BriefingJson.Options, TestContext.Current.CancellationToken))!;
    }

    /// <summary>A hub connection over WebSockets to an app listening at <paramref name="server"/>.</summary>
    public static HubConnection NewHubConnection(Uri server, string token) =>
        new HubConnectionBuilder()
            .AddJsonProtocol(o => BriefingJson.Configure(o.PayloadSerializerOptions))
            .WithUrl(new Uri(server, "/hubs/briefing"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
}
