using System.ComponentModel.DataAnnotations;

namespace BriefingRoom;

/// <summary>Settings under "Briefing", validated when the app starts.</summary>
public sealed class BriefingOptions
{
    public const string Section = "Briefing";

    /// <summary>How many missed events a client may fetch before it is told to reload the snapshot instead.</summary>
    [Range(10, 100_000)]
    public int CatchUpLimit { get; set; } = 1_000;
}
