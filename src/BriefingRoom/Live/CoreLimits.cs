namespace BriefingRoom.Live;

/// <summary>Every bound of the live core, named in one place (docs/ARCHITECTURE.md explains each).</summary>
public static class CoreLimits
{
    /// <summary>Operations each text keeps in memory to transform late operations and answer retries; older bases reload.</summary>
    public const int WindowOperations = 1_000;

    /// <summary>Components across a text's window: many large, fragmented operations shrink the window instead of growing memory.</summary>
    public const long WindowComponents = 400_000;

    /// <summary>UTF-16 units inserted across a text's window (about 4 MB): large pastes shrink the window too.</summary>
    public const long WindowInserted = 2_000_000;

    /// <summary>
    /// Work one late operation may cost: the sum, over the operations it is transformed past, of both operations' components.
    /// More than this and the client reloads the text, so that one text cannot hold up its meeting for long.
    /// </summary>
    public const long TransformBudget = 2_000_000;

    /// <summary>A text's history keeps a full copy every this many revisions, so that any revision is rebuilt from at most this many operations.</summary>
    public const int SnapshotEvery = 100;

    /// <summary>A text idle this long has its stored copy brought up to date.</summary>
    public static readonly TimeSpan IdleSnapshotAfter = TimeSpan.FromSeconds(2);

    /// <summary>Operations written in one group commit at most; the rest go in the next.</summary>
    public const int MaxBatch = 500;

    /// <summary>A page of a text's history: at most this many operations...</summary>
    public const int HistoryPageMax = 1_000;

    /// <summary>...and about this many UTF-16 units of operations.</summary>
    public const int HistoryPageUnits = 1_000_000;

    /// <summary>
    /// A catch-up (GetEventsSince, GET .../events) answers at most <c>Briefing:CatchUpLimit</c> events and about this many
    /// UTF-16 units of their JSON; a client further behind is told to reload the room.
    /// </summary>
    public const long CatchUpUnits = 4_000_000;

    /// <summary>
    /// The longest a meeting waits for another instance to confirm that it put a connection in, or took it out of, the room's
    /// SignalR groups: an instance that died never confirms, and the meeting's every call would wait behind it.
    /// </summary>
    public static readonly TimeSpan GroupChangeWait = TimeSpan.FromSeconds(2);

    /// <summary>Carets are sent at most this often per meeting, the latest of each connection winning.</summary>
    public static readonly TimeSpan CaretInterval = TimeSpan.FromMilliseconds(50);
}
