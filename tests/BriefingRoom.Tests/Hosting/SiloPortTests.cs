using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BriefingRoom.Tests.Hosting;

/// <summary>The port an instance's silo listens on when none is configured (one instance, and every test's app).</summary>
public class SiloPortTests
{
    /// <summary>
    /// The port was one the kernel had just handed out as free, in its range for outgoing connections; released and bound
    /// again only when the silo started, it could meanwhile become the local port of any outgoing connection on the
    /// machine (a test's HTTP client, Redis, the browser), and the app failed to start with "Address already in use"
    /// (seen in CI). It is now taken from below that range, which outgoing connections never use.
    /// </summary>
    [Fact]
    public async Task AnUnconfiguredSiloListensBelowTheRangeOfOutgoingConnectionsPorts()
    {
        await using var app = new BriefingApp();
        using var client = app.CreateClient();
        var port = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.SiloPort;
        var (low, _) = OutgoingPorts();

        Assert.InRange(port, 1024, low - 1);
    }

    /// <summary>
    /// A port out of range used to let the app migrate and seed, then stop in the silo with "Specified argument was out of
    /// the range of valid values. (Parameter 'port')", which did not say which setting was wrong.
    /// </summary>
    [Fact]
    public void ASiloPortOutOfRangeStopsTheAppWithAMessageThatNamesIt()
    {
        using var app = new BriefingApp().With("Briefing:Cluster:SiloPort", "70000");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Briefing:Cluster:SiloPort is 70000", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>With several instances, an advertised address given by name stopped the app with "An invalid IP address was specified".</summary>
    [Fact]
    public void AnAdvertisedAddressGivenByNameStopsTheAppWithAMessageThatNamesIt()
    {
        ExternalServices.RequirePostgresAndRedis();
        using var app = new BriefingApp()
            .With("ConnectionStrings:Redis", ExternalServices.Redis)
            .With("Briefing:RedisPrefix", $"test-{Guid.NewGuid():N}:")
            .With("Briefing:Cluster:AdvertisedAddress", "silo-1.internal");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Briefing:Cluster:AdvertisedAddress is \"silo-1.internal\"", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A prefix of colons alone left the silos' cluster id empty, and the app stopped with Orleans' words about
    /// "ClusterOptions.ClusterId", a setting the operator never wrote.
    /// </summary>
    [Fact]
    public void ARedisPrefixOfColonsAloneStopsTheAppWithAMessageThatNamesIt()
    {
        ExternalServices.RequirePostgresAndRedis();
        using var app = new BriefingApp()
            .With("ConnectionStrings:Redis", ExternalServices.Redis)
            .With("Briefing:RedisPrefix", ":");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Briefing:RedisPrefix", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A Redis address where nothing answers (a mistyped port, a server not started yet) stopped the app with the Redis
    /// client's words about a command, which did not say which setting held the address.
    /// </summary>
    [Fact]
    public void AnUnreachableRedisStopsTheAppWithAMessageThatNamesIt()
    {
        ExternalServices.RequirePostgresAndRedis();
        using var app = new BriefingApp()
            .With("ConnectionStrings:Redis", "127.0.0.1:1,connectTimeout=500")
            .With("Briefing:RedisPrefix", $"test-{Guid.NewGuid():N}:");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("ConnectionStrings:Redis", error.ToString(), StringComparison.Ordinal);
    }

    private static (int Low, int High) OutgoingPorts()
    {
        var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return (int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
