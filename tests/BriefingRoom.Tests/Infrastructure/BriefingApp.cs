using System.Net.Http.Headers;
using System.Net.Http.Json;
using BriefingRoom.Api;
using BriefingRoom.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// The real app with its own SQLite file, seeded with the demo meeting as in Development.
/// One per test: no test sees another's data.
/// </summary>
public class BriefingApp : WebApplicationFactory<Program>
{
    public const string Password = "Test-password-2025!";
    public const int DemoMeetingId = 1;

    private readonly string _directory;
    private readonly bool _ownsDirectory;
    private readonly Dictionary<string, string?> _settings = [];
    private readonly List<Action<IServiceCollection>> _services = [];

    /// <param name="realSockets">Run on Kestrel on a loopback port, so that clients use real WebSockets.</param>
    /// <param name="directory">
    /// Where the database lives, for a test that starts the app again on the same data (the test deletes it);
    /// a fresh folder of the app's own, deleted with it, by default.
    /// </param>
    public BriefingApp(bool realSockets = false, string? directory = null)
    {
        _ownsDirectory = directory is null;
        _directory = directory ?? Path.Combine(Path.GetTempPath(), "briefingroom-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        RealSockets = realSockets;
        if (realSockets)
        {
            UseKestrel(0);
        }
    }

    public bool RealSockets { get; }

    /// <summary>The hosting environment: Development (demo seeded, as a developer runs it) unless a test says otherwise.</summary>
    public string Environment { get; init; } = "Development";

    private Uri? _baseAddress;

    /// <summary>Where the app listens: the loopback address on Kestrel, the in-memory server's otherwise.</summary>
    public Uri BaseAddress
    {
        get
        {
            if (_baseAddress is null)
            {
                StartServer();
                using var client = CreateClient();
                _baseAddress = client.BaseAddress!;
            }

            return _baseAddress;
        }
    }

    public string DatabasePath => Path.Combine(_directory, "briefingroom.db");

    /// <summary>Adds or overrides a configuration value before the app starts.</summary>
    public BriefingApp With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>
    /// This instance as one of a scaled-out deployment: on the PostgreSQL <paramref name="database"/> and the tests' Redis,
    /// under a Redis prefix that the instances of one test share and no other test uses.
    /// </summary>
    public BriefingApp ScaledOut(string database, string redisPrefix) =>
        With("Briefing:Database", "Postgres")
            .With("ConnectionStrings:BriefingRoom", database)
            .With("ConnectionStrings:Redis", ExternalServices.Redis)
            .With("Briefing:RedisPrefix", redisPrefix);

    /// <summary>Replaces or adds services before the app starts (a test's seam, such as <see cref="global::BriefingRoom.Realtime.JoinSteps"/>).</summary>
    public BriefingApp WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting($"ConnectionStrings:{DataSetup.ConnectionStringName}", $"Data Source={DatabasePath}");
        builder.UseSetting("Demo:Password", Password);
        // Invitations are written here (Development without an SMTP server), never into the source tree.
        builder.UseSetting("Briefing:Mail:PickupFolder", Path.Combine(_directory, "mail"));
        if (Environment != "Development")
        {
            // Outside Development letters link only to the app's own address (a test that means it unset sets it empty).
            builder.UseSetting("Briefing:Mail:PublicUrl", "https://briefing.example.org");
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // Hashing is deliberately slow in production; tests sign in dozens of times.
        builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
        foreach (var configure in _services)
        {
            builder.ConfigureServices(configure);
        }
    }

    /// <summary>A client signed in with a bearer token, as an API or load client would be.</summary>
    public async Task<HttpClient> SignInAsync(string who) => ClientWithToken(await TokenForAsync(who));

    /// <summary>A client that sends <paramref name="token"/> as its bearer token (one a test already holds, or shares with a hub connection).</summary>
    public HttpClient ClientWithToken(string? token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<string> TokenForAsync(string who)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = Email(who), password = Password }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(BriefingJson.Options, TestContext.Current.CancellationToken);
        return token!.AccessToken;
    }

    /// <summary>"chair" becomes chair@briefing.example; a full address stays as it is.</summary>
    public static string Email(string who) => who.Contains('@', StringComparison.Ordinal) ? who : Demo.DemoSeeder.EmailOf(who);

    /// <summary>
    /// Seats a newcomer as people are seated: <paramref name="invitedBy"/> invites the address, and the newcomer follows
    /// the link (shown to the inviter, as in Development without an SMTP server) and chooses the password.
    /// Returns the newcomer signed in with a bearer token.
    /// </summary>
    public async Task<HttpClient> InviteAndAcceptAsync(string email, string role, string? delegationCode, string displayName, string invitedBy = "chair", int meetingId = DemoMeetingId)
    {
        using var inviter = await SignInAsync(invitedBy);
        var invited = await inviter.PostJsonAsync($"/api/meetings/{meetingId}/invitations", new { email, displayName, role, delegationCode });
        await invited.ShouldBeAsync(200);
        var link = (await invited.ReadJsonAsync()).GetProperty("link").GetString()!;
        using var newcomer = CreateClient();
        await (await newcomer.PostJsonAsync("/api/invitations/accept", new { token = TokenOf(link), password = Password })).ShouldBeAsync(200);
        return await SignInAsync(email);
    }

    /// <summary>The token an invitation link carries after "#/invitation/".</summary>
    public static string TokenOf(string link) => link[(link.IndexOf("#/invitation/", StringComparison.Ordinal) + "#/invitation/".Length)..];

    /// <summary>Registers a fresh account that belongs to no meeting (needs Briefing:Registration:Open).</summary>
    public async Task<HttpClient> RegisterOutsiderAsync(string email = "outsider@example.org")
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, password = Password }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await SignInAsync(email);
    }

    /// <summary>
    /// A text as the server holds it. The stored copy in the database may lag the live text by a few operations, so the
    /// meeting's grain first brings it up to date (what it commits then is exactly what it has acknowledged).
    /// </summary>
    public string ServerText(string documentId, int meetingId = DemoMeetingId)
    {
        Checkpoint(meetingId);
        var id = global::BriefingRoom.Drafting.DocumentId.TryParse(documentId, out var parsed) ? parsed.Value : throw new ArgumentException($"No text {documentId}.", nameof(documentId));
        return WithDb(db => id.Kind == global::BriefingRoom.Drafting.DocumentKind.Draft
            ? db.Items.Single(i => i.Id == id.ItemId).DraftText
            : db.Positions.Single(p => p.ItemId == id.ItemId && p.DelegationCode == id.DelegationCode).Text);
    }

    /// <summary>The revision of a text as the server holds it.</summary>
    public int ServerRevision(string documentId, int meetingId = DemoMeetingId)
    {
        Checkpoint(meetingId);
        return WithDb(db => db.TextEdits.Where(e => e.DocumentId == documentId).Max(e => (int?)e.Revision) ?? 0);
    }

    /// <summary>
    /// Returns once <paramref name="hub"/>'s handlers have run for everything the server sent its connection so far: the
    /// server pushes a marker to that one connection, after what it sent it before, and the client runs its handlers in
    /// the order their messages arrived. (The answer to a call of its own proves nothing: the client completes calls at
    /// once, but queues handlers.) For a test that checks a connection heard nothing.
    /// </summary>
    public async Task HandledAllSentToAsync(Microsoft.AspNetCore.SignalR.Client.HubConnection hub)
    {
        var marker = Guid.NewGuid().ToString("N");
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listening = Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.On<string>(hub, "TestMarker", m =>
        {
            if (m == marker)
            {
                handled.TrySetResult();
            }
        });
        var ct = TestContext.Current.CancellationToken;
        await Services.GetRequiredService<Microsoft.AspNetCore.SignalR.IHubContext<global::BriefingRoom.Realtime.BriefingHub>>()
            .Clients.Client(hub.ConnectionId!).SendCoreAsync("TestMarker", [marker], ct);
        await handled.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
    }

    /// <summary>Has the meeting's grain commit what waits and store its texts.</summary>
    public void Checkpoint(int meetingId = DemoMeetingId) =>
        Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<global::BriefingRoom.Live.IMeetingGrain>(meetingId).Checkpoint().GetAwaiter().GetResult();

    /// <summary>The version of a delegation's stored position on an item, 0 when it has none yet (what a PUT expects).</summary>
    public int PositionVersion(int itemId, string code) =>
        WithDb(db => db.Positions.SingleOrDefault(p => p.ItemId == itemId && p.DelegationCode == code)?.Version ?? 0);

    public T WithDb<T>(Func<BriefingDb, T> read)
    {
        using var scope = Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<BriefingDb>());
    }

    /// <summary>
    /// Listens to this app's own metrics (the "BriefingRoom" meter it made), started; other apps in the test process
    /// publish under the same meter name, so the meter is told apart by the app's meter factory.
    /// </summary>
    public System.Diagnostics.Metrics.MeterListener ListenToMetrics(
        System.Diagnostics.Metrics.MeasurementCallback<long> onLong, System.Diagnostics.Metrics.MeasurementCallback<double>? onDouble = null)
    {
        var ours = Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == global::BriefingRoom.Hosting.BriefingMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, ours))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback(onLong);
        if (onDouble is not null)
        {
            listener.SetMeasurementEventCallback(onDouble);
        }

        listener.Start();
        return listener;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            if (_ownsDirectory)
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }

        GC.SuppressFinalize(this);
    }

    private sealed record TokenResponse(string AccessToken);
}
