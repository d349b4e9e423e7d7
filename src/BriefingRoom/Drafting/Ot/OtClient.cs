namespace BriefingRoom.Drafting.Ot;

public enum OtClientState
{
    /// <summary>Nothing sent is unacknowledged.</summary>
    Synchronized,
    /// <summary>One operation is in flight.</summary>
    AwaitingAck,
    /// <summary>One operation is in flight and later local edits wait, composed, in a buffer.</summary>
    AwaitingAckWithBuffer,
}

/// <summary>
/// What the client sends the server: an operation on revision <see cref="BaseRevision"/>, named by an
/// id that stays the same when it is sent again, so that the server can apply it only once.
/// </summary>
public sealed record OtSubmission(string ClientOpId, int BaseRevision, TextOperation Operation);

/// <summary>
/// One participant's side of server-ordered OT, as in ot.js: at most one operation in flight, local
/// edits buffered meanwhile, server operations transformed past both. It keeps no text; the caller
/// applies local edits itself and applies what <see cref="ApplyServer"/> returns. Not thread-safe.
/// </summary>
/// <remarks>
/// After a reconnect, catch up on every operation committed after <see cref="Revision"/> in order,
/// calling <see cref="ServerAck"/> for the one whose id is <see cref="InFlightOpId"/> and
/// <see cref="ApplyServer"/> for the others; then, if the operation is still in flight, send
/// <see cref="Resend"/>. wwwroot/js/ot-client.js is the same machine.
/// </remarks>
public sealed class OtClient
{
    private readonly Func<string> newClientOpId;
    private TextOperation? inFlight;
    private string? inFlightOpId;
    private TextOperation? buffer;

    /// <param name="revision">The revision of the text the caller starts editing.</param>
    /// <param name="newClientOpId">Makes operation ids; random GUIDs unless given.</param>
    public OtClient(int revision = 0, Func<string>? newClientOpId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        Revision = revision;
        this.newClientOpId = newClientOpId ?? (() => Guid.NewGuid().ToString());
    }

    /// <summary>How many server operations (including acknowledged own ones) the client has seen.</summary>
    public int Revision { get; private set; }

    public OtClientState State => (inFlight, buffer) switch
    {
        (null, _) => OtClientState.Synchronized,
        (_, null) => OtClientState.AwaitingAck,
        _ => OtClientState.AwaitingAckWithBuffer,
    };

    public string? InFlightOpId => inFlightOpId;

    /// <summary>The in-flight operation, transformed onto <see cref="Revision"/>.</summary>
    public TextOperation? InFlight => inFlight;

    public TextOperation? Buffer => buffer;

    /// <summary>Records an edit the user has already made to the local text.</summary>
    /// <returns>The submission to send now, or null when one is already in flight (or the edit changes nothing).</returns>
    public OtSubmission? ApplyLocal(TextOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.IsNoop)
        {
            return null;
        }
        if (inFlight is null)
        {
            inFlight = operation;
            inFlightOpId = newClientOpId();
            return Submission();
        }
        buffer = buffer is null ? operation : TextOperation.Compose(buffer, operation);
        return null;
    }

    /// <summary>The server committed the in-flight operation.</summary>
    /// <returns>The buffered edits to send next, or null.</returns>
    /// <exception cref="InvalidOperationException">Nothing is in flight.</exception>
    public OtSubmission? ServerAck()
    {
        if (inFlight is null)
        {
            throw new InvalidOperationException("The server acknowledged an operation, but none is in flight.");
        }
        Revision++;
        inFlight = buffer;
        buffer = null;
        inFlightOpId = inFlight is null ? null : newClientOpId();
        return inFlight is null ? null : Submission();
    }

    /// <summary>Another participant's operation, as the server committed it.</summary>
    /// <returns>The operation to apply to the local text.</returns>
    public TextOperation ApplyServer(TextOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (inFlight is not null)
        {
            (inFlight, operation) = TextOperation.Transform(inFlight, operation);
            if (buffer is not null)
            {
                (buffer, operation) = TextOperation.Transform(buffer, operation);
            }
        }
        Revision++;
        return operation;
    }

    /// <summary>The in-flight operation again, with the same id, on the current revision; null when nothing is in flight.</summary>
    public OtSubmission? Resend() => inFlight is null ? null : Submission();

    private OtSubmission Submission() => new(inFlightOpId!, Revision, inFlight!);
}
