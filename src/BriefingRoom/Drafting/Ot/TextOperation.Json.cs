using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BriefingRoom.Drafting.Ot;

public sealed partial class TextOperation
{
    /// <summary>
    /// The longest text, in UTF-16 code units, that an operation may apply to or produce unless the
    /// caller says otherwise.
    /// </summary>
    public const int DefaultMaxLength = 1_000_000;

    /// <summary>
    /// The most components an operation may be written with (before adjacent ones merge). A "replace all"
    /// over a whole draft needs a few thousand; every transform walks them all, so they are bounded.
    /// </summary>
    public const int MaxComponents = 10_000;

    /// <summary>The most UTF-16 code units one operation may insert: a whole draft (Data.Limits.Text) pasted at once.</summary>
    public const int MaxInsertedUnits = 200_000;

    /// <summary>
    /// The longest wire form, in UTF-8 bytes: <see cref="MaxInsertedUnits"/> escaped as \uXXXX (6 bytes each)
    /// with <see cref="MaxComponents"/> counts beside them fits.
    /// </summary>
    public const int MaxJsonBytes = 1_500_000;

    /// <summary>
    /// Reads an operation a client sent, never throwing for bad input: on failure <paramref name="problem"/>
    /// says what is wrong in words (which component, and why), for a refusal the client can act on.
    /// Work is linear in the input and stops at the first problem; the size limits are checked as the
    /// components are read, before anything is built from them.
    /// </summary>
    public static bool TryParse(JsonElement json, int maxLength,
        [NotNullWhen(true)] out TextOperation? operation, [NotNullWhen(false)] out string? problem)
    {
        var result = Read(json, maxLength, forClient: true);
        operation = result.Operation;
        problem = result.Problem;
        return operation is not null;
    }

    /// <inheritdoc cref="TryParse(JsonElement, int, out TextOperation?, out string?)"/>
    public static bool TryParse(JsonElement json, [NotNullWhen(true)] out TextOperation? operation, [NotNullWhen(false)] out string? problem) =>
        TryParse(json, DefaultMaxLength, out operation, out problem);

    /// <summary>
    /// Reads the wire form: a JSON array in which a positive integer retains, a string inserts and a
    /// negative integer deletes. Integral numbers written as 5.0 or 5e0 are accepted, as JavaScript cannot
    /// tell them from 5. The result is normalised, so <c>[1, 1]</c> reads as <c>[2]</c>.
    /// </summary>
    /// <exception cref="OtException">
    /// With <see cref="OtErrorCode.Malformed"/> for anything else (zero, fractions, empty strings,
    /// unpaired surrogates, other JSON kinds), or <see cref="OtErrorCode.TooLong"/> when the base or
    /// target length would pass <paramref name="maxLength"/>, or the operation is over
    /// <see cref="MaxComponents"/>, <see cref="MaxInsertedUnits"/> or <see cref="MaxJsonBytes"/>.
    /// </exception>
    public static TextOperation FromJson(JsonElement json, int maxLength = DefaultMaxLength) =>
        Read(json, maxLength, forClient: true).OrThrow();

    /// <inheritdoc cref="FromJson(JsonElement, int)"/>
    /// <exception cref="OtException">Also when <paramref name="json"/> is not JSON at all.</exception>
    public static TextOperation Parse(string json, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ParseText(json, maxLength, forClient: true).OrThrow();
    }

    /// <summary>
    /// Reads an operation from the server's own log. Only the wire form is checked, not the limits on what a
    /// client may send: an operation committed under older limits must still read, or its text could never
    /// be edited again.
    /// </summary>
    /// <exception cref="OtException">The stored text is not an operation at all.</exception>
    public static TextOperation FromStored(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ParseText(json, int.MaxValue, forClient: false).OrThrow();
    }

    private static ReadResult ParseText(string json, int maxLength, bool forClient)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return ReadResult.Fail(OtErrorCode.Malformed, $"An operation must be a JSON array: {e.Message}");
        }
        using (document)
        {
            return Read(document.RootElement, maxLength, forClient);
        }
    }

    private static ReadResult Read(JsonElement json, int maxLength, bool forClient)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (json.ValueKind == JsonValueKind.Undefined)
        {
            return ReadResult.Fail(OtErrorCode.Malformed, NotAnArray("nothing"));
        }
        var raw = JsonMarshal.GetRawUtf8Value(json);
        if (forClient && raw.Length > MaxJsonBytes)
        {
            return ReadResult.Fail(OtErrorCode.TooLong, TooManyBytes());
        }
        var reader = new Utf8JsonReader(raw);
        reader.Read();
        return Read(ref reader, maxLength, forClient);
    }

    /// <summary>
    /// The one reader behind every entry point: from the array's first token to its last, one component at a
    /// time, refusing at the first problem. Nothing is done per component beyond appending it to the builder,
    /// whose cost is linear.
    /// </summary>
    private static ReadResult Read(ref Utf8JsonReader reader, int maxLength, bool forClient)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return ReadResult.Fail(OtErrorCode.Malformed, NotAnArray(Describe(reader.TokenType)));
        }
        var start = reader.TokenStartIndex;
        var builder = new TextOperationBuilder();
        var inserted = 0L;
        for (var component = 1; ; component++)
        {
            try
            {
                if (!reader.Read())
                {
                    return ReadResult.Fail(OtErrorCode.Malformed, "The operation's array is not closed.");
                }
            }
            catch (JsonException e)
            {
                return ReadResult.Fail(OtErrorCode.Malformed, $"An operation must be a JSON array: {e.Message}");
            }
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return ReadResult.Ok(builder.Build());
            }
            if (forClient && component > MaxComponents)
            {
                return ReadResult.Fail(OtErrorCode.TooLong,
                    $"The operation has more than {Count(MaxComponents)} components, the limit: send the edit in parts.");
            }
            if (forClient && reader.BytesConsumed - start > MaxJsonBytes)
            {
                return ReadResult.Fail(OtErrorCode.TooLong, TooManyBytes());
            }
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    if (!reader.TryGetDouble(out var number) || !double.IsFinite(number) || Math.Floor(number) != number)
                    {
                        return Malformed(component, $"{NumberText(ref reader)} is not a whole number");
                    }
                    if (number == 0)
                    {
                        return Malformed(component, "0 retains or deletes nothing");
                    }
                    var count = Math.Abs(number);
                    if (builder.BaseLength + count > maxLength || (number > 0 && builder.TargetLength + count > maxLength))
                    {
                        return ReadResult.Fail(OtErrorCode.TooLong, TooLong(maxLength));
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
                case JsonTokenType.String:
                    string text;
                    try
                    {
                        text = reader.GetString()!;
                    }
                    catch (InvalidOperationException)
                    {
                        var at = LoneSurrogateIndex(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                        return Malformed(component, $"the inserted text holds an unpaired surrogate at position {builder.TargetLength + at}");
                    }
                    if (text.Length == 0)
                    {
                        return Malformed(component, "an insert must not be empty");
                    }
                    if (!Utf16.IsWellFormed(text))
                    {
                        return Malformed(component, $"the inserted text holds an unpaired surrogate at position {builder.TargetLength + Utf16.FirstUnpaired(text)}");
                    }
                    if (forClient && TextRules.FindRefused(text) is { } refused)
                    {
                        return Malformed(component, $"the inserted text holds {TextRules.Describe(refused, builder.TargetLength)}");
                    }
                    inserted += text.Length;
                    if (forClient && inserted > MaxInsertedUnits)
                    {
                        return ReadResult.Fail(OtErrorCode.TooLong,
                            $"The operation inserts more than {Count(MaxInsertedUnits)} UTF-16 code units, the limit for one operation.");
                    }
                    if ((long)builder.TargetLength + text.Length > maxLength)
                    {
                        return ReadResult.Fail(OtErrorCode.TooLong, TooLong(maxLength));
                    }
                    builder.Insert(text);
                    break;
                default:
                    return Malformed(component,
                        $"{Describe(reader.TokenType)} is neither a count (a non-zero integer: retain if positive, delete if negative) nor inserted text (a non-empty string)");
            }
        }
    }

    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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

    /// <summary>Reads an operation where a converter stands: the same reader, the same limits, the same words.</summary>
    internal static TextOperation ReadWithConverter(ref Utf8JsonReader reader, int maxLength) =>
        Read(ref reader, maxLength, forClient: true).OrThrow();

    private static ReadResult Malformed(int component, string reason) =>
        ReadResult.Fail(OtErrorCode.Malformed, $"Component {component.ToString(CultureInfo.InvariantCulture)} of the operation: {reason}.");

    private static string NotAnArray(string what) =>
        $"An operation is a JSON array of counts (retain if positive, delete if negative) and inserted texts, not {what}.";

    private static string TooLong(int maxLength) =>
        $"The operation applies to or makes a text longer than the limit of {Count(maxLength)} UTF-16 code units.";

    private static string TooManyBytes() =>
        $"The operation is longer than {Count(MaxJsonBytes)} bytes of JSON, the limit for one operation.";

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string NumberText(ref Utf8JsonReader reader)
    {
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
        var text = Encoding.UTF8.GetString(raw);
        return Utf16.Shorten(text, 30);
    }

    /// <summary>
    /// Where, in UTF-16 code units of the decoded string, the first unpaired surrogate escape of a JSON string's
    /// raw content is. Only asked once the string is known to hold one, so it need not be fast.
    /// </summary>
    private static int LoneSurrogateIndex(ReadOnlySpan<byte> raw)
    {
        var units = new List<char>();
        for (var i = 0; i < raw.Length;)
        {
            if (raw[i] == (byte)'\\' && i + 1 < raw.Length)
            {
                if (raw[i + 1] == (byte)'u' && i + 6 <= raw.Length
                    && int.TryParse(Encoding.ASCII.GetString(raw.Slice(i + 2, 4)), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                {
                    units.Add((char)code);
                    i += 6;
                }
                else
                {
                    units.Add('?');
                    i += 2;
                }
                continue;
            }
            var length = raw[i] < 0x80 ? 1 : raw[i] < 0xE0 ? 2 : raw[i] < 0xF0 ? 3 : 4;
            units.Add('?');
            if (length == 4)
            {
                units.Add('?');
            }
            i += length;
        }
        return Utf16.FirstUnpaired(CollectionsMarshal.AsSpan(units));
    }

    private static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    private readonly record struct ReadResult(TextOperation? Operation, OtErrorCode Code, string? Problem)
    {
        public static ReadResult Ok(TextOperation operation) => new(operation, default, null);

        public static ReadResult Fail(OtErrorCode code, string problem) => new(null, code, problem);

        public TextOperation OrThrow() => Operation ?? throw new OtException(Code, Problem!);
    }
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
        // Straight from the reader, component by component: a refused operation costs no more than the part read.
        try
        {
            return TextOperation.ReadWithConverter(ref reader, maxLength);
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
