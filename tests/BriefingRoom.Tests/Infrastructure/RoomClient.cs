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

/// <summary>
/// A participant's side of the room over the real hub, following the same rules as the browser: events applied
/// strictly in sequence order, gaps filled with GetEventsSince, one OT client per text with the acknowledgement
/// taken from the event stream, and after a reconnect: rejoin, catch up, resend what was in flight.
/// </summary>
public sealed class RoomClient : IAsyncDisposable
{
    private readonly Func<HubConnection> _newConnection;
    private readonly int _meetingId;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, ClientEvent> _pending = [];
    private readonly Dictionary<string, Doc> _docs = [];
    private readonly List<ClientEvent> _applied = [];
    private readonly List<string> _errors = [];
    private HubConnection _hub;
    private long _lastSeq;
    private bool _offline;
    private bool _catchingUp;
    private TaskCompletionSource _changed = NewSignal();

    private RoomClient(Func<HubConnection> newConnection, int meetingId)
    {
        _newConnection = newConnection;
        _meetingId = meetingId;
        _hub = Wire(newConnection());
    }

    public string Who { get; private init; } = "";
    public MeetingSnapshot? Snapshot { get; private set; }
    public PresenceDto? Presence { get; private set; }
    public List<CaretDto> Carets { get; } = [];
    public HubConnection Hub => _hub;

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

    public static async Task<RoomClient> JoinAsync(BriefingApp app, string who, int meetingId = BriefingApp.DemoMeetingId)
    {
        var token = await app.TokenForAsync(who);
        return await JoinAsync(() => app.NewHubConnection(token), who, meetingId);
    }

    /// <summary>Joins through connections made by <paramref name="connect"/>, which may lead to another instance after a reconnect.</summary>
    public static async Task<RoomClient> JoinAsync(Func<HubConnection> connect, string who, int meetingId = BriefingApp.DemoMeetingId)
    {
        var client = new RoomClient(connect, meetingId) { Who = who };
        await client.StartAsync();
        return client;
    }

    /// <summary>Joins an app that runs in another process, over WebSockets, signed in with a bearer token.</summary>
    public static async Task<RoomClient> JoinAsync(Uri server, string token, string who, int meetingId = BriefingApp.DemoMeetingId)
    {
        var client = new RoomClient(() => HubConnections.NewHubConnection(server, token), meetingId) { Who = who };
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
        await _hub.InvokeAsync<MeetingSnapshot>("JoinMeeting", _meetingId, TestContext.Current.CancellationToken);
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
        var snapshot = await _hub.InvokeAsync<MeetingSnapshot>("JoinMeeting", _meetingId, TestContext.Current.CancellationToken);
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
        hub.On<ClientEvent>(nameof(IBriefingClient.MeetingEvent), OnEvent);
        hub.On<PresenceDto>(nameof(IBriefingClient.PresenceChanged), p =>
        {
            lock (_gate)
            {
                Presence = p;
            }

            Signal();
        });
        hub.On<CaretDto>(nameof(IBriefingClient.CaretMoved), c =>
        {
            lock (_gate)
            {
                Carets.Add(c);
            }

            Signal();
        });
        return hub;
    }

    private void OnEvent(ClientEvent e)
    {
        bool gap;
        lock (_gate)
        {
            if (_offline || e.Seq <= _lastSeq)
            {
                return;
            }

            _pending[e.Seq] = e;
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

    /// <summary>Applies the pending events that continue the sequence; a guest's stream skips numbers, which catch-up settles.</summary>
    private void Drain()
    {
        foreach (var seq in _pending.Keys.Where(s => s <= _lastSeq).ToList())
        {
            _pending.Remove(seq);
        }

        while (_pending.Remove(_lastSeq + 1, out var next))
        {
            Apply(next);
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
