using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using BriefingRoom.Agenda;
using BriefingRoom.Api;

namespace BriefingRoom.LoadTests;

/// <summary>The scenarios, in the order they run: each group of them on a fresh app process (when this tool owns it).</summary>
public sealed class Bench(LoadOptions options, Target target, Report report, Log log)
{
    private const string AdminEmail = "admin@briefing.example";
    private const string SecretariatEmail = "secretariat@briefing.example";

    private IReadOnlyList<Delegate> _delegates = [];
    private List<LoadClient> _clients = [];
    private string _document = "";
    private string _adminToken = "";
    private EditResults? _steadyBaseline;

    private int MeetingId => options.MeetingId;

    public async Task RunAsync(CancellationToken ct)
    {
        var accounts = new Accounts(new HttpClient { BaseAddress = target.Url, Timeout = TimeSpan.FromMinutes(2) }, log);
        _adminToken = await accounts.SignInAsync(AdminEmail, options.AdminPassword, ct);
        _delegates = await DelegatesAsync(accounts, ct);
        var idleMeetings = options.Scenarios.Contains("idle") ? await IdleMeetingsAsync(accounts, ct) : [];

        var editing = new[] { "storm", "steady", "pdf", "sustained" }.Where(options.Scenarios.Contains).ToList();
        if (editing.Count > 0)
        {
            await target.FreshProcessAsync(ct);
            _adminToken = await accounts.SignInAsync(AdminEmail, options.AdminPassword, ct);
            await WarmUpAsync(ct);
            await JoinAllAsync(measure: options.Scenarios.Contains("storm"), ct);
            if (options.Scenarios.Contains("steady"))
            {
                _steadyBaseline = await EditAsync("steady", options.Typists, options.Rate, options.Duration, options.TargetP50Ms, options.TargetP99Ms, options.TargetMaxMs, ct);
            }

            if (options.Scenarios.Contains("pdf"))
            {
                await PdfDuringEditingAsync(accounts, ct);
            }

            if (options.Scenarios.Contains("sustained"))
            {
                await EditAsync("sustained", options.SustainedTypists, options.Rate, options.SustainedDuration, double.NaN, options.TargetSustainedP99Ms, double.NaN, ct);
            }

            await CloseAllAsync();
        }

        if (options.Scenarios.Contains("idle"))
        {
            await target.FreshProcessAsync(ct);
            await IdleAsync(idleMeetings, ct);
        }
    }

    /// <summary>The delegates, made through the API, or read back from an earlier run's --data folder while their tokens are fresh.</summary>
    private async Task<IReadOnlyList<Delegate>> DelegatesAsync(Accounts accounts, CancellationToken ct)
    {
        var saved = options.DataDirectory is { } dir ? Path.Combine(dir, "delegates.json") : null;
        if (saved is not null && File.Exists(saved) && File.GetLastWriteTimeUtc(saved) > DateTime.UtcNow.AddMinutes(-50))
        {
            var known = JsonSerializer.Deserialize<List<Delegate>>(await File.ReadAllTextAsync(saved, ct))!;
            if (known.Count >= options.Delegates)
            {
                log.Info($"reusing {options.Delegates} delegates from {saved}");
                return known[..options.Delegates];
            }
        }

        log.Info($"creating {options.Delegates} delegates through the API");
        var delegates = await accounts.CreateDelegatesAsync(MeetingId, options.Delegates, _adminToken, ct);
        if (saved is not null)
        {
            await File.WriteAllTextAsync(saved, JsonSerializer.Serialize(delegates), ct);
        }

        return delegates;
    }

    /// <summary>One delegate joins and types a little before anything is measured, as on a server that has been up a while.</summary>
    private async Task WarmUpAsync(CancellationToken ct)
    {
        await using var a = new LoadClient(target.Url, _delegates[0], MeetingId, keepTexts: true);
        await using var b = new LoadClient(target.Url, _delegates[1], MeetingId, keepTexts: true);
        foreach (var c in new[] { a, b })
        {
            await c.StartAsync(ct);
            var snapshot = await c.JoinAsync(ct);
            _document = EditableDraft(snapshot);
        }

        var recorder = new EditRecorder(options.Delegates) { Measuring = true };
        a.Measure(recorder);
        b.Measure(recorder);
        var random = new Random(1);
        for (var i = 0; i < 50; i++)
        {
            a.Type(_document, random, Stopwatch.GetTimestamp());
            await WaitUntilAsync(() => recorder.AllDelivered(1), TimeSpan.FromSeconds(10), ct);
        }

        log.Info($"warmed up; typing into {_document}");
    }

    /// <summary>The draft of the first item still open for editing (not agreed, not locked).</summary>
    private static string EditableDraft(Meetings.MeetingSnapshot snapshot) =>
        snapshot.Items.FirstOrDefault(i => i.Status != ItemStatus.Agreed && i.Lock is null) is { } item
            ? $"draft:{item.Id.ToString(CultureInfo.InvariantCulture)}"
            : throw new InvalidOperationException("No item of the meeting is open for editing.");

    /// <summary>
    /// The join storm: every delegate connects and joins on an open-loop schedule spread evenly over the window, not
    /// waiting for the others. Time to first snapshot runs from the scheduled start to the JoinMeeting answer.
    /// </summary>
    private async Task JoinAllAsync(bool measure, CancellationToken ct)
    {
        var keepTexts = new HashSet<int>(Enumerable.Range(0, Math.Min(options.Delegates, Math.Max(options.Typists, options.SustainedTypists))));
        keepTexts.UnionWith(Enumerable.Range(options.Delegates - 5, 5));
        _clients = [.. _delegates.Select(d => new LoadClient(target.Url, d, MeetingId, keepTexts.Contains(d.Index)))];
        var window = measure ? options.StormWindow : TimeSpan.FromSeconds(Math.Max(2, options.Delegates / 100.0));
        log.Info($"{options.Delegates} delegates join within {window.TotalSeconds} s{(measure ? " (join storm, measured)" : "")}");

        var stats = target.Stats;
        stats.ResetPeak();
        var cpu = new CpuWindow(stats);
        var times = new double[_clients.Count];
        var errors = new List<string>();
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var joins = new List<Task>();
        for (var i = 0; i < _clients.Count; i++)
        {
            var due = start + (long)(i * window.TotalSeconds / _clients.Count * Stopwatch.Frequency);
            await SleepUntilAsync(due, ct);
            var client = _clients[i];
            var index = i;
            joins.Add(Task.Run(async () =>
            {
                try
                {
                    await client.StartAsync(ct);
                    await client.JoinAsync(ct);
                    times[index] = (Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency;
                }
                catch (Exception ex)
                {
                    times[index] = double.NaN;
                    lock (errors)
                    {
                        errors.Add($"{client.Who.Email}: {ex.Message}");
                    }
                }
            }, ct));
        }

        await Task.WhenAll(joins);
        var cores = cpu.Cores();
        var toolCores = cpu.OwnCores();
        var pressure = cpu.CpuPressure();
        var p = Percentiles.Of([.. times.Where(t => !double.IsNaN(t))]);
        if (!measure)
        {
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"{errors.Count} delegates could not join: {errors[0]}");
            }

            return;
        }

        const string s = "join storm";
        report.Info(s, "delegates joining / window", $"{options.Delegates} in {options.StormWindow.TotalSeconds:F0} s");
        report.Info(s, "first snapshot p50", $"{Report.Format(p.P50)} ms");
        report.AtMost(s, "first snapshot p95", p.P95, options.TargetStormP95Ms, " ms");
        report.Info(s, "first snapshot max", $"{Report.Format(p.Max)} ms");
        report.Check(s, "errors", errors.Count.ToString(CultureInfo.InvariantCulture), "0", errors.Count == 0);
        report.Info(s, "presence lists received (all clients)", _clients.Sum(c => c.PresenceMessages).ToString("N0", CultureInfo.InvariantCulture));
        report.Info(s, "CPU, cores busy: server / load tool", $"{Report.Format(cores, "F2")} / {Report.Format(toolCores, "F2")}");
        report.Info(s, "machine CPU pressure (PSI some)", $"{pressure:P0}");
        report.Info(s, "server peak RSS", Report.Mb(stats.PeakRssBytes()));
        foreach (var e in errors.Take(3))
        {
            report.Note($"join storm error: {e}");
        }
    }

    /// <summary>
    /// Steady editing: <paramref name="typists"/> delegates each type one character every 1/<paramref name="rate"/> s on a fixed
    /// schedule (open loop: a keystroke never waits for an answer; the OT client buffers while one operation is in flight).
    /// </summary>
    private async Task<EditResults> EditAsync(string name, int typists, double rate, TimeSpan duration, double p50Target, double p99Target, double maxTarget, CancellationToken ct)
    {
        log.Info($"{name}: {typists} typists × {rate} op/s into {_document}, {options.Warmup.TotalSeconds} s warm-up + {duration.TotalSeconds} s, {_clients.Count} delegates");
        var recorder = new EditRecorder(_clients.Count);
        foreach (var c in _clients)
        {
            c.Measure(recorder);
        }

        var stats = target.Stats;
        var period = (long)(Stopwatch.Frequency / rate);
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var measureFrom = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var queue = new PriorityQueue<int, long>();
        for (var j = 0; j < typists; j++)
        {
            queue.Enqueue(j, start + period * j / typists);
        }

        var random = new Random(42);
        CpuWindow? cpu = null;
        var lateness = new List<double>();
        var typed = 0;
        while (queue.TryPeek(out var j, out var due) && due < end)
        {
            await SleepUntilAsync(due, ct);
            if (cpu is null && due >= measureFrom)
            {
                recorder.Measuring = true;
                stats.ResetPeak();
                cpu = new CpuWindow(stats);
            }

            queue.Dequeue();
            if (cpu is not null)
            {
                lateness.Add((Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency);
            }

            _clients[j].Type(_document, random, due);
            typed++;
            queue.Enqueue(j, due + period);
        }

        var cores = cpu?.Cores() ?? double.NaN;
        var toolCores = cpu?.OwnCores() ?? double.NaN;
        var pressure = cpu?.CpuPressure() ?? double.NaN;
        var peak = stats.PeakRssBytes();
        var drained = await WaitUntilAsync(() => recorder.AllDelivered(_clients.Count - 1), TimeSpan.FromSeconds(30), ct);
        recorder.Measuring = false;
        var results = recorder.Results(_clients.Count - 1);
        var converged = await ConvergedAsync(typists, ct);
        var errors = _clients.SelectMany(c => c.Errors.Select(e => $"{c.Who.Email}: {e}")).ToList();

        report.Info(name, "delegates / typists / rate", $"{_clients.Count} / {typists} / {rate} op/s each ({typists * rate:F0} op/s), {duration.TotalSeconds:F0} s");
        report.Info(name, "operations measured (deliveries)", $"{results.Ops:N0} ({results.Received:N0})");
        Row(name, "edit → other delegates p50", results.FromSend.P50, p50Target);
        report.Info(name, "edit → other delegates p95", $"{Report.Format(results.FromSend.P95)} ms");
        Row(name, "edit → other delegates p99", results.FromSend.P99, p99Target);
        Row(name, "edit → other delegates max", results.FromSend.Max, maxTarget);
        report.Info(name, "keystroke → other delegates p50 / p99 / max", $"{Report.Format(results.FromTyped.P50)} / {Report.Format(results.FromTyped.P99)} / {Report.Format(results.FromTyped.Max)} ms");
        report.Info(name, "acknowledgement (own op back) p50 / p99", $"{Report.Format(results.Ack.P50)} / {Report.Format(results.Ack.P99)} ms");
        report.Check(name, "delivered / expected", $"{results.Received:N0} / {results.Expected:N0} ({results.DeliveryRatio:P3}){(drained ? "" : ", not drained in 30 s")}", "100%", results.Received == results.Expected && results.Unacked == 0);
        report.Check(name, "all texts equal the server's", converged ? "yes" : "NO", "yes", converged);
        report.Check(name, "client errors", errors.Count.ToString(CultureInfo.InvariantCulture), "0", errors.Count == 0);
        report.Info(name, "CPU, cores busy: server / load tool", $"{Report.Format(cores, "F2")} / {Report.Format(toolCores, "F2")}");
        report.Info(name, "machine CPU pressure (PSI some)", $"{pressure:P0}");
        report.Info(name, "server peak RSS", Report.Mb(peak));
        report.Info(name, "schedule lateness p99 (this tool)", $"{Report.Format(Percentiles.Of(lateness).P99)} ms");
        report.Info(name, "catch-ups after a gap (all clients)", _clients.Sum(c => c.Catchups).ToString(CultureInfo.InvariantCulture));
        foreach (var e in errors.Take(3))
        {
            report.Note($"{name} error: {e}");
        }

        log.Info($"{name}: p50 {results.FromSend.P50:F1} ms, p99 {results.FromSend.P99:F1} ms, max {results.FromSend.Max:F1} ms, delivery {results.DeliveryRatio:P3}, {typed} keystrokes");
        return results;

        void Row(string scenario, string metric, double value, double limit)
        {
            if (double.IsNaN(limit))
            {
                report.Info(scenario, metric, $"{Report.Format(value)} ms");
            }
            else
            {
                report.AtMost(scenario, metric, value, limit, " ms");
            }
        }
    }

    /// <summary>Exports the conclusions as the secretariat, back to back, while the steady editing runs.</summary>
    private async Task PdfDuringEditingAsync(Accounts accounts, CancellationToken ct)
    {
        const string s = "pdf during editing";
        var token = await accounts.SignInAsync(SecretariatEmail, options.SecretariatPassword, ct);
        using var http = new HttpClient { BaseAddress = target.Url, Timeout = TimeSpan.FromMinutes(1) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var url = $"/api/meetings/{MeetingId}/conclusions.pdf";
        using (var probe = await http.GetAsync(url, ct))
        {
            if (probe.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed && probe.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                report.Info(s, "skipped", $"GET {url} does not exist in this build ({(int)probe.StatusCode})");
                log.Info($"{s}: skipped, the export endpoint does not exist in this build");
                return;
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var exportTimes = new List<double>();
        var statuses = new Dictionary<int, int>();
        var exporter = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, stop.Token);
                    var code = (int)response.StatusCode;
                    lock (statuses)
                    {
                        statuses[code] = statuses.GetValueOrDefault(code) + 1;
                        if (response.IsSuccessStatusCode)
                        {
                            exportTimes.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                        }
                    }

                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), stop.Token);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }, ct);

        var results = await EditAsync(s, options.Typists, options.Rate, options.Duration, options.TargetP50Ms, options.TargetP99Ms, options.TargetMaxMs, ct);
        await stop.CancelAsync();
        await exporter;
        var export = Percentiles.Of(exportTimes);
        report.Info(s, "exports (status: count)", string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}")));
        report.Info(s, "export time p50 / p95", $"{Report.Format(export.P50)} / {Report.Format(export.P95)} ms");
        if (_steadyBaseline is { } baseline)
        {
            report.Info(s, "edit p99 vs steady without exports", $"{Report.Format(results.FromSend.P99)} vs {Report.Format(baseline.FromSend.P99)} ms");
        }
    }

    /// <summary>Every typist's text, and a few non-typing delegates' texts, equal the server's text of the draft.</summary>
    private async Task<bool> ConvergedAsync(int typists, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = target.Url };
        using var request = Accounts.Json(HttpMethod.Get, $"/api/meetings/{MeetingId}", new { }, _adminToken);
        request.Content = null;
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var snapshot = JsonSerializer.Deserialize<Meetings.MeetingSnapshot>(await response.Content.ReadAsStringAsync(ct), BriefingJson.Options)!;
        var server = snapshot.Texts.Single(t => t.Id == _document).Text;
        var checkedClients = _clients.Where(c => c.TextOf(_document) is not null).ToList();
        var differing = checkedClients.Where(c => c.TextOf(_document) != server).ToList();
        if (differing.Count > 0)
        {
            report.Note($"{differing.Count} of {checkedClients.Count} clients differ from the server's text (length {server.Length}); first: {differing[0].Who.Email}");
        }

        return differing.Count == 0 && checkedClients.Count >= Math.Min(typists, _clients.Count);
    }

    /// <summary>Meetings for the idle connections: a meeting's presence list goes to all its people, so the connections are spread over rooms.</summary>
    private async Task<List<int>> IdleMeetingsAsync(Accounts accounts, CancellationToken ct)
    {
        var room = Math.Min(options.RoomSize, options.Delegates);
        var count = (options.Connections + room - 1) / room;
        var meetings = new List<int> { MeetingId };
        for (var m = 1; m < count; m++)
        {
            meetings.Add(await accounts.CreateMeetingAsync($"Idle room {m}", _adminToken, ct));
        }

        log.Info($"granting {room} delegates observer seats in {count - 1} more meetings for the idle connections");
        var grants = meetings.Skip(1).SelectMany(m => Enumerable.Range(0, room).Select(i => (m, i))).ToList();
        await Parallel.ForEachAsync(grants, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (g, token) =>
            await accounts.SeatAsync(g.m, Accounts.EmailOf(g.i), $"Load delegate {g.i:D5}", "observer", null, _adminToken, token));
        return meetings;
    }

    /// <summary>
    /// Idle connections: the server's resident memory before and after opening them, each connected over WebSockets
    /// and joined to a meeting (so in its groups and in the presence list), divided by their number.
    /// </summary>
    private async Task IdleAsync(List<int> meetings, CancellationToken ct)
    {
        const string s = "idle connections";
        var room = Math.Min(options.RoomSize, options.Delegates);
        var limit = ProcStats.OpenFilesLimit();
        report.Info(s, "open-files limit of this tool (ulimit -n)", limit.ToString(CultureInfo.InvariantCulture));
        if (limit < options.Connections + 200)
        {
            report.Note($"ulimit -n is {limit}: raise it (ulimit -n {options.Connections * 2}) before opening {options.Connections} connections");
        }

        var stats = target.Stats;
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var heapBefore = await GcDump.LiveHeapBytesAsync(stats, ct);
        var before = stats.RssBytes();
        log.Info($"idle: opening {options.Connections} connections in {meetings.Count} meetings of up to {room}; server RSS {Report.Mb(before)}");
        var clients = new List<LoadClient>();
        var errors = 0;
        var opened = Stopwatch.GetTimestamp();
        for (var batch = 0; batch < options.Connections; batch += 100)
        {
            var group = Enumerable.Range(batch, Math.Min(100, options.Connections - batch))
                .Select(c => new LoadClient(target.Url, _delegates[c % room], meetings[c / room], keepTexts: false)).ToList();
            clients.AddRange(group);
            var results = await Task.WhenAll(group.Select(async c =>
            {
                try
                {
                    await c.StartAsync(ct);
                    await c.JoinAsync(ct);
                    return true;
                }
                catch (Exception)
                {
                    return false;
                }
            }));
            errors += results.Count(ok => !ok);
            if ((batch + 100) % 1000 == 0)
            {
                log.Info($"  {batch + 100} open, server RSS {Report.Mb(stats.RssBytes())}");
            }
        }

        var openSeconds = Stopwatch.GetElapsedTime(opened).TotalSeconds;
        // Let the last presence lists go out and the heap settle before reading the resident size.
        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        var after = stats.RssBytes();
        var open = options.Connections - errors;
        var perConnectionKb = (after - before) / 1024.0 / open;
        var heapAfter = await GcDump.LiveHeapBytesAsync(stats, ct);
        var afterGc = stats.RssBytes();
        report.Info(s, "connections (joined, in meetings of)", $"{options.Connections - errors:N0} ({room})");
        report.Check(s, "errors", errors.ToString(CultureInfo.InvariantCulture), "0", errors == 0);
        report.Info(s, "opened in", $"{openSeconds:F1} s");
        report.Info(s, "server RSS before → after", $"{Report.Mb(before)} → {Report.Mb(after)}");
        report.AtMost(s, "server memory per connection", perConnectionKb, options.TargetIdleKb, " KB");
        report.Info(s, "server peak RSS", Report.Mb(stats.PeakRssBytes()));
        if (heapBefore > 0 && heapAfter > 0)
        {
            report.Info(s, "after a full GC (dotnet-gcdump): RSS per connection", $"{(afterGc - before) / 1024.0 / open:F1} KB");
            report.Info(s, "after a full GC: live managed heap per connection", $"{(heapAfter - heapBefore) / 1024.0 / open:F1} KB ({Report.Mb(heapBefore)} → {Report.Mb(heapAfter)})");
        }
        else
        {
            report.Note("dotnet-gcdump not found (dotnet tool install -g dotnet-gcdump): no live-heap figure for the idle connections");
        }

        log.Info($"idle: {perConnectionKb:F1} KB per connection; closing");
        if (options.IdleHold > TimeSpan.Zero)
        {
            log.Info($"holding the connections open for {options.IdleHold.TotalSeconds} s (server pid in the table's notes)");
            await Task.Delay(options.IdleHold, ct);
        }

        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
    }

    private async Task CloseAllAsync()
    {
        await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
        _clients = [];
    }

    private static async Task SleepUntilAsync(long due, CancellationToken ct)
    {
        var wait = (due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
        if (wait >= 1)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
        }
    }

    /// <summary>A load tool may poll: it watches counters that many threads move, and gives up after <paramref name="timeout"/>.</summary>
    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(20, ct);
        }

        return true;
    }
}
