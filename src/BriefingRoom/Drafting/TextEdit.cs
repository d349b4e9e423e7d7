namespace BriefingRoom.Drafting;

/// <summary>
/// One committed operation on a co-edited text: revision <see cref="Revision"/> of document <see cref="DocumentId"/>.
/// The log serves three purposes: transforming late operations, catching up after a reconnect, and
/// showing who wrote what and when.
/// </summary>
public class TextEdit
{
    public required string DocumentId { get; set; }
    public int Revision { get; set; }
    public int MeetingId { get; set; }
    /// <summary>The sender's id for the operation: a retry with the same id is acknowledged again, never applied twice.</summary>
    public required string ClientOpId { get; set; }
    /// <summary>The operation as stored and broadcast (after transformation), in the wire format.</summary>
    public required string Operation { get; set; }
    public required string AuthorUserId { get; set; }
    public required string AuthorName { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The meeting event that carried it.</summary>
    public long Seq { get; set; }
    /// <summary>What the history says besides the author, for an operation the app made: "Accepted proposal 7 of France".</summary>
    public string? Note { get; set; }
}
