namespace BriefingRoom.Drafting.Ot;

/// <summary>Why an operation was refused. The browser's ot.js uses the same names as strings.</summary>
public enum OtErrorCode
{
    /// <summary>The wire form is not an array of non-zero integers and non-empty strings.</summary>
    Malformed,
    /// <summary>The operation's base or target length is over the allowed maximum.</summary>
    TooLong,
    /// <summary>The operation does not fit the document or the other operation (base/target lengths differ).</summary>
    LengthMismatch,
    /// <summary>A component boundary falls between the two halves of a surrogate pair, or inserted text holds an unpaired surrogate.</summary>
    SplitSurrogatePair,
    /// <summary>The base revision is negative or newer than the document, or too far behind to transform within the work the caller allows.</summary>
    RevisionOutOfRange,
}

/// <summary>
/// An operation that cannot be parsed, applied, composed or transformed. Every cause is something a
/// client sent, so the app reports it (problem details, hub error) rather than failing the request.
/// </summary>
public sealed class OtException(OtErrorCode code, string message) : Exception(message)
{
    public OtErrorCode Code { get; } = code;
}
