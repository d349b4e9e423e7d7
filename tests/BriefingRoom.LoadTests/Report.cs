using System.Globalization;
using System.Text;

namespace BriefingRoom.LoadTests;

/// <summary>Progress on stderr, so that stdout carries only the results table.</summary>
public sealed class Log
{
    private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();

    public void Info(string message) =>
        Console.Error.WriteLine($"[{System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalSeconds,7:F1}s] {message}");
}

/// <summary>One line of the results: what was measured, and the target it had to meet, if any.</summary>
public sealed record ResultRow(string Scenario, string Metric, string Measured, string Target, bool? Met);

public sealed class Report
{
    private readonly List<ResultRow> _rows = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<ResultRow> Rows => _rows;

    public bool AllTargetsMet => _rows.All(r => r.Met != false);

    public void Info(string scenario, string metric, string measured) => _rows.Add(new ResultRow(scenario, metric, measured, "", null));

    /// <summary>A value that must not exceed <paramref name="limit"/>.</summary>
    public void AtMost(string scenario, string metric, double value, double limit, string unit, string format = "F1") =>
        _rows.Add(new ResultRow(scenario, metric, Format(value, format) + unit, "≤ " + Format(limit, format) + unit, !double.IsNaN(value) && value <= limit));

    public void AtLeast(string scenario, string metric, double value, double limit, string unit, string format = "F1") =>
        _rows.Add(new ResultRow(scenario, metric, Format(value, format) + unit, "≥ " + Format(limit, format) + unit, !double.IsNaN(value) && value >= limit));

    public void Check(string scenario, string metric, string measured, string target, bool met) =>
        _rows.Add(new ResultRow(scenario, metric, measured, target, met));

    public void Note(string note) => _notes.Add(note);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("| scenario | metric | measured | target | |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var r in _rows)
        {
            var verdict = r.Met switch { true => "ok", false => "**MISSED**", null => "" };
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Metric} | {r.Measured} | {r.Target} | {verdict} |");
        }

        if (_notes.Count > 0)
        {
            md.AppendLine();
            foreach (var note in _notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        return md.ToString();
    }

    public static string Format(double value, string format = "F1") =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Mb(long bytes) => bytes < 0 ? "n/a" : (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture) + " MB";
}
