using System.Text.Json;
using System.Text.Json.Serialization;

namespace BriefingRoom.Api;

/// <summary>
/// Enums as camelCase names, refusing numbers and unknown names with a message that lists what is allowed,
/// so that a client that sends "stance": "bogus" learns what to send instead.
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), StringComparer.OrdinalIgnoreCase);
        private static readonly Dictionary<T, string> ToName = ByName.ToDictionary(p => p.Value, p => p.Key);
        private static readonly string Allowed = string.Join(", ", ToName.Values);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"Expected one of: {Allowed}.");
            }

            var text = reader.GetString()!;
            return ByName.TryGetValue(text, out var value) ? value : throw new JsonException($"'{RequestValidation.Shown(text)}' is not one of: {Allowed}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(ToName.TryGetValue(value, out var name) ? name : JsonNamingPolicy.CamelCase.ConvertName(value.ToString()));

    }
}
