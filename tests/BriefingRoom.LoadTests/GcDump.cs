using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BriefingRoom.LoadTests;

/// <summary>
/// The app's live managed heap, through dotnet-gcdump (a .NET global tool), which makes the runtime do a full
/// blocking collection and walk the heap: garbage not yet collected does not count. -1 when the tool is missing.
/// </summary>
public static partial class GcDump
{
    public static async Task<long> LiveHeapBytesAsync(ProcStats stats, CancellationToken ct)
    {
        var tool = Find();
        if (tool is null || stats.Pid is not { } pid)
        {
            return -1;
        }

        var file = Path.Combine(Path.GetTempPath(), $"briefingroom-{pid}-{Guid.NewGuid():N}.gcdump");
        try
        {
            if (await RunAsync(tool, ["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file], ct) is null || !File.Exists(file))
            {
                return -1;
            }

            var report = await RunAsync(tool, ["report", file], ct);
            // The report's first line: "<bytes>  GC Heap bytes".
            return report is not null && HeapBytes().Match(report) is { Success: true } m
                ? long.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
                : -1;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string? Find()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? "";
        return new[] { Path.Combine(home, ".dotnet", "tools", "dotnet-gcdump") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet-gcdump")))
            .FirstOrDefault(File.Exists);
    }

    private static async Task<string?> RunAsync(string tool, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0 ? output : null;
    }

    [GeneratedRegex(@"([\d,]+)\s+GC Heap bytes")]
    private static partial Regex HeapBytes();
}
