namespace BriefingRoom.Drafting;

/// <summary>
/// A full copy of a text at one revision, kept every <see cref="Live.CoreLimits.SnapshotEvery"/> revisions (and at
/// revision 0 for drafts), so that the text as it stood at any revision is its nearest copy plus a few logged operations.
/// Append-only, like the log.
/// </summary>
public class TextSnapshot
{
    public required string DocumentId { get; set; }
    public int Revision { get; set; }
    public int MeetingId { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset At { get; set; }
}
