using System.Text.Json;
using System.Text.Json.Serialization;

namespace BriefingRoom.Drafting.Ot;

public sealed partial class TextOperation
{
    /// <summary>
    /// The longest text, in UTF-16 code units, that an operation may apply to or produce unless the
    /// caller says otherwise. It also bounds the number of components, since each one has a length.
    /// </summary>
    public const int DefaultMaxLength = 1_000_000;

    /// <summary>
    /// Reads the wire form: a JSON array in which a positive integer retains, a string inserts and a
    /// negative integer deletes. Integral numbers written as 5.0 or 5e0 are accepted, as JavaScript cannot
    /// tell them from 5. The result is normalised, so <c>[1, 1]</c> reads as <c>[2]</c>.
    /// </summary>
    /// <exception cref="OtException">
    /// With <see cref="OtErrorCode.Malformed"/> for anything else (zero, fractions, empty strings,
    /// unpaired surrogates, other JSON kinds), or <see cref="OtErrorCode.TooLong"/> when the base or
    /// target length would pass <paramref name="maxLength"/>.
    /// </exception>
    public static TextOperation FromJson(JsonElement json, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw new OtException(OtErrorCode.Malformed,
                $"An operation must be a JSON array, not {Describe(json.ValueKind)}.");
        }
        var builder = new TextOperationBuilder();
        var position = 0;
        foreach (var item in json.EnumerateArray())
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.Number:
                    if (!item.TryGetDouble(out var number) || !double.IsFinite(number) || Math.Floor(number) != number)
                    {
                        throw Malformed(position, $"{item.GetRawText()} is not an integer");
                    }
                    if (number == 0)
                    {
                        throw Malformed(position, "0 retains or deletes nothing");
                    }
                    var count = Math.Abs(number);
                    if (builder.BaseLength + count > maxLength || (number > 0 && builder.TargetLength + count > maxLength))
                    {
                        throw TooLong(maxLength);
                    }
                    if (number > 0)
                    {
                        builder.Retain((int)count);
                    }
                    else
                    {
                        builder.Delete((int)count);
                    }
                    break;
                case JsonValueKind.String:
                    string text;
                    try
                    {
                        text = item.GetString()!;
                    }
                    catch (InvalidOperationException)
                    {
                        throw Malformed(position, "the inserted text holds an unpaired surrogate");
                    }
                    if (text.Length == 0)
                    {
                        throw Malformed(position, "an insert must not be empty");
                    }
                    if (!Utf16.IsWellFormed(text))
                    {
                        throw Malformed(position, "the inserted text holds an unpaired surrogate");
                    }
                    if ((long)builder.TargetLength + text.Length > maxLength)
                    {
                        throw TooLong(maxLength);
                    }
                    builder.Insert(text);
                    break;
                default:
                    throw Malformed(position,
                        $"{Describe(item.ValueKind)} is neither a retain or delete count (a non-zero integer) nor inserted text (a non-empty string)");
            }
            position++;
        }
        return builder.Build();
    }

    /// <inheritdoc cref="FromJson(JsonElement, int)"/>
    /// <exception cref="OtException">Also when <paramref name="json"/> is not JSON at all.</exception>
    public static TextOperation Parse(string json, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new OtException(OtErrorCode.Malformed, $"An operation must be a JSON array: {e.Message}");
        }
        using (document)
        {
            return FromJson(document.RootElement, maxLength);
        }
    }

    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var component in components)
        {
            switch (component.Kind)
            {
                case OtComponentKind.Retain:
                    writer.WriteNumberValue(component.Length);
                    break;
                case OtComponentKind.Insert:
                    writer.WriteStringValue(component.Text);
                    break;
                default:
                    writer.WriteNumberValue(-component.Length);
                    break;
            }
        }
        writer.WriteEndArray();
    }

    private static OtException Malformed(int position, string reason) =>
        new(OtErrorCode.Malformed, $"Operation component {position} is invalid: {reason}.");

    private static OtException TooLong(int maxLength) =>
        new(OtErrorCode.TooLong, $"The operation is longer than the limit of {maxLength} UTF-16 code units.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}

/// <summary>
/// Reads and writes <see cref="TextOperation"/> in the wire form. A refused operation surfaces as a
/// <see cref="JsonException"/> (so that ASP.NET Core answers 400) whose inner exception is the <see cref="OtException"/>.
/// </summary>
public sealed class TextOperationJsonConverter : JsonConverter<TextOperation>
{
    private readonly int maxLength;

    public TextOperationJsonConverter() : this(TextOperation.DefaultMaxLength)
    {
    }

    public TextOperationJsonConverter(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        this.maxLength = maxLength;
    }

    public override TextOperation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return TextOperation.FromJson(document.RootElement, maxLength);
        }
        catch (OtException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, TextOperation value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.WriteJson(writer);
    }
}
