using System.Globalization;

namespace BriefingRoom.LoadTests;

/// <summary>What to run, against what, and the targets a run must meet. Every option has the issue's default.</summary>
public sealed class LoadOptions
{
    public const string Usage = """
        BriefingRoom load tool: simulated delegates over the .NET SignalR client (WebSockets).

          dotnet run -c Release --project tests/BriefingRoom.LoadTests -- [options]

          --scenario LIST     storm,steady,pdf,sustained,idle or all (default: storm,steady)
          --delegates N       delegates in the meeting (250)
          --typists E         delegates typing in the steady and pdf scenarios (50)
          --rate R            operations per second per typist (1)
          --duration S        seconds of steady editing, after warm-up (60)
          --warmup S          seconds of editing before measuring (5)
          --sustained-typists E, --sustained-duration S   the sustained scenario (100 typists, 300 s)
          --storm-window S    the join storm spreads its joins over S seconds (10)
          --connections C     idle connections (5000), joined in meetings of --room-size (250)
          --url URL           target a running app instead of starting one (then pass --server-pid
                              for CPU and memory, and --admin-password / --secretariat-password)
          --server-dll PATH   the app to start (default: src/BriefingRoom/bin/<config>/net10.0/BriefingRoom.dll)
          --pin               run the app on core 0 (taskset) and this tool on core 1
          --server-env K=V    an environment variable for the app this tool starts (repeatable), e.g.
                              DOTNET_gcServer=0 or Briefing__RateLimits__HubPerSecond=100
          --target-p50 MS, --target-p99 MS, --target-max MS, --target-sustained-p99 MS,
          --target-storm-p95 MS, --target-idle-kb KB   override the targets
          --data DIR          keep the app's database in DIR, and reuse the delegates (and their tokens, for
                              50 minutes) that an earlier run made there: quicker reruns
          --idle-hold S       keep the idle connections open S seconds after measuring (to look with dotnet-counters)
          --markdown FILE     also append the results table to FILE
        Exit code: 0 when every target is met, 1 when one is missed, 2 on a usage or setup error.
        """;

    public HashSet<string> Scenarios { get; private set; } = ["storm", "steady"];
    public int Delegates { get; private set; } = 250;
    public int Typists { get; private set; } = 50;
    public double Rate { get; private set; } = 1;
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(60);
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(5);
    public int SustainedTypists { get; private set; } = 100;
    public TimeSpan SustainedDuration { get; private set; } = TimeSpan.FromMinutes(5);
    public TimeSpan StormWindow { get; private set; } = TimeSpan.FromSeconds(10);
    public int Connections { get; private set; } = 5_000;
    public int RoomSize { get; private set; } = 250;
    public Uri? Url { get; private set; }
    public int? ServerPid { get; private set; }
    public string? ServerDll { get; private set; }
    public bool Pin { get; private set; }
    public string AdminPassword { get; private set; } = ServerProcess.DemoPassword;
    public string SecretariatPassword { get; private set; } = ServerProcess.DemoPassword;
    public string? MarkdownFile { get; private set; }
    public string? DataDirectory { get; private set; }
    public TimeSpan IdleHold { get; private set; }
    public Dictionary<string, string> ServerEnvironment { get; } = [];
    public int MeetingId { get; private set; } = 1;

    public double TargetP50Ms { get; private set; } = 10;
    public double TargetP99Ms { get; private set; } = 50;
    public double TargetMaxMs { get; private set; } = 250;
    public double TargetSustainedP99Ms { get; private set; } = 100;
    public double TargetStormP95Ms { get; private set; } = 400;
    public double TargetIdleKb { get; private set; } = 32;

    public static readonly string[] AllScenarios = ["storm", "steady", "pdf", "sustained", "idle"];

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double Num() => double.Parse(Next(), CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(Num());
            switch (name)
            {
                case "--scenario":
                    var list = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    o.Scenarios = list.Contains("all") ? [.. AllScenarios] : [.. list];
                    if (o.Scenarios.FirstOrDefault(s => !AllScenarios.Contains(s)) is { } unknown)
                    {
                        throw new ArgumentException($"Unknown scenario '{unknown}': use {string.Join(", ", AllScenarios)} or all.");
                    }

                    break;
                case "--delegates": o.Delegates = Int(); break;
                case "--typists": o.Typists = Int(); break;
                case "--rate": o.Rate = Num(); break;
                case "--duration": o.Duration = Seconds(); break;
                case "--warmup": o.Warmup = Seconds(); break;
                case "--sustained-typists": o.SustainedTypists = Int(); break;
                case "--sustained-duration": o.SustainedDuration = Seconds(); break;
                case "--storm-window": o.StormWindow = Seconds(); break;
                case "--connections": o.Connections = Int(); break;
                case "--room-size": o.RoomSize = Int(); break;
                case "--url": o.Url = new Uri(Next()); break;
                case "--server-pid": o.ServerPid = Int(); break;
                case "--server-dll": o.ServerDll = Next(); break;
                case "--pin": o.Pin = true; break;
                case "--admin-password": o.AdminPassword = Next(); break;
                case "--secretariat-password": o.SecretariatPassword = Next(); break;
                case "--markdown": o.MarkdownFile = Next(); break;
                case "--data": o.DataDirectory = Path.GetFullPath(Next()); break;
                case "--idle-hold": o.IdleHold = Seconds(); break;
                case "--server-env":
                    var pair = Next().Split('=', 2);
                    o.ServerEnvironment[pair[0]] = pair.Length == 2 ? pair[1] : throw new ArgumentException("--server-env takes NAME=VALUE.");
                    break;
                case "--meeting": o.MeetingId = Int(); break;
                case "--target-p50": o.TargetP50Ms = Num(); break;
                case "--target-p99": o.TargetP99Ms = Num(); break;
                case "--target-max": o.TargetMaxMs = Num(); break;
                case "--target-sustained-p99": o.TargetSustainedP99Ms = Num(); break;
                case "--target-storm-p95": o.TargetStormP95Ms = Num(); break;
                case "--target-idle-kb": o.TargetIdleKb = Num(); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (o.Delegates < 2 || o.Typists < 1 || o.Typists > o.Delegates || (o.Scenarios.Contains("sustained") && o.SustainedTypists > o.Delegates) || o.Rate <= 0)
        {
            throw new ArgumentException("Need at least 2 delegates, 1 to N typists, and a positive rate.");
        }

        return o;
    }
}
