using System.ComponentModel.DataAnnotations;

namespace BriefingRoom;

/// <summary>Settings under "Briefing", validated when the app starts.</summary>
public sealed class BriefingOptions
{
    public const string Section = "Briefing";

    /// <summary>How many missed events a client may fetch before it is told to reload the snapshot instead.</summary>
    [Range(10, 100_000)]
    public int CatchUpLimit { get; set; } = 1_000;

    /// <summary>How many conclusions exports may render at once; the rest wait for <see cref="ExportQueueTimeout"/>.</summary>
    [Range(1, 64)]
    public int MaxConcurrentExports { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ExportQueueTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
