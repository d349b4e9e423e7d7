using System.Diagnostics;
using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.LoadTests;

/// <summary>An event as it arrives: the payload stays JSON until someone looks at it.</summary>
public sealed record WireEvent(int MeetingId, long Seq, string Type, int? ItemId, JsonElement Payload);

public sealed record WireEventsPage(IReadOnlyList<WireEvent> Events, long UpTo, bool Reset);

/// <summary>The events of one group commit, as they arrive (see EventBatchDto).</summary>
public sealed record WireBatch(int MeetingId, long From, long UpTo, IReadOnlyList<WireEvent> Events);

/// <summary>
/// One simulated delegate, following the browser's rules (wwwroot/js/event-sequencer.js, ot-client.js): events applied
/// in sequence order, a hole waited for <see cref="GapWait"/> and then filled with GetEventsSince, one OT client per
/// text with at most one operation in flight, later keystrokes composed into a buffer, and the acknowledgement taken
/// from the event stream (the text.edited event that carries the client's own operation id).
/// Delegates that do not type may skip keeping the texts (<c>keepTexts: false</c>): they still check that every
/// revision arrives, in order, exactly once, which is what costs the server; it keeps the tool's own CPU for the sockets.
/// </summary>
public sealed class LoadClient : IAsyncDisposable
{
    public static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(400);

    private readonly Lock _gate = new();
    private readonly HubConnection _hub;
    private readonly int _meetingId;
    private readonly bool _keepTexts;
    private readonly List<WireBatch> _held = [];
    private readonly Dictionary<string, Doc> _docs = [];
    private readonly List<string> _errors = [];
    private EditRecorder? _recorder;
    private long _lastSeq;
    private bool _catchingUp;
    private Timer? _gapTimer;

    /// <summary>One HTTP client for all simulated delegates, as a browser keeps its connections; it asks for compressed bodies.</summary>
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        AutomaticDecompression = System.Net.DecompressionMethods.Brotli | System.Net.DecompressionMethods.GZip,
        MaxConnectionsPerServer = 64,
    })
    { Timeout = TimeSpan.FromMinutes(2) };

    private readonly Uri _server;

    public LoadClient(Uri server, Delegate who, int meetingId, bool keepTexts)
    {
        _server = server;
        Who = who;
        _meetingId = meetingId;
        _keepTexts = keepTexts;
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/briefing"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(who.Token);
            })
            .AddJsonProtocol(o => BriefingJson.Configure(o.PayloadSerializerOptions))
            .Build();
        _hub.On<WireBatch>("MeetingEvents", OnBatch);
        // Presence is volatile and sent whole; a browser would render it, the tool only counts it. A type without
        // properties lets the JSON reader skip the list instead of building it: 250 clients share this process's CPU.
        _hub.On<Unread>("PresenceChanged", _ => Interlocked.Increment(ref _presenceMessages));
        _hub.Closed += ex =>
        {
            if (ex is not null)
            {
                AddError($"connection closed: {ex.Message}");
            }

            return Task.CompletedTask;
        };
    }

    private long _presenceMessages;

    public Delegate Who { get; }
    public int Index => Who.Index;
    public long PresenceMessages => Interlocked.Read(ref _presenceMessages);
    public long Catchups { get; private set; }

    public IReadOnlyList<string> Errors
    {
        get { lock (_gate) { return [.. _errors]; } }
    }

    public long LastSeq
    {
        get { lock (_gate) { return _lastSeq; } }
    }

    public Task StartAsync(CancellationToken ct) => _hub.StartAsync(ct);

    /// <summary>
    /// Joins the meeting (a small handshake over the hub), then loads the room over HTTP as the browser does: from
    /// here on, events after the snapshot's sequence number apply.
    /// </summary>
    public async Task<MeetingSnapshot> JoinAsync(CancellationToken ct)
    {
        await _hub.InvokeAsync<Realtime.JoinedDto>("JoinMeeting", _meetingId, ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server, $"/api/meetings/{_meetingId}/snapshot"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Who.Token);
        using var response = await Http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var snapshot = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<MeetingSnapshot>(response.Content, BriefingJson.Options, ct))!;
        lock (_gate)
        {
            _lastSeq = snapshot.Seq;
            foreach (var text in snapshot.Texts)
            {
                _docs[text.Id] = new Doc(_keepTexts ? text.Text : null, new OtClient(text.Revision));
            }

            Drain();
        }

        return snapshot;
    }

    public void Measure(EditRecorder recorder) => _recorder = recorder;

    public string? TextOf(string documentId)
    {
        lock (_gate)
        {
            return _docs.TryGetValue(documentId, out var doc) ? doc.Text : null;
        }
    }

    public int RevisionOf(string documentId)
    {
        lock (_gate)
        {
            return _docs.TryGetValue(documentId, out var doc) ? doc.Ot.Revision : -1;
        }
    }

    public bool IsSynchronized(string documentId)
    {
        lock (_gate)
        {
            return !_docs.TryGetValue(documentId, out var doc) || doc.Ot.State == OtClientState.Synchronized;
        }
    }

    /// <summary>
    /// A keystroke due at <c>typed</c> on the schedule: one character inserted at a random place, applied locally at once,
    /// sent unless an operation is in flight.
    /// </summary>
    public void Type(string documentId, Random random, long typed)
    {
        OtSubmission? send;
        lock (_gate)
        {
            var doc = _docs[documentId];
            var text = doc.Text ?? throw new InvalidOperationException("A typist keeps its texts.");
            var at = random.Next(text.Length + 1);
            var op = TextOperation.Builder().Retain(at).Insert(((char)('a' + random.Next(26))).ToString()).Retain(text.Length - at).Build();
            doc.Text = op.Apply(text);
            send = doc.Ot.ApplyLocal(op);
            if (send is null && doc.BufferTypedAt == 0)
            {
                doc.BufferTypedAt = typed;
            }
        }

        Send(documentId, send, typed);
    }

    public async ValueTask DisposeAsync()
    {
        if (_gapTimer is not null)
        {
            await _gapTimer.DisposeAsync();
        }

        await _hub.DisposeAsync();
    }

    private void OnBatch(WireBatch batch)
    {
        var at = Stopwatch.GetTimestamp();
        List<Outgoing>? outgoing = null;
        lock (_gate)
        {
            if (batch.MeetingId != _meetingId || batch.UpTo <= _lastSeq)
            {
                return;
            }

            _held.Add(batch);
            Drain(at, ref outgoing);
            if (_held.Count > 0 && !_catchingUp && _gapTimer is null)
            {
                // A batch overtaken by a later one: wait a moment before asking.
                _gapTimer = new Timer(_ => _ = CatchUpAsync(), null, GapWait, Timeout.InfiniteTimeSpan);
            }
        }

        SendAll(outgoing);
    }

    private async Task CatchUpAsync()
    {
        long since;
        lock (_gate)
        {
            _gapTimer?.Dispose();
            _gapTimer = null;
            if (_held.Count == 0 || _catchingUp)
            {
                return;
            }

            since = _lastSeq;
            _catchingUp = true;
            Catchups++;
        }

        List<Outgoing>? outgoing = null;
        try
        {
            var page = await _hub.InvokeAsync<WireEventsPage>("GetEventsSince", _meetingId, since);
            if (page.Reset)
            {
                AddError($"missed more than the catch-up limit after seq {since}");
                return;
            }

            var at = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                foreach (var e in page.Events.Where(e => e.Seq > _lastSeq).OrderBy(e => e.Seq))
                {
                    Apply(e, at, ref outgoing);
                }

                _lastSeq = Math.Max(_lastSeq, page.UpTo);
                Drain(at, ref outgoing);
            }
        }
        catch (Exception ex)
        {
            AddError($"catch-up failed: {ex.Message}");
        }
        finally
        {
            lock (_gate)
            {
                _catchingUp = false;
            }
        }

        SendAll(outgoing);
    }

    private void Drain()
    {
        List<Outgoing>? outgoing = null;
        Drain(Stopwatch.GetTimestamp(), ref outgoing);
        SendAll(outgoing);
    }

    private void Drain(long at, ref List<Outgoing>? outgoing)
    {
        while (true)
        {
            _held.RemoveAll(b => b.UpTo <= _lastSeq);
            WireBatch? next = null;
            foreach (var batch in _held)
            {
                if (batch.From <= _lastSeq && (next is null || batch.From < next.From))
                {
                    next = batch;
                }
            }

            if (next is null)
            {
                return;
            }

            _held.Remove(next);
            foreach (var e in next.Events)
            {
                if (e.Seq > _lastSeq)
                {
                    Apply(e, at, ref outgoing);
                }
            }

            _lastSeq = Math.Max(_lastSeq, next.UpTo);
        }
    }

    private void Apply(WireEvent e, long at, ref List<Outgoing>? outgoing)
    {
        _lastSeq = e.Seq;
        if (e.Type != "text.edited")
        {
            return;
        }

        var payload = e.Payload;
        var documentId = payload.GetProperty("documentId").GetString()!;
        var revision = payload.GetProperty("revision").GetInt32();
        var clientOpId = payload.GetProperty("clientOpId").GetString()!;
        _recorder?.Arrived(clientOpId, Index, at);
        if (!_docs.TryGetValue(documentId, out var doc))
        {
            doc = _docs[documentId] = new Doc(_keepTexts ? "" : null, new OtClient(0));
        }

        if (doc.Ot.InFlightOpId == clientOpId)
        {
            var next = doc.Ot.ServerAck();
            if (next is not null)
            {
                (outgoing ??= []).Add(new Outgoing(documentId, next, doc.BufferTypedAt));
                doc.BufferTypedAt = 0;
            }
        }
        else if (revision == doc.Ot.Revision + 1)
        {
            // A delegate that keeps no text and has nothing in flight only needs to count the revision.
            var operation = doc.Text is null && doc.Ot.State == OtClientState.Synchronized
                ? TextOperation.Empty
                : TextOperation.FromJson(payload.GetProperty("operation"));
            var transformed = doc.Ot.ApplyServer(operation);
            if (doc.Text is not null)
            {
                doc.Text = transformed.Apply(doc.Text);
            }
        }
        else if (revision > doc.Ot.Revision + 1)
        {
            AddErrorLocked($"{documentId} jumped from revision {doc.Ot.Revision} to {revision}");
        }
    }

    private void SendAll(List<Outgoing>? outgoing)
    {
        foreach (var o in outgoing ?? [])
        {
            Send(o.DocumentId, o.Submission, o.TypedAt);
        }
    }

    private void Send(string documentId, OtSubmission? submission, long typed)
    {
        if (submission is null)
        {
            return;
        }

        var request = new SubmitOperationRequest(documentId, submission.BaseRevision, submission.ClientOpId, submission.Operation);
        var sent = Stopwatch.GetTimestamp();
        _recorder?.Sent(submission.ClientOpId, Index, typed == 0 ? sent : typed, sent);
        // Open loop: never wait for the answer here. The acknowledgement comes through the event stream.
        var call = _hub.InvokeAsync<OperationAck>("SubmitOperation", _meetingId, request);
        if (!call.IsCompleted || call.IsFaulted)
        {
            _ = call.ContinueWith(t => AddError($"SubmitOperation: {t.Exception?.InnerException?.Message}"), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private void AddError(string message)
    {
        lock (_gate)
        {
            AddErrorLocked(message);
        }
    }

    private void AddErrorLocked(string message)
    {
        if (_errors.Count < 20)
        {
            _errors.Add(message);
        }
    }

    private sealed class Unread;

    private sealed record Outgoing(string DocumentId, OtSubmission Submission, long TypedAt);

    private sealed class Doc(string? text, OtClient ot)
    {
        public string? Text { get; set; } = text;
        public OtClient Ot { get; } = ot;
        public long BufferTypedAt { get; set; }
    }
}
