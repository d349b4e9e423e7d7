using System.Collections.Concurrent;
using System.Diagnostics;

namespace BriefingRoom.LoadTests;

/// <summary>
/// Every operation sent and every arrival of it, on one clock (Stopwatch.GetTimestamp in this process). An operation is
/// known by its clientOpId, which the text.edited event carries back to every client, the sender included.
/// </summary>
public sealed class EditRecorder(int clients)
{
    private readonly ConcurrentDictionary<string, SentOp> _ops = new(StringComparer.Ordinal);
    private readonly List<double>[] _fromSend = [.. Enumerable.Range(0, clients).Select(_ => new List<double>())];
    private readonly List<double>[] _fromTyped = [.. Enumerable.Range(0, clients).Select(_ => new List<double>())];
    private readonly List<double>[] _acks = [.. Enumerable.Range(0, clients).Select(_ => new List<double>())];

    /// <summary>Operations sent while this is on are measured; the others (warm-up) are not.</summary>
    public bool Measuring { get; set; }

    public int Clients => clients;

    /// <summary>An operation handed to its connection at <c>sent</c>; <c>typed</c> is when its first keystroke was due (a buffered operation carries several).</summary>
    public void Sent(string clientOpId, int author, long typed, long sent) =>
        _ops[clientOpId] = new SentOp(author, typed, sent, Measuring);

    public void Arrived(string clientOpId, int receiver, long at)
    {
        if (!_ops.TryGetValue(clientOpId, out var op) || !op.Measured)
        {
            return;
        }

        var fromSend = Ms(at - op.SentAt);
        if (receiver == op.Author)
        {
            op.AckedAt = at;
            var acks = _acks[receiver];
            lock (acks)
            {
                acks.Add(fromSend);
            }

            return;
        }

        Interlocked.Increment(ref op.Received);
        var list = _fromSend[receiver];
        var typed = _fromTyped[receiver];
        lock (list)
        {
            list.Add(fromSend);
            typed.Add(Ms(at - op.TypedAt));
        }
    }

    public EditResults Results(int receiversPerOp)
    {
        var measured = _ops.Values.Where(o => o.Measured).ToList();
        var expected = (long)measured.Count * receiversPerOp;
        var received = measured.Sum(o => (long)Volatile.Read(ref o.Received));
        return new EditResults(
            Percentiles.Of(Merge(_fromSend)),
            Percentiles.Of(Merge(_fromTyped)),
            Percentiles.Of(Merge(_acks)),
            measured.Count,
            measured.Count(o => o.AckedAt == 0),
            expected,
            received);
    }

    /// <summary>True when every measured operation has been acknowledged and has reached every other client.</summary>
    public bool AllDelivered(int receiversPerOp) =>
        _ops.Values.Where(o => o.Measured).All(o => o.AckedAt != 0 && Volatile.Read(ref o.Received) >= receiversPerOp);

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static List<double> Merge(List<double>[] lists)
    {
        var all = new List<double>();
        foreach (var list in lists)
        {
            lock (list)
            {
                all.AddRange(list);
            }
        }

        return all;
    }

    private sealed class SentOp(int author, long typedAt, long sentAt, bool measured)
    {
        public int Author { get; } = author;
        public long TypedAt { get; } = typedAt;
        public long SentAt { get; } = sentAt;
        public bool Measured { get; } = measured;
        public long AckedAt { get; set; }
        public int Received;
    }
}

/// <summary>
/// <c>FromSend</c>: from the moment the sender handed the operation to its connection, to its arrival at each other client.
/// <c>FromTyped</c>: from the keystroke's scheduled time; adds the wait in the OT buffer while an earlier operation was in flight.
/// <c>Ack</c>: from send to the sender seeing its own operation come back in the event stream (its acknowledgement).
/// </summary>
public sealed record EditResults(Percentiles FromSend, Percentiles FromTyped, Percentiles Ack, int Ops, int Unacked, long Expected, long Received)
{
    public double DeliveryRatio => Expected == 0 ? 1 : (double)Received / Expected;
}

public sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(List<double> values)
    {
        if (values.Count == 0)
        {
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        values.Sort();
        double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
        return new Percentiles(values.Count, At(0.50), At(0.95), At(0.99), values[^1]);
    }
}
