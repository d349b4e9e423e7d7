using System.Diagnostics.Metrics;

namespace BriefingRoom.Hosting;

/// <summary>
/// The app's own OpenTelemetry metrics, under the meter "BriefingRoom": open hub connections, committed events
/// (a rate gives events per second), how long an edit takes from arrival to commit and broadcast, and export time.
/// </summary>
public sealed class BriefingMetrics
{
    public const string MeterName = "BriefingRoom";

    public BriefingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Connections = meter.CreateUpDownCounter<long>("briefing.hub.connections", "{connection}", "Open connections to the briefing hub.");
        Events = meter.CreateCounter<long>("briefing.events", "{event}", "Meeting events committed and published.");
        EditDuration = meter.CreateHistogram<double>("briefing.edit.duration", "ms", "From a text operation's arrival at the server to its commit and broadcast.");
        ExportDuration = meter.CreateHistogram<double>("briefing.export.duration", "ms", "Reading, rendering and recording one conclusions export.");
    }

    public UpDownCounter<long> Connections { get; }
    public Counter<long> Events { get; }
    public Histogram<double> EditDuration { get; }
    public Histogram<double> ExportDuration { get; }
}
