using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BriefingRoom.BrowserTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.BrowserTests;

/// <summary>
/// What one keystroke costs the browser, from the key event to the next painted frame, in a long draft with 250
/// delegates in the room (each a real signed-in SignalR connection on the item, 20 of them with a caret in the draft).
/// A measurement, not a check: it runs only with BRIEFINGROOM_MEASURE_KEYSTROKE=1 and prints the figures
/// (docs/BENCHMARKS.md, "A keystroke in the browser"). It finds the editor whether it is a textarea or CodeMirror,
/// so that the same file measures an older checkout too.
/// </summary>
public class KeystrokeCostTests : RoomTest
{
    private const int Delegates = 250;
    private const int Carets = 20;
    private const int WarmUp = 30;
    private const int Keystrokes = 300;
    private const int DraftCharacters = 40_000;
    private const string Password = "Measure-delegate-2025!";

    private static readonly string[] DelegationCodes =
    [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "EL", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
        "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ];

    [Fact]
    public async Task AKeystrokeInALongDraftWithTwoHundredFiftyDelegatesInTheRoomIsMeasured()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("BRIEFINGROOM_MEASURE_KEYSTROKE") == "1",
            "A measurement: set BRIEFINGROOM_MEASURE_KEYSTROKE=1 to run it.");

        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var chair = await SignInAsync(http, RoomServer.Email("chair"), RoomServer.Password);
        var admin = await SignInAsync(http, RoomServer.Email("admin"), RoomServer.Password);
        var revision = await MakeTheDraftLongAsync(http, chair);

        var connections = await FillTheRoomAsync(http, admin, revision);
        try
        {
            var france = await OpenAsync("fr", 1);
            var page = france.Page;
            await Expect(page.Locator(".presence-list > li")).ToHaveCountAsync(Delegates + 1, new() { Timeout = 60_000 });
            var editor = page.Locator("textarea[data-document-id='draft:1'], .cm-editor[data-document-id='draft:1'] .cm-content");
            await editor.FocusAsync();
            await editor.PressAsync("Control+End");

            // From the key event's own time stamp to a task queued by the next animation frame: that task runs once the
            // frame that shows the keystroke has been produced. The page wakes the test when it has the figure, so the
            // test adds no polling of its own to the page's main thread.
            await page.EvaluateAsync(
                """
                () => {
                  window.__keystrokeCosts = [];
                  window.addEventListener('keydown', (event) => {
                    const start = event.timeStamp;
                    requestAnimationFrame(() => {
                      const channel = new MessageChannel();
                      channel.port1.onmessage = () => {
                        window.__keystrokeCosts.push(performance.now() - start);
                        const wake = window.__keystrokeWaiter;
                        window.__keystrokeWaiter = null;
                        wake?.();
                      };
                      channel.port2.postMessage(0);
                    });
                  }, { capture: true });
                }
                """);
            var cdp = await page.Context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Performance.enable");
            const string keys = "the European Council agrees ";
            Dictionary<string, double> before = [];
            for (var i = 0; i < WarmUp + Keystrokes; i++)
            {
                if (i == WarmUp)
                {
                    before = await MetricsAsync(cdp);
                }
                var key = keys[i % keys.Length].ToString();
                await page.Keyboard.PressAsync(key == " " ? "Space" : key);
                await page.EvaluateAsync("n => window.__keystrokeCosts.length >= n || new Promise((resolve) => { window.__keystrokeWaiter = resolve; })", i + 1);
            }
            var after = await MetricsAsync(cdp);
            double PerKey(string metric) => (after[metric] - before[metric]) * 1000 / Keystrokes;

            var costs = (await page.EvaluateAsync<double[]>("() => window.__keystrokeCosts")).Skip(WarmUp).Order().ToArray();
            var report = string.Create(CultureInfo.InvariantCulture,
                $"keystroke input-to-paint over {costs.Length} keystrokes, {DraftCharacters:N0}-character draft, {Delegates} delegates in the room ({Carets} carets in the draft): " +
                $"median {Percentile(costs, 0.5):F1} ms, p90 {Percentile(costs, 0.9):F1} ms, p99 {Percentile(costs, 0.99):F1} ms, max {costs[^1]:F1} ms; " +
                $"renderer main thread per keystroke: tasks {PerKey("TaskDuration"):F2} ms (script {PerKey("ScriptDuration"):F2}, style {PerKey("RecalcStyleDuration"):F2}, layout {PerKey("LayoutDuration"):F2})");
            TestContext.Current.TestOutputHelper?.WriteLine(report);
            Console.WriteLine(report);
            if (Environment.GetEnvironmentVariable("BRIEFINGROOM_MEASURE_OUT") is { Length: > 0 } file)
            {
                await File.AppendAllTextAsync(file, report + Environment.NewLine, Ct);
            }
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Chromium's own counters of the page's main thread (seconds spent in tasks, script, style, layout).</summary>
    private static async Task<Dictionary<string, double>> MetricsAsync(ICDPSession cdp)
    {
        var metrics = await cdp.SendAsync("Performance.getMetrics");
        return metrics!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(p * sorted.Length))];

    /// <summary>Puts a draft of about 40,000 characters, in paragraphs, in front of item I's; returns the new revision.</summary>
    private static async Task<int> MakeTheDraftLongAsync(HttpClient http, string chair)
    {
        using var snapshot = JsonDocument.Parse(await SendAsync(http, HttpMethod.Get, "/api/meetings/1", null, chair));
        var draft = snapshot.RootElement.GetProperty("texts").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "draft:1");
        string[] sentences =
        [
            "The European Council underlines the need to step up support for Ukraine's defence and its defence industry.",
            "Member States will continue to provide military equipment, ammunition and air defence without delay.",
            "The Union will use the proceeds of immobilised Russian assets in accordance with European and international law.",
            "Security guarantees must be robust and credible, agreed with Ukraine and with like-minded partners.",
        ];
        var text = new StringBuilder();
        for (var i = 0; text.Length < DraftCharacters; i++)
        {
            text.Append(sentences[i % sentences.Length]).Append(i % 4 == 3 ? "\n" : " ");
        }

        var request = new
        {
            documentId = "draft:1",
            baseRevision = draft.GetProperty("revision").GetInt32(),
            clientOpId = "measure-long-draft",
            operation = new object[] { text.ToString(), draft.GetProperty("text").GetString()!.Length },
        };
        using var ack = JsonDocument.Parse(await SendAsync(http, HttpMethod.Post, "/api/meetings/1/texts/draft:1/operations", request, chair));
        return ack.RootElement.GetProperty("revision").GetInt32();
    }

    /// <summary>Registers and admits the delegates through the API, and connects each to the room, on item I.</summary>
    private async Task<List<HubConnection>> FillTheRoomAsync(HttpClient http, string admin, int revision)
    {
        var tokens = new string[Delegates];
        await Parallel.ForEachAsync(Enumerable.Range(0, Delegates), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (i, _) =>
        {
            var email = $"measure{i:D3}@measure.example";
            await SendAsync(http, HttpMethod.Post, "/api/auth/register", new { email, password = Password }, null);
            await SendAsync(http, HttpMethod.Post, "/api/meetings/1/memberships", new { email, role = "delegate", delegationCode = DelegationCodes[i % DelegationCodes.Length] }, admin);
            tokens[i] = await SignInAsync(http, email, Password);
        });

        var connections = new List<HubConnection>();
        var random = new Random(250);
        for (var i = 0; i < Delegates; i++)
        {
            var token = tokens[i];
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(Server.BaseAddress, "/hubs/briefing"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            await connection.StartAsync(Ct);
            connections.Add(connection);
            await connection.InvokeAsync<JsonElement>("JoinMeeting", 1, Ct);
            await connection.InvokeAsync("Focus", 1, 1, Ct);
            if (i < Carets)
            {
                var at = random.Next(0, DraftCharacters);
                await connection.InvokeAsync("MoveCaret", 1, new { documentId = "draft:1", revision, anchor = at, head = at + (i % 3 == 0 ? 40 : 0) }, Ct);
            }
        }
        return connections;
    }

    private static async Task<string> SignInAsync(HttpClient http, string email, string password)
    {
        using var body = JsonDocument.Parse(await SendAsync(http, HttpMethod.Post, "/api/auth/login", new { email, password }, null));
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>A call that waits out the rate limits (registration and sign-in are limited per address).</summary>
    private static async Task<string> SendAsync(HttpClient http, HttpMethod method, string path, object? body, string? token)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = JsonContent.Create(body);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 50)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                await Task.Delay(wait, Ct); // the server said when to come back: this is a wait it asked for, not a guess
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
            }
            return text;
        }
    }
}
