using System.Diagnostics;

using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Drafting;

/// <summary>Runs the node suite for the browser modules, so that `dotnet test` covers the JS side too.</summary>
public class JavaScriptSuiteTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task TheBrowserOtModulesPassTheNodeSuite()
    {
        var node = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node");
        if (node is null)
        {
            const string reason = "node is not on PATH, so tests/js/ cannot run (set BRIEFINGROOM_REQUIRE_NODE=1 to make this a failure).";
            Assert.SkipWhen(Environment.GetEnvironmentVariable("BRIEFINGROOM_REQUIRE_NODE") != "1", reason);
            Assert.Fail(reason);
        }

        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add("tests/js/");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {node}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = $"node --test tests/js/ exited with {process.ExitCode}\n{await stdout}\n{await stderr}";
        Assert.True(process.ExitCode == 0, output);
    }

    private static string? FindOnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, file))
            .FirstOrDefault(File.Exists);
}
