using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BriefingRoom.LoadTests;

/// <summary>
/// The app as a child process, as it runs for real: `dotnet BriefingRoom.dll` on a loopback port, Development
/// settings, its own fresh SQLite file. Its output goes to a log file beside the database, not to our console.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string DemoPassword = "Load-test-demo-2025!";

    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, Uri url, string directory, StreamWriter log)
    {
        _process = process;
        Url = url;
        Directory = directory;
        _log = log;
    }

    public Uri Url { get; }
    public string Directory { get; }
    public int Pid => _process.Id;
    public string LogPath => Path.Combine(Directory, "server.log");

    /// <summary>Starts the app on a free loopback port; its database lives in <c>directory</c>, a fresh temporary folder unless given (a restart on the same data, and then on the same <c>url</c>).</summary>
    public static async Task<ServerProcess> StartAsync(string dll, bool pin, IReadOnlyDictionary<string, string> settings, string? directory, Uri? url, CancellationToken ct)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"No app at {dll}: build it first (dotnet build -c Release).", dll);
        }

        directory ??= Path.Combine(Path.GetTempPath(), "briefingroom-load", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        url ??= new Uri($"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}");

        var start = new ProcessStartInfo
        {
            FileName = pin ? "taskset" : "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        if (pin)
        {
            // taskset execs dotnet, so the child's pid is the app's pid.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("0");
            start.ArgumentList.Add("dotnet");
        }

        foreach (var arg in new[] { dll, "--urls", url.ToString() })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__BriefingRoom"] = $"Data Source={Path.Combine(directory, "briefingroom.db")}";
        start.Environment["Demo__Password"] = DemoPassword;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Invitations are answered with their link (Development, no SMTP) and written here, not beside the app's binaries.
        start.Environment["Briefing__Mail__PickupFolder"] = Path.Combine(directory, "mail");
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        var log = new StreamWriter(Path.Combine(directory, "server.log"), append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, url, directory, log);
        await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90), ct);
        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine's OOM killer or an operator's kill -9 strikes.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode}; see {LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the app migrates and seeds before it takes requests.
            }

            // Nothing to wait on but the port opening: poll.
            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"The app did not answer /healthz within {timeout.TotalSeconds} s; see {LogPath}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
