namespace BriefingRoom.Drafting.Ot;

/// <summary>
/// A caret or selection in UTF-16 code units: <see cref="Anchor"/> is where it started, <see cref="Head"/>
/// where the caret is. Equal ends make a plain caret.
/// </summary>
public readonly record struct TextSelection(int Anchor, int Head)
{
    public static TextSelection Caret(int index) => new(index, index);

    public bool IsCollapsed => Anchor == Head;
    public int Start => Math.Min(Anchor, Head);
    public int End => Math.Max(Anchor, Head);

    /// <summary>Moves both ends through <paramref name="operation"/>, as ot.js moves a selection range.</summary>
    public TextSelection Transform(TextOperation operation, CaretAffinity affinity = CaretAffinity.After)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new(operation.TransformIndex(Anchor, affinity), operation.TransformIndex(Head, affinity));
    }
}
