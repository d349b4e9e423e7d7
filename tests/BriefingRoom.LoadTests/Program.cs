using System.Diagnostics;
using BriefingRoom.LoadTests;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

if (args.Contains("--help"))
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

var log = new Log();
if (options.Pin && OperatingSystem.IsLinux())
{
    // The app gets core 0 (taskset), this tool core 1: the two do not steal each other's time slices.
    Process.GetCurrentProcess().ProcessorAffinity = 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = new Report();
try
{
    await using var target = await Target.OpenAsync(options, log, cancel.Token);
    await new Bench(options, target, report, log).RunAsync(cancel.Token);
    report.Note($"app: {target.Description}");
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException or FileNotFoundException)
{
    Console.Error.WriteLine($"Setup failed: {ex.Message}");
    return 2;
}

report.Note($"{DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores visible to this tool, .NET {Environment.Version}, {string.Join(' ', args)}");
var markdown = report.ToMarkdown();
Console.WriteLine(markdown);
if (options.MarkdownFile is { } file)
{
    await File.AppendAllTextAsync(file, markdown + Environment.NewLine);
}

return report.AllTargetsMet ? 0 : 1;
