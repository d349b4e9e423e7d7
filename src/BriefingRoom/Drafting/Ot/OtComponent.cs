using System.Globalization;
using System.Text.Json;

namespace BriefingRoom.Drafting.Ot;

public enum OtComponentKind
{
    Retain,
    Insert,
    Delete,
}

/// <summary>One step of a <see cref="TextOperation"/>. Lengths count UTF-16 code units.</summary>
public readonly record struct OtComponent
{
    private readonly string? text;

    private OtComponent(OtComponentKind kind, int length, string? text)
    {
        Kind = kind;
        Length = length;
        this.text = text;
    }

    public OtComponentKind Kind { get; }

    /// <summary>Code units retained, inserted or deleted.</summary>
    public int Length { get; }

    /// <summary>The inserted text; empty for retain and delete.</summary>
    public string Text => text ?? "";

    public bool IsRetain => Kind == OtComponentKind.Retain;
    public bool IsInsert => Kind == OtComponentKind.Insert;
    public bool IsDelete => Kind == OtComponentKind.Delete;

    public static OtComponent Retain(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return new(OtComponentKind.Retain, count, null);
    }

    public static OtComponent Insert(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new(OtComponentKind.Insert, text.Length, text);
    }

    public static OtComponent Delete(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return new(OtComponentKind.Delete, count, null);
    }

    /// <summary>The wire form: retain n is n, insert s is "s", delete n is -n.</summary>
    public override string ToString() => Kind switch
    {
        OtComponentKind.Retain => Length.ToString(CultureInfo.InvariantCulture),
        OtComponentKind.Delete => (-Length).ToString(CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(Text),
    };
}
