using BriefingRoom.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BriefingRoom.BrowserTests.Infrastructure;

/// <summary>
/// The real app on Kestrel on a loopback port, with the demo meeting in its own SQLite file. It can be stopped
/// and started again on the same port with the same database and key ring, as a restarted server would be:
/// the signed-in browsers keep their cookies and reconnect by themselves.
/// </summary>
public sealed class RoomServer : IAsyncDisposable
{
    public const string Password = "Browser-test-2025!";
    public const int DemoMeetingId = 1;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "briefingroom-browser-tests", Guid.NewGuid().ToString("N"));
    private Factory? _app;

    private readonly IReadOnlyDictionary<string, string> _settings;

    private RoomServer(IReadOnlyDictionary<string, string> settings)
    {
        _settings = settings;
        Directory.CreateDirectory(_directory);
    }

    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string DatabasePath => Path.Combine(_directory, "briefingroom.db");

    /// <summary>Where the app writes its letters (Development without an SMTP server): one .eml file each.</summary>
    public string MailFolder => Path.Combine(_directory, "mail");

    /// <summary>The first letter to <paramref name="address"/> in <see cref="MailFolder"/>, waiting for the app to write it.</summary>
    public async Task<MimeKit.MimeMessage> WaitForLetterToAsync(string address, TimeSpan timeout)
    {
        Directory.CreateDirectory(MailFolder);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The app writes a letter aside and renames it to .eml: the rename is the moment it is whole.
        using var watcher = new FileSystemWatcher(MailFolder, "*.eml") { EnableRaisingEvents = true };
        watcher.Renamed += (_, _) => written.TrySetResult();
        watcher.Created += (_, _) => written.TrySetResult();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var seen = written.Task;
            foreach (var file in Directory.GetFiles(MailFolder, "*.eml").Order())
            {
                var letter = await MimeKit.MimeMessage.LoadAsync(file);
                if (letter.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)))
                {
                    return letter;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No letter to {address} was written to {MailFolder}.");
            }

            await seen.WaitAsync(left);
            written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>A server on a free port with a fresh database; <c>settings</c>: configuration beyond the defaults.</summary>
    public static RoomServer Start(IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = new RoomServer(settings ?? new Dictionary<string, string>());
        server.StartOn(0);
        return server;
    }

    /// <summary>"chair" becomes chair@briefing.example.</summary>
    public static string Email(string who) => Demo.DemoSeeder.EmailOf(who);

    /// <summary>The app's services, for reading what the server has stored.</summary>
    public IServiceProvider Services => (_app ?? throw new InvalidOperationException("The server is stopped.")).Services;

    /// <summary>An item's draft as the server has stored it.</summary>
    public string StoredDraft(int itemId)
    {
        // The stored copy may lag the live text by a few operations: the meeting's grain stores what it has first.
        Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<Live.IMeetingGrain>(1).Checkpoint().GetAwaiter().GetResult();
        using var scope = Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<BriefingDb>().Items.Single(i => i.Id == itemId).DraftText;
    }

    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        await _app.DisposeAsync();
        _app = null;
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Starts again on the same port, with the same database file and keys.</summary>
    public void Restart()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("Stop the server before starting it again.");
        }

        StartOn(Port);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
    }

    private void StartOn(int port)
    {
        var app = new Factory(this);
        app.UseKestrel(port);
        app.StartServer();
        _app = app;
        Port = app.ClientOptions.BaseAddress.Port;
    }

    private sealed class Factory(RoomServer server) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:BriefingRoom", $"Data Source={server.DatabasePath}");
            builder.UseSetting("Demo:Password", Password);
            // Invitations are written here (Development without an SMTP server), never into the source tree.
            builder.UseSetting("Briefing:Mail:PickupFolder", Path.Combine(server._directory, "mail"));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
            foreach (var (key, value) in server._settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(services =>
            {
                // Hashing is deliberately slow in production; tests sign in many times.
                services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
                // Both lives of a restarted server must read the cookies the first one issued.
                services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(server._directory, "keys")));
                services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
            });
        }
    }
}
