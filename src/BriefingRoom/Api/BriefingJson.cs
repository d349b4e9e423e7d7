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
        return options;
    }
}
