namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// Two instances of the app on two loopback ports, sharing one fresh PostgreSQL database and one Redis key prefix, as
/// they would behind a load balancer. Skipped when the servers are not configured (see <see cref="ExternalServices"/>).
/// The first instance migrates and seeds; the second finds it done.
/// </summary>
public abstract class TwoInstancesTest : IAsyncLifetime
{
    private string _database = "";

    /// <summary>The first instance (a test that stops it may point this at <see cref="B"/>).</summary>
    protected BriefingApp A { get; set; } = null!;

    protected BriefingApp B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        ExternalServices.RequirePostgresAndRedis();
        _database = await ExternalServices.CreateDatabaseAsync();
        var prefix = $"test-{Guid.NewGuid():N}:";
        A = ConfigureFirst(Configure(Instance(prefix)));
        B = ConfigureSecond(Configure(Instance(prefix)));
        _ = A.BaseAddress;
        _ = B.BaseAddress;
    }

    public async ValueTask DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await ExternalServices.DropDatabaseAsync(_database);
        }

        await DisposeMoreAsync();

        GC.SuppressFinalize(this);
    }

    /// <summary>What a test class adds to both instances (a fake clock, a setting).</summary>
    protected virtual BriefingApp Configure(BriefingApp instance) => instance;

    /// <summary>What a test class adds to the first instance, <see cref="A"/>, only (a gate it holds).</summary>
    protected virtual BriefingApp ConfigureFirst(BriefingApp instance) => instance;

    /// <summary>What a test class adds to the second instance, <see cref="B"/>, only.</summary>
    protected virtual BriefingApp ConfigureSecond(BriefingApp instance) => instance;

    /// <summary>What a test class holds beside the instances (a relay), disposed after them.</summary>
    protected virtual ValueTask DisposeMoreAsync() => ValueTask.CompletedTask;

    private BriefingApp Instance(string redisPrefix) => new BriefingApp(realSockets: true).ScaledOut(_database, redisPrefix);
}
