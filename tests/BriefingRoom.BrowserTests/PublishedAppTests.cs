using System.Diagnostics;
using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>The app as it is deployed: `dotnet publish`, then `dotnet BriefingRoom.dll` started from another folder.</summary>
public sealed partial class PublishedAppTests : IAsyncDisposable
{
    private const string Password = "Published-2025!";
    private readonly string _directory = Directory.CreateTempSubdirectory("briefingroom-published-").FullName;
    private Process? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePublishedAppCarriesItsFrontEndAndServesTheRoomFromAnyFolder()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;

        var output = Path.Combine(_directory, "out");
        await RunAsync("dotnet", ["publish", Path.Combine(RepositoryRoot(), "src", "BriefingRoom"), "-c", "Release", "-o", output, "--nologo"], RepositoryRoot());
        Assert.True(File.Exists(Path.Combine(output, "wwwroot", "index.html")), "the published app has no wwwroot/index.html");

        // Started from an unrelated folder: its settings, web root and database must be found beside the binaries.
        var elsewhere = Directory.CreateDirectory(Path.Combine(_directory, "elsewhere")).FullName;
        var url = await StartAsync(Path.Combine(output, "BriefingRoom.dll"), elsewhere);

        using var http = new HttpClient { BaseAddress = url };
        using var module = new HttpRequestMessage(HttpMethod.Get, "/js/app.js");
        module.Headers.AcceptEncoding.ParseAdd("br, gzip");
        using var served = await http.SendAsync(module, Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("br", Assert.Single(served.Content.Headers.ContentEncoding));
        Assert.NotNull(served.Headers.ETag);
        Assert.True(served.Headers.CacheControl?.NoCache, "a module at a stable address must be revalidated");

        var page = await (await browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(url.ToString());
        await page.GetByLabel("E-mail address").FillAsync("fr@briefing.example");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
        await page.GotoAsync(new Uri(url, "/#/meetings/1/items/1").ToString());
        // The first join of a freshly started process starts the meeting's grain and JIT-compiles the live core: on a
        // busy machine that alone has taken more than the default five seconds.
        await Expect(page.Locator(".cm-editor[data-document-id='draft:1'] .cm-content")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#connection-state")).ToContainTextAsync("Live");
        Assert.False(File.Exists(Path.Combine(elsewhere, "briefingroom.db")), "the database went to the current folder, not the app's");
    }

    private async Task<Uri> StartAsync(string dll, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Demo__Password"] = Password;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        _app = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            if (ListeningOn().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        _app.OutputDataReceived += (_, e) => Read(e.Data);
        _app.ErrorDataReceived += (_, e) => Read(e.Data);
        _app.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The published app exited before it listened."));
        _app.Start();
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        try
        {
            return await listening.Task.WaitAsync(TimeSpan.FromSeconds(120), Ct);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            lock (lines)
            {
                throw new InvalidOperationException($"{ex.Message}\n{string.Join('\n', lines.TakeLast(20))}", ex);
            }
        }
    }

    private static async Task RunAsync(string file, string[] args, string workingDirectory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed:\n{await stdout}\n{await stderr}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BriefingRoom.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No BriefingRoom.sln above the test binaries.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }

        _app?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
