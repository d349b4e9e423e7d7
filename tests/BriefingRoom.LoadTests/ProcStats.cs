using System.Globalization;

namespace BriefingRoom.LoadTests;

/// <summary>CPU time and memory of a process on Linux, read from /proc (utime+stime; VmRSS, VmHWM).</summary>
public sealed class ProcStats(int? pid)
{
    public int? Pid => pid;

    /// <summary>USER_HZ: the unit of utime and stime. 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100;

    public bool Available => pid is { } p && File.Exists($"/proc/{p}/stat");

    /// <summary>CPU seconds the process has used, user and system together.</summary>
    public double CpuSeconds()
    {
        if (!Available)
        {
            return double.NaN;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    public long RssBytes() => StatusKb("VmRSS") * 1024;

    public long PeakRssBytes() => StatusKb("VmHWM") * 1024;

    /// <summary>Resets VmHWM to the current RSS (Linux 4.0+, "5" to clear_refs), so a peak belongs to one scenario.</summary>
    public bool ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private long StatusKb(string field)
    {
        if (!Available)
        {
            return -1;
        }

        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>The soft limit on open files for this process, from /proc/self/limits.</summary>
    public static long OpenFilesLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts[0] == "unlimited" ? long.MaxValue : long.Parse(parts[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}

/// <summary>CPU use over a window, of the app and of this tool: cores busy on average (1.0 = one core all the time).</summary>
public sealed class CpuWindow
{
    private readonly ProcStats _stats;
    private readonly double _cpu0;
    private readonly double _own0 = Own();
    private readonly double _pressure0 = CpuPressureSeconds();
    private readonly long _t0 = System.Diagnostics.Stopwatch.GetTimestamp();

    public CpuWindow(ProcStats stats)
    {
        _stats = stats;
        _cpu0 = stats.CpuSeconds();
    }

    public double Cores() => (_stats.CpuSeconds() - _cpu0) / Wall();

    public double OwnCores() => (Own() - _own0) / Wall();

    /// <summary>
    /// The share of the window in which some runnable task on the machine waited for a CPU (Linux PSI, /proc/pressure/cpu
    /// "some"): near 0 on a quiet machine; near 1 when other work competes with the app and this tool.
    /// </summary>
    public double CpuPressure() => (CpuPressureSeconds() - _pressure0) / Wall();

    private static double CpuPressureSeconds()
    {
        try
        {
            var some = File.ReadLines("/proc/pressure/cpu").First(l => l.StartsWith("some", StringComparison.Ordinal));
            var total = some.Split(' ').First(f => f.StartsWith("total=", StringComparison.Ordinal));
            return long.Parse(total["total=".Length..], CultureInfo.InvariantCulture) / 1e6;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return double.NaN;
        }
    }

    private double Wall() => System.Diagnostics.Stopwatch.GetElapsedTime(_t0).TotalSeconds;

    private static double Own() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
