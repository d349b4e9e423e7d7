using System.Diagnostics;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// <c>dotnet BriefingRoom.dll create-admin ADDRESS NAME</c> (or another of the app's commands, such as
/// <c>remove-admin ADDRESS</c>), run as the operator runs it on the server.
/// </summary>
public static class CreateAdminCommand
{
    /// <summary>Runs the command with <paramref name="environment"/> (the database, the password, ...) and answers its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string address, string name, IReadOnlyDictionary<string, string> environment) =>
        RunAsync(["create-admin", address, name], environment);

    /// <summary><c>dotnet BriefingRoom.dll</c> with <paramref name="arguments"/>: its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "BriefingRoom.dll") }.Concat(arguments))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var command = Process.Start(start)!;
        var output = command.StandardOutput.ReadToEndAsync(TestHttp.Ct);
        var errors = command.StandardError.ReadToEndAsync(TestHttp.Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestHttp.Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await command.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            command.Kill(entireProcessTree: true);
            Assert.Fail($"{arguments[0]} did not finish: the app started serving instead.");
        }

        return (command.ExitCode, await output + await errors);
    }
}
