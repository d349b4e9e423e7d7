namespace BriefingRoom.Drafting.Ot;

/// <summary>
/// The server's side of server-ordered OT as a pure value: a text at a revision. The app loads it and
/// the operations committed since a submission's base revision, calls <see cref="Accept"/>, and
/// stores the result as the next revision. Finding a repeated client operation id (and acknowledging
/// it again instead of applying it) is the app's job, since it owns the log.
/// </summary>
public sealed record OtServerDocument
{
    public OtServerDocument(string text, int revision)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        Text = text;
        Revision = revision;
    }

    public static OtServerDocument Empty { get; } = new("", 0);

    public string Text { get; }

    /// <summary>The number of operations committed so far; revision 0 is the initial text.</summary>
    public int Revision { get; }

    /// <summary>
    /// Transforms <paramref name="operation"/>, made on <paramref name="baseRevision"/>, past
    /// <paramref name="committedSinceBase"/> (revisions baseRevision + 1 to <see cref="Revision"/>, in
    /// order) and applies it.
    /// </summary>
    /// <remarks>
    /// <c>maxSteps</c> bounds the work: the sum, over the committed operations, of both operations' components as they
    /// meet. The incoming operation counts with the components it has reached by then, not those it was sent with: a
    /// deletion made before many scattered inserts is cut at each of them, and grows with every step.
    /// </remarks>
    /// <returns>The operation to store and broadcast, and the document at the next revision.</returns>
    /// <exception cref="OtException">
    /// The base revision is out of range (also: too far behind to transform within <c>maxSteps</c>), the
    /// operation does not fit the text of its base revision, it cuts a surrogate pair, or the text would grow past
    /// <paramref name="maxLength"/>.
    /// </exception>
    /// <exception cref="ArgumentException">The caller passed the wrong number of committed operations.</exception>
    public OtAccepted Accept(int baseRevision, TextOperation operation, IReadOnlyList<TextOperation> committedSinceBase,
        int maxLength = TextOperation.DefaultMaxLength, long maxSteps = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(committedSinceBase);
        if (baseRevision < 0 || baseRevision > Revision)
        {
            throw new OtException(OtErrorCode.RevisionOutOfRange,
                $"The operation is based on revision {baseRevision}, but the text is at revision {Revision}.");
        }
        if (committedSinceBase.Count != Revision - baseRevision)
        {
            throw new ArgumentException(
                $"Expected the {Revision - baseRevision} operations committed after revision {baseRevision}, got {committedSinceBase.Count}.",
                nameof(committedSinceBase));
        }
        var baseLength = committedSinceBase.Count > 0 ? committedSinceBase[0].BaseLength : Text.Length;
        if (operation.BaseLength != baseLength)
        {
            throw new OtException(OtErrorCode.LengthMismatch,
                $"The operation applies to a text of {operation.BaseLength} UTF-16 code units, but at revision {baseRevision} the text has {baseLength}.");
        }
        var transformed = operation;
        long steps = 0;
        foreach (var committed in committedSinceBase)
        {
            steps += transformed.Components.Count + committed.Components.Count;
            if (steps > maxSteps)
            {
                throw new OtException(OtErrorCode.RevisionOutOfRange,
                    $"The operation is based on revision {baseRevision}: transforming it past the {Revision - baseRevision} operations since would take more than {maxSteps} steps.");
            }

            // The incoming operation goes first, exactly as the client transforms its in-flight
            // operation against this same committed one; any other order breaks convergence.
            transformed = TextOperation.Transform(transformed, committed).APrime;
        }
        if (transformed.Components.Count > TextOperation.MaxComponents)
        {
            // Clients read what the server broadcasts under the same limits as what they send.
            throw new OtException(OtErrorCode.TooLong,
                $"Past the edits made since revision {baseRevision}, the operation would have {transformed.Components.Count} components, over the limit of {TextOperation.MaxComponents}: reload the text and edit again.");
        }
        if (transformed.TargetLength > maxLength)
        {
            throw new OtException(OtErrorCode.TooLong,
                $"The text would grow to {transformed.TargetLength} UTF-16 code units, over the limit of {maxLength}.");
        }
        var text = transformed.Apply(Text);
        return new OtAccepted(transformed, new OtServerDocument(text, Revision + 1));
    }
}

public sealed record OtAccepted(TextOperation Operation, OtServerDocument Document);
