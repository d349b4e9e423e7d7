using System.ComponentModel.DataAnnotations;
using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Drafting;

/// <summary>An operation a client made on revision <see cref="BaseRevision"/> of a text.</summary>
[Orleans.Immutable]
public sealed record SubmitOperationRequest(
    [property: Required, StringLength(60)] string DocumentId,
    [property: Required, Range(0, int.MaxValue)] int? BaseRevision,
    [property: Required, StringLength(64, MinimumLength = 1)] string ClientOpId,
    [property: Required] TextOperation Operation);

/// <summary>The operation is committed as <see cref="Revision"/>, carried by meeting event <see cref="Seq"/>.</summary>
[Orleans.Immutable]
public sealed record OperationAck(string DocumentId, int Revision, long Seq, string ClientOpId, bool Duplicate);

/// <summary>The body of a "text.edited" event.</summary>
public sealed record TextEditedDto(string DocumentId, int Revision, TextOperation Operation, string ClientOpId, string AuthorId, string Author, string? Note = null);

/// <summary>One entry of a text's history: who wrote what, and when.</summary>
public sealed record TextEditDto(int Revision, TextOperation Operation, string ClientOpId, string AuthorId, string Author, DateTimeOffset At, long Seq, string? Note = null);

/// <summary>A page of a text's history: <see cref="Edits"/> oldest first; <see cref="More"/> when later ones exist (ask again after the last). <see cref="Revision"/> is the text's current revision.</summary>
public sealed record TextHistoryDto(string DocumentId, int Revision, IReadOnlyList<TextEditDto> Edits, bool More);

/// <summary>A text as it stood at one revision.</summary>
public sealed record TextAtRevisionDto(string DocumentId, int Revision, string Text);

/// <summary>A text the caller may read: its canonical id and its last committed revision.</summary>
public sealed record TextInfo(string Key, int Revision);
