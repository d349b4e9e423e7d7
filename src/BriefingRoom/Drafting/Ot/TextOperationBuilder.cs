namespace BriefingRoom.Drafting.Ot;

/// <summary>
/// Builds a normalised <see cref="TextOperation"/>: adjacent components of one kind are merged, zero
/// lengths and empty inserts vanish, and an insert next to a delete goes first (as in ot.js), so one
/// edit has exactly one form and operations compare by value.
/// </summary>
public sealed class TextOperationBuilder
{
    private readonly List<OtComponent> components = [];
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
        if (components.Count > 0 && components[^1].IsRetain)
        {
            components[^1] = OtComponent.Retain(checked(components[^1].Length + count));
        }
        else
        {
            components.Add(OtComponent.Retain(count));
        }
        return this;
    }

    public TextOperationBuilder Insert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return this;
        }
        targetLength = checked(targetLength + text.Length);
        var last = components.Count - 1;
        if (last >= 0 && components[last].IsInsert)
        {
            components[last] = OtComponent.Insert(components[last].Text + text);
        }
        else if (last >= 0 && components[last].IsDelete)
        {
            if (last >= 1 && components[last - 1].IsInsert)
            {
                components[last - 1] = OtComponent.Insert(components[last - 1].Text + text);
            }
            else
            {
                components.Insert(last, OtComponent.Insert(text));
            }
        }
        else
        {
            components.Add(OtComponent.Insert(text));
        }
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
        if (components.Count > 0 && components[^1].IsDelete)
        {
            components[^1] = OtComponent.Delete(checked(components[^1].Length + count));
        }
        else
        {
            components.Add(OtComponent.Delete(count));
        }
        return this;
    }

    public TextOperationBuilder Add(OtComponent component) => component.Kind switch
    {
        OtComponentKind.Retain => Retain(component.Length),
        OtComponentKind.Insert => Insert(component.Text),
        _ => Delete(component.Length),
    };

    public TextOperation Build() => new([.. components], baseLength, targetLength);
}
