using System.Text;
using System.Text.Json.Serialization;

namespace BriefingRoom.Drafting.Ot;

/// <summary>
/// An immutable, normalised edit of a text: retain, insert and delete components whose lengths count
/// UTF-16 code units, as JavaScript strings do. Apply, compose and transform follow ot.js, and
/// wwwroot/js/ot.js implements the same algorithms; tests/vectors/ot-vectors.json keeps the two equal.
/// </summary>
[JsonConverter(typeof(TextOperationJsonConverter))]
public sealed partial class TextOperation : IEquatable<TextOperation>
{
    private readonly OtComponent[] components;

    internal TextOperation(OtComponent[] components, int baseLength, int targetLength)
    {
        this.components = components;
        BaseLength = baseLength;
        TargetLength = targetLength;
    }

    /// <summary>The operation that changes nothing in an empty document.</summary>
    public static TextOperation Empty { get; } = new([], 0, 0);

    public IReadOnlyList<OtComponent> Components => components;

    /// <summary>The length of the document this operation applies to.</summary>
    public int BaseLength { get; }

    /// <summary>The length of the document after applying this operation.</summary>
    public int TargetLength { get; }

    /// <summary>True when applying the operation leaves any document of <see cref="BaseLength"/> unchanged.</summary>
    public bool IsNoop => components.All(c => c.IsRetain);

    public static TextOperationBuilder Builder() => new();

    /// <summary>The no-op for a document of <paramref name="length"/> code units.</summary>
    public static TextOperation Identity(int length) => new TextOperationBuilder().Retain(length).Build();

    /// <exception cref="OtException">
    /// The document's length is not <see cref="BaseLength"/>, or a component would cut a surrogate pair in two.
    /// </exception>
    public string Apply(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Length != BaseLength)
        {
            throw new OtException(OtErrorCode.LengthMismatch,
                $"The operation applies to a text of {BaseLength} UTF-16 code units, but the text has {document.Length}.");
        }
        var result = new StringBuilder(TargetLength);
        var position = 0;
        foreach (var component in components)
        {
            if (!Utf16.IsBoundary(document, position))
            {
                throw new OtException(OtErrorCode.SplitSurrogatePair,
                    $"The operation cuts the surrogate pair at UTF-16 index {position - 1} in two.");
            }
            switch (component.Kind)
            {
                case OtComponentKind.Retain:
                    result.Append(document, position, component.Length);
                    position += component.Length;
                    break;
                case OtComponentKind.Insert:
                    if (!Utf16.IsWellFormed(component.Text))
                    {
                        throw new OtException(OtErrorCode.SplitSurrogatePair,
                            $"The text inserted at UTF-16 index {position} holds an unpaired surrogate.");
                    }
                    result.Append(component.Text);
                    break;
                default:
                    position += component.Length;
                    break;
            }
        }
        return result.ToString();
    }

    /// <summary>One operation with the effect of <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    /// <exception cref="OtException"><paramref name="second"/> does not apply to the result of <paramref name="first"/>.</exception>
    public static TextOperation Compose(TextOperation first, TextOperation second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.TargetLength != second.BaseLength)
        {
            throw new OtException(OtErrorCode.LengthMismatch,
                $"Cannot compose: the first operation yields {first.TargetLength} code units, the second applies to {second.BaseLength}.");
        }
        var result = new TextOperationBuilder();
        var a = new Cursor(first.components);
        var b = new Cursor(second.components);
        while (!a.Done || !b.Done)
        {
            if (!a.Done && a.Current.IsDelete)
            {
                result.Delete(a.Current.Length);
                a.Advance(a.Current.Length);
                continue;
            }
            if (!b.Done && b.Current.IsInsert)
            {
                result.Insert(b.Current.Text);
                b.Advance(b.Current.Length);
                continue;
            }
            var n = Math.Min(a.Current.Length, b.Current.Length);
            switch (a.Current.Kind, b.Current.Kind)
            {
                case (OtComponentKind.Retain, OtComponentKind.Retain):
                    result.Retain(n);
                    break;
                case (OtComponentKind.Insert, OtComponentKind.Retain):
                    result.Insert(a.Current.Text[..n]);
                    break;
                case (OtComponentKind.Retain, OtComponentKind.Delete):
                    result.Delete(n);
                    break;
                default:
                    // Text that the first inserts and the second deletes leaves no trace.
                    break;
            }
            a.Advance(n);
            b.Advance(n);
        }
        return result.Build();
    }

    /// <summary>
    /// For two operations on the same document, returns (a', b') such that applying a then b' equals
    /// applying b then a'. When both insert at one position, <paramref name="a"/>'s text comes first.
    /// </summary>
    /// <exception cref="OtException">The operations apply to documents of different lengths.</exception>
    public static (TextOperation APrime, TextOperation BPrime) Transform(TextOperation a, TextOperation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.BaseLength != b.BaseLength)
        {
            throw new OtException(OtErrorCode.LengthMismatch,
                $"Cannot transform: the operations apply to texts of {a.BaseLength} and {b.BaseLength} code units.");
        }
        var aPrime = new TextOperationBuilder();
        var bPrime = new TextOperationBuilder();
        var x = new Cursor(a.components);
        var y = new Cursor(b.components);
        while (!x.Done || !y.Done)
        {
            if (!x.Done && x.Current.IsInsert)
            {
                aPrime.Insert(x.Current.Text);
                bPrime.Retain(x.Current.Length);
                x.Advance(x.Current.Length);
                continue;
            }
            if (!y.Done && y.Current.IsInsert)
            {
                aPrime.Retain(y.Current.Length);
                bPrime.Insert(y.Current.Text);
                y.Advance(y.Current.Length);
                continue;
            }
            var n = Math.Min(x.Current.Length, y.Current.Length);
            switch (x.Current.Kind, y.Current.Kind)
            {
                case (OtComponentKind.Retain, OtComponentKind.Retain):
                    aPrime.Retain(n);
                    bPrime.Retain(n);
                    break;
                case (OtComponentKind.Delete, OtComponentKind.Retain):
                    aPrime.Delete(n);
                    break;
                case (OtComponentKind.Retain, OtComponentKind.Delete):
                    bPrime.Delete(n);
                    break;
                default:
                    // Both delete the same text: neither has anything left to do.
                    break;
            }
            x.Advance(n);
            y.Advance(n);
        }
        return (aPrime.Build(), bPrime.Build());
    }

    /// <summary>
    /// Where a caret at <paramref name="index"/> ends up once this operation is applied. A caret inside
    /// deleted text moves to where the deletion was; text inserted exactly at the caret goes before it
    /// (<see cref="CaretAffinity.After"/>, as ot.js does) or after it. Out-of-range indices are clamped,
    /// because carets are presence data that may lag behind the text.
    /// </summary>
    public int TransformIndex(int index, CaretAffinity affinity = CaretAffinity.After)
    {
        index = Math.Clamp(index, 0, BaseLength);
        var remaining = index;
        var result = index;
        foreach (var component in components)
        {
            switch (component.Kind)
            {
                case OtComponentKind.Retain:
                    remaining -= component.Length;
                    break;
                case OtComponentKind.Insert:
                    if (remaining > 0 || affinity == CaretAffinity.After)
                    {
                        result += component.Length;
                    }
                    break;
                default:
                    result -= Math.Min(remaining, component.Length);
                    remaining -= component.Length;
                    break;
            }
            if (remaining < 0)
            {
                break;
            }
        }
        return result;
    }

    public bool Equals(TextOperation? other) =>
        other is not null && components.AsSpan().SequenceEqual(other.components);

    public override bool Equals(object? obj) => Equals(obj as TextOperation);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var component in components)
        {
            hash.Add(component);
        }
        return hash.ToHashCode();
    }

    /// <summary>The wire form, e.g. <c>[5,"abc",-2,10]</c>.</summary>
    public override string ToString() => ToJson();

    /// <summary>Walks components, consuming them partly; a consumed insert keeps its unconsumed tail.</summary>
    private struct Cursor(OtComponent[] components)
    {
        private int index;
        private int consumed;

        public readonly bool Done => index >= components.Length;

        public readonly OtComponent Current
        {
            get
            {
                if (Done)
                {
                    // Unreachable when the caller checked the lengths first.
                    throw new OtException(OtErrorCode.LengthMismatch, "The operations do not line up.");
                }
                var component = components[index];
                if (consumed == 0)
                {
                    return component;
                }
                var left = component.Length - consumed;
                return component.Kind switch
                {
                    OtComponentKind.Retain => OtComponent.Retain(left),
                    OtComponentKind.Insert => OtComponent.Insert(component.Text[consumed..]),
                    _ => OtComponent.Delete(left),
                };
            }
        }

        public void Advance(int count)
        {
            consumed += count;
            if (consumed >= components[index].Length)
            {
                index++;
                consumed = 0;
            }
        }
    }
}

/// <summary>Which side of text inserted exactly at a caret the caret ends up on.</summary>
public enum CaretAffinity
{
    /// <summary>The caret moves past the inserted text (the typist's own caret; ot.js's choice).</summary>
    After,
    /// <summary>The caret stays in front of the inserted text.</summary>
    Before,
}
