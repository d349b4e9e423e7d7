namespace BriefingRoom.Hosting;

/// <summary>
/// How many buffers of one size .NET's shared array pool keeps, set before anything rents one. SignalR gives each
/// connection pipes without a pool of their own, so every message written to a connection rents a 4 KB segment from
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/> until the connection's send loop has sent it. One edit goes to
/// 250 delegates at once and one keep-alive round to every open connection, but the pool keeps only 32 arrays of a
/// size per core: the rest were allocated fresh and dropped on return, 48 MB a second of garbage at 50 keystrokes a
/// second in a room of 250, 7.8 MB a second from the pings of 2,000 idle connections (docs/BENCHMARKS.md).
/// </summary>
public static class SharedBuffers
{
    /// <summary>The runtime reads this once, when the shared pool is first used; only the environment sets it.</summary>
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Enough for one send to every connection a process serves; the pool drops arrays unused for a minute at the next full collection.</summary>
    public const int ArraysPerSize = 4096;

    /// <summary>Call first in Main. An operator's own setting of <see cref="Variable"/> wins.</summary>
    public static void KeepEnoughForAFanOut()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Environment.SetEnvironmentVariable(Variable, ArraysPerSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
