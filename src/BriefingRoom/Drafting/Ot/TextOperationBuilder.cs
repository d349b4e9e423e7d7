using System.Text;

namespace BriefingRoom.Drafting.Ot;

/// <summary>
/// Builds a normalised <see cref="TextOperation"/>: adjacent components of one kind are merged, zero
/// lengths and empty inserts vanish, and an insert next to a delete goes first (as in ot.js), so one
/// edit has exactly one form and operations compare by value.
/// </summary>
/// <remarks>
/// The components still open to merging are kept apart (a retain, or an insert followed by a delete) and
/// inserted text is appended to one buffer, so building from N components costs O(N) whatever their order:
/// concatenating each new piece of text onto the last insert made N one-character inserts cost O(N²).
/// </remarks>
public sealed class TextOperationBuilder
{
    private readonly List<OtComponent> components = [];
    private readonly StringBuilder pendingInsert = new();
    private int pendingRetain;
    private int pendingDelete;
    private int baseLength;
    private int targetLength;

    public int BaseLength => baseLength;
    public int TargetLength => targetLength;

    public TextOperationBuilder Retain(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return this;
        }
        baseLength = checked(baseLength + count);
        targetLength = checked(targetLength + count);
        FlushInsertAndDelete();
        pendingRetain = checked(pendingRetain + count);
        return this;
    }

    public TextOperationBuilder Insert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Insert(text.AsSpan());
    }

    /// <summary>Inserts <paramref name="text"/>; it joins the insert before it even across a delete, as an insert goes before a delete.</summary>
    public TextOperationBuilder Insert(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return this;
        }
        targetLength = checked(targetLength + text.Length);
        FlushRetain();
        pendingInsert.Append(text);
        return this;
    }

    public TextOperationBuilder Delete(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return this;
        }
        baseLength = checked(baseLength + count);
        FlushRetain();
        pendingDelete = checked(pendingDelete + count);
        return this;
    }

    public TextOperationBuilder Add(OtComponent component) => component.Kind switch
    {
        OtComponentKind.Retain => Retain(component.Length),
        OtComponentKind.Insert => Insert(component.Text),
        _ => Delete(component.Length),
    };

    /// <summary>The operation so far; the builder may go on.</summary>
    public TextOperation Build()
    {
        var built = new List<OtComponent>(components.Count + 2);
        built.AddRange(components);
        if (pendingRetain > 0)
        {
            built.Add(OtComponent.Retain(pendingRetain));
        }
        if (pendingInsert.Length > 0)
        {
            built.Add(OtComponent.Insert(pendingInsert.ToString()));
        }
        if (pendingDelete > 0)
        {
            built.Add(OtComponent.Delete(pendingDelete));
        }
        return new TextOperation([.. built], baseLength, targetLength);
    }

    private void FlushRetain()
    {
        if (pendingRetain > 0)
        {
            components.Add(OtComponent.Retain(pendingRetain));
            pendingRetain = 0;
        }
    }

    private void FlushInsertAndDelete()
    {
        if (pendingInsert.Length > 0)
        {
            components.Add(OtComponent.Insert(pendingInsert.ToString()));
            pendingInsert.Clear();
        }
        if (pendingDelete > 0)
        {
            components.Add(OtComponent.Delete(pendingDelete));
            pendingDelete = 0;
        }
    }
}
