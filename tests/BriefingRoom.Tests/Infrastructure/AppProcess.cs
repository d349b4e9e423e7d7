using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// The real app as a separate process (`dotnet exec BriefingRoom.dll`), for what an in-process host cannot show:
/// a SIGKILL, and a restart on the same database. Its own SQLite file in a temp folder, Development settings,
/// a port the app picks itself and announces ("Now listening on: ...").
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    public const string Password = "Durable-test-2025!";

    private readonly Process _process;

    private AppProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Starts the app on the database in <paramref name="directory"/> and returns once it listens.</summary>
    public static async Task<AppProcess> StartAsync(string directory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var binaries = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The content root: the app's appsettings files are copied beside the test binaries.
            WorkingDirectory = binaries,
        };
        foreach (var arg in new[] { "exec", Path.Combine(binaries, "BriefingRoom.dll"), "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__BriefingRoom"] = $"Data Source={Path.Combine(directory, "briefingroom.db")}";
        start.Environment["Demo__Seed"] = "true";
        start.Environment["Demo__Password"] = Password;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var output = new List<string>();
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
            }

            if (ListeningOn().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The app exited before it listened."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            return new AppProcess(process, url);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                throw new InvalidOperationException($"The app did not start: {ex.Message}\n{string.Join('\n', output.TakeLast(30))}", ex);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown code, no flush, no goodbye to the clients.</summary>
    public async Task KillAsync()
    {
        // Not the process tree: finding it reads all of /proc, a delay in which the app would go on committing.
        _process.Kill();
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    public async Task<string> TokenForAsync(string who)
    {
        using var http = new HttpClient { BaseAddress = Url };
        var response = await http.PostAsJsonAsync("/api/auth/login", new { email = BriefingApp.Email(who), password = Password }, TestContext.Current.CancellationToken);
        await response.ShouldBeAsync(200);
        return (await response.ReadAsync<TokenResponse>()).AccessToken;
    }

    public async Task<HttpClient> SignInAsync(string who)
    {
        var http = new HttpClient { BaseAddress = Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenForAsync(who));
        return http;
    }

    public async Task<RoomClient> JoinAsync(string who) => await RoomClient.JoinAsync(Url, await TokenForAsync(who), who);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();

    private sealed record TokenResponse(string AccessToken);
}
