using System.Net;
using System.Net.Sockets;

namespace BriefingRoom.Hosting;

/// <summary>
/// A client without identity as far as its owner controls it, for counting what it does (sign-in guesses, requests):
/// an IPv4 address (also written IPv4-mapped), or an IPv6 address's /64 network. Whoever has one IPv6 address has the
/// whole /64 to choose from, so counted per address a client took a fresh one whenever it liked and was never held back.
/// </summary>
public static class ClientNetwork
{
    public static string Of(IPAddress? client)
    {
        if (client is null)
        {
            return "";
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        if (client.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return client.ToString();
        }

        var network = client.GetAddressBytes();
        Array.Clear(network, 8, 8);
        return $"{new IPAddress(network)}/64";
    }
}
