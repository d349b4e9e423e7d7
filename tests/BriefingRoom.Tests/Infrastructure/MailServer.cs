using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using MimeKit;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on loopback: smtp4dev, the dotnet tool in the repository's manifest (`dotnet tool restore`),
/// on ports it picks itself, with an in-memory mailbox read back through its HTTP API. One for the test classes of
/// the "mail" collection: each test writes to addresses of its own.
/// </summary>
public sealed partial class MailServer : IAsyncLifetime
{
    private Process? _process;
    private HttpClient? _api;
    private HubConnection? _notifications;
    /// <summary>Completed, and replaced, each time smtp4dev says its mailbox changed.</summary>
    private TaskCompletionSource _mailboxChanged = NewSignal();
    private readonly List<string> _output = [];

    public int SmtpPort { get; private set; }

    /// <summary>A new app that sends its mail through this server.</summary>
    public BriefingApp NewApp()
    {
        var app = new BriefingApp();
        foreach (var (key, value) in AppSettings)
        {
            app.With(key, value);
        }

        return app;
    }

    /// <summary>
    /// This server behind a relay that can stop passing bytes (<see cref="StallingLink"/>), and <paramref name="app"/>
    /// sending through the relay, giving up on a server that does not answer after a second.
    /// </summary>
    public StallingLink BehindARelayFor(BriefingApp app)
    {
        var link = new StallingLink($"127.0.0.1:{SmtpPort}");
        app.With("Briefing:Mail:SmtpPort", link.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Briefing:Mail:SmtpTimeout", "00:00:01");
        return link;
    }

    /// <summary>The app's settings for sending through this server.</summary>
    public IReadOnlyDictionary<string, string> AppSettings => new Dictionary<string, string>
    {
        ["Briefing:Mail:SmtpHost"] = "127.0.0.1",
        ["Briefing:Mail:SmtpPort"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Briefing:Mail:SmtpSecurity"] = "None",
        ["Briefing:Mail:From"] = "briefingroom@briefing.example",
    };

    public async ValueTask InitializeAsync()
    {
        var data = Directory.CreateTempSubdirectory("briefingroom-smtp4dev-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The tool manifest (dotnet-tools.json) is at the repository's root.
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var arg in new[]
        {
            "tool", "run", "smtp4dev", "--", "--smtpport=0", "--bindaddress=127.0.0.1", "--imapport=", "--pop3port=",
            "--urls=http://127.0.0.1:0", "--db=", $"--baseappdatapath={data}", "--nousersettings", "--messagestokeep=1000",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var smtp = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var web = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.Add(line);
            }

            if (SmtpListening().Match(line) is { Success: true } s)
            {
                smtp.TrySetResult(int.Parse(s.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            if (WebListening().Match(line) is { Success: true } w)
            {
                web.TrySetResult(new Uri(w.Groups[1].Value));
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Exited += (_, _) =>
        {
            smtp.TrySetException(new InvalidOperationException("smtp4dev exited before it listened."));
            web.TrySetException(new InvalidOperationException("smtp4dev exited before it listened."));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            // Generous: a cold start of the tool on a busy two-core machine.
            SmtpPort = await smtp.Task.WaitAsync(TimeSpan.FromSeconds(120));
            _api = new HttpClient { BaseAddress = await web.Task.WaitAsync(TimeSpan.FromSeconds(120)) };
            // smtp4dev tells its web page when messages arrive, over SignalR: a wait for a message listens to that.
            _notifications = new HubConnectionBuilder().WithUrl(new Uri(_api.BaseAddress, "/hubs/notifications")).Build();
            // smtp4dev 3.15 names the mailbox that changed: a handler without it would never run.
            _notifications.On<string>("messageschanged", _ => Interlocked.Exchange(ref _mailboxChanged, NewSignal()).TrySetResult());
            await _notifications.StartAsync(TestHttp.Ct);
        }
        catch (Exception ex)
        {
            lock (_output)
            {
                throw new InvalidOperationException(
                    $"smtp4dev did not start (is it restored? `dotnet tool restore` at the repository's root): {ex.Message}\n{string.Join('\n', _output.TakeLast(20))}", ex);
            }
        }
    }

    /// <summary>The newest message to <paramref name="address"/>, waiting for it to arrive.</summary>
    public async Task<MimeMessage> WaitForMessageToAsync(string address, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            // Taken before looking: a message that lands while we look completes it, and we look again.
            var changed = Volatile.Read(ref _mailboxChanged).Task;
            var page = await _api!.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=1000", TestHttp.Ct);
            var match = page.GetProperty("results").EnumerateArray()
                .Where(m => m.GetProperty("to").EnumerateArray().Any(t => string.Equals(t.GetString(), address, StringComparison.OrdinalIgnoreCase)))
                .OrderByDescending(m => m.GetProperty("receivedDate").GetDateTimeOffset())
                .Select(m => m.GetProperty("id").GetString())
                .FirstOrDefault();
            if (match is not null)
            {
                await using var raw = await _api!.GetStreamAsync($"/api/messages/{match}/raw", TestHttp.Ct);
                return await MimeMessage.LoadAsync(raw, TestHttp.Ct);
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw NotReached(address, page);
            }

            try
            {
                await changed.WaitAsync(left, TestHttp.Ct);
            }
            catch (TimeoutException)
            {
                throw NotReached(address, await _api!.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=1000", TestHttp.Ct));
            }
        }
    }

    /// <summary>Says what the server did receive, and what it said last: a message that never came has a reason.</summary>
    private TimeoutException NotReached(string address, JsonElement page)
    {
        var received = page.GetProperty("results").EnumerateArray().Select(m => string.Join(",", m.GetProperty("to").EnumerateArray().Select(t => t.GetString()))).TakeLast(10);
        lock (_output)
        {
            return new TimeoutException($"No message to {address} reached the SMTP server. Last received to: {string.Join("; ", received)}. " +
                $"smtp4dev said: {string.Join('\n', _output.TakeLast(10))}");
        }
    }

    /// <summary>How many messages to <paramref name="address"/> the server holds now.</summary>
    public async Task<int> CountMessagesToAsync(string address)
    {
        var page = await _api!.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=1000", TestHttp.Ct);
        return page.GetProperty("results").EnumerateArray()
            .Count(m => m.GetProperty("to").EnumerateArray().Any(t => string.Equals(t.GetString(), address, StringComparison.OrdinalIgnoreCase)));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        if (_notifications is not null)
        {
            await _notifications.DisposeAsync();
        }

        _api?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    [GeneratedRegex(@"SMTP Server is listening on port (\d+)")]
    private static partial Regex SmtpListening();

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex WebListening();
}

[CollectionDefinition(Name)]
public sealed class MailCollection : ICollectionFixture<MailServer>
{
    public const string Name = "mail";
}
