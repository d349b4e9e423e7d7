namespace BriefingRoom.LoadTests;

/// <summary>
/// The app under test: one this tool starts (and may restart on the same database, so that each scenario group
/// begins with a fresh process), or one already running at a URL.
/// </summary>
public sealed class Target : IAsyncDisposable
{
    /// <summary>
    /// Only while the accounts are made, on a process that is then stopped: the admin's hundreds of grants and the
    /// registrations from one address would otherwise wait on the per-user and per-address budgets. The measured
    /// processes run with the app's own limits.
    /// </summary>
    private static readonly Dictionary<string, string> SetupLimits = new()
    {
        ["Briefing:RateLimits:ApiPerSecond"] = "100000",
        ["Briefing:RateLimits:ApiBurst"] = "100000",
        ["Briefing:RateLimits:AnonymousPerSecond"] = "100000",
        ["Briefing:RateLimits:AnonymousBurst"] = "100000",
    };

    private readonly LoadOptions _options;
    private readonly Log _log;
    private ServerProcess? _server;

    private Target(LoadOptions options, Log log)
    {
        _options = options;
        _log = log;
    }

    public Uri Url => _server?.Url ?? _options.Url!;
    public bool Owned => _options.Url is null;
    public ProcStats Stats => new(_server?.Pid ?? _options.ServerPid);
    public string Description { get; private set; } = "";

    public static async Task<Target> OpenAsync(LoadOptions options, Log log, CancellationToken ct)
    {
        var target = new Target(options, log);
        if (options.Url is null)
        {
            await target.StartAsync(forSetup: true, ct);
        }
        else
        {
            target.Description = $"{options.Url} (pid {options.ServerPid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown: no CPU or memory figures"})";
        }

        return target;
    }

    /// <summary>A new process on the same database, with the app's own settings; a no-op for a target given by URL.</summary>
    public async Task FreshProcessAsync(CancellationToken ct)
    {
        if (Owned)
        {
            await StartAsync(forSetup: false, ct);
        }
    }

    /// <summary>Stops the app; its temporary database goes too, unless it lives in a --data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            if (_options.DataDirectory is null)
            {
                try
                {
                    Directory.Delete(_server.Directory, recursive: true);
                }
                catch (IOException)
                {
                    // Left for the system's temp cleaning.
                }
            }
        }
    }

    private async Task StartAsync(bool forSetup, CancellationToken ct)
    {
        var directory = _server?.Directory ?? _options.DataDirectory;
        var url = _server?.Url;
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        var dll = _options.ServerDll ?? DefaultDll();
        var settings = new Dictionary<string, string>(_options.ServerEnvironment);
        if (forSetup)
        {
            foreach (var (key, value) in SetupLimits)
            {
                settings[key] = value;
            }
        }

        _server = await ServerProcess.StartAsync(dll, _options.Pin, settings, directory, url, ct);
        var environment = string.Join(' ', _options.ServerEnvironment.Select(kv => $"{kv.Key}={kv.Value}"));
        Description = $"{dll} on {_server.Url} (pid {_server.Pid}{(_options.Pin ? ", pinned to core 0" : "")}, data in {_server.Directory}{(environment.Length > 0 ? ", " + environment : "")})";
        _log.Info($"app started{(forSetup ? " for setup" : "")}: {Description}");
    }

    /// <summary>The app built in the same configuration as this tool, found from the repository root.</summary>
    private static string DefaultDll()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BriefingRoom.sln")))
            {
                return Path.Combine(dir.FullName, "src", "BriefingRoom", "bin", configuration, "net10.0", "BriefingRoom.dll");
            }
        }

        throw new InvalidOperationException("No BriefingRoom.sln above the tool: pass --server-dll.");
    }
}
