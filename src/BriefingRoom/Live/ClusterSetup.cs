using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BriefingRoom.Api;
using Orleans.Configuration;
using Orleans.Serialization;
using StackExchange.Redis;

namespace BriefingRoom.Live;

/// <summary>
/// The cluster engine under the live core: Microsoft Orleans, so that each meeting's grain has exactly one activation
/// however many instances run. One instance runs an in-process silo with localhost clustering and needs nothing else;
/// with ConnectionStrings:Redis set (several instances), the silos find each other through that Redis.
/// No gateway: the web app is the only client, and it runs inside the silo.
/// </summary>
public static class ClusterSetup
{
    public const string Section = "Briefing:Cluster";

    public static WebApplicationBuilder AddBriefingCluster(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var redis = configuration.GetConnectionString(ScaleOut.ScaleOutSetup.RedisConnectionName);
        var configuredPort = configuration.GetValue<int?>($"{Section}:SiloPort") ?? 0;
        if (configuredPort is < 0 or > IPEndPoint.MaxPort)
        {
            throw new InvalidOperationException($"{Section}:SiloPort is {configuredPort}: a TCP port from 1 to {IPEndPoint.MaxPort}, or 0 for a free one.");
        }

        var siloPort = configuredPort == 0 ? FreePort() : configuredPort;
        var advertised = AdvertisedAddress(configuration);
        var prefix = "";
        if (!string.IsNullOrWhiteSpace(redis))
        {
            // Checked here, before anything starts; and Redis asked once before the silo, registered first so that it starts first.
            prefix = ScaleOut.ScaleOutSetup.RedisPrefix(configuration);
            builder.Services.AddHostedService<ScaleOut.RedisAtStart>();
        }

        builder.UseOrleans(silo =>
        {
            if (string.IsNullOrWhiteSpace(redis))
            {
                silo.UseLocalhostClustering(siloPort: siloPort, gatewayPort: 0, serviceId: "briefingroom", clusterId: "briefingroom");
            }
            else
            {
                silo.UseRedisClustering(o =>
                {
                    o.ConfigurationOptions = ConfigurationOptions.Parse(redis);
                    o.ConfigurationOptions.AbortOnConnectFail = false;
                });
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ServiceId = "briefingroom";
                    o.ClusterId = prefix.TrimEnd(':');
                });
                silo.ConfigureEndpoints(advertised, siloPort, gatewayPort: 0, listenOnAnyHostAddress: true);
            }

            silo.Services.AddSerializer(serializer =>
            {
                serializer.AddJsonSerializer(IsBriefingType, JsonOptions);
                // The app's own types (changes, their answers, the generic grain calls that carry them) may cross silos.
                serializer.Configure(o => o.AddAllowedAssembly(typeof(ClusterSetup).Assembly));
            });
        });
        return builder;
    }

    /// <summary>The address other instances reach this one's silo at: loopback unless set (README, "Several instances").</summary>
    private static IPAddress AdvertisedAddress(IConfiguration configuration)
    {
        var setting = $"{Section}:AdvertisedAddress";
        if (configuration[setting] is not { Length: > 0 } value)
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(value.Trim(), out var address)
            ? address
            : throw new InvalidOperationException($"{setting} is \"{value}\": the IP address the other instances reach this machine at, such as 10.0.0.11 (not a host name).");
    }

    /// <summary>Changes and their answers cross silos as JSON, in the app's own shape.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new(BriefingJson.Options);

    private static bool IsBriefingType(Type type) => type.Namespace?.StartsWith("BriefingRoom", StringComparison.Ordinal) == true;

    /// <summary>
    /// A port nobody listens on now, for a silo whose port was not configured (one instance, or tests). Not one the
    /// kernel hands out for outgoing connections: the silo binds it only as it starts, and meanwhile such a port could
    /// become the local end of any connection on the machine, and the app would fail to start ("Address already in use").
    /// Below that range nothing takes a port but a listener, and a few random tries find one free.
    /// </summary>
    private static int FreePort()
    {
        var below = OutgoingPortsStart();
        for (var attempt = 0; attempt < 64 && below > 11_024; attempt++)
        {
            var port = Random.Shared.Next(10_000, below);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Someone listens there: try another.
            }
        }

        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }

    /// <summary>The first port of the kernel's range for outgoing connections (Linux), or the IANA dynamic range's.</summary>
    private static int OutgoingPortsStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 49_152;
        }
    }
}
