using System.Text.Json;
using System.Text.Json.Serialization;

namespace BriefingRoom.Api;

/// <summary>One JSON shape for REST, the hub and stored event payloads: camelCase, enums as camelCase names.</summary>
public static class BriefingJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new StrictEnumConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // The web defaults read "3" as 3. The API describes its numbers as numbers; a client that sends text has a bug,
        // which reading it quietly would hide until the text is not a number.
        options.NumberHandling = JsonNumberHandling.Strict;
        // A field given twice would be read as its last value: whoever reads the first (a proxy, a log, the client's own
        // code) would see another request than the one carried out.
        options.AllowDuplicateProperties = false;
        return options;
    }
}
