using System.Text.Json;
using BriefingRoom.Drafting.Ot;

using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Drafting;

/// <summary>tests/vectors/ot-vectors.json, which the node suite for wwwroot/js/ot.js reads too.</summary>
internal static class OtVectors
{
    private static readonly JsonDocument Document = JsonDocument.Parse(
        File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "tests", "vectors", "ot-vectors.json")));

    public static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var vector in Document.RootElement.GetProperty(section).EnumerateArray())
        {
            data.Add(vector.GetProperty("name").GetString()!);
        }
        return data;
    }

    public static JsonElement Get(string section, string name) =>
        Document.RootElement.GetProperty(section).EnumerateArray()
            .Single(v => v.GetProperty("name").GetString() == name);

    public static TextOperation Op(this JsonElement vector, string property) =>
        TextOperation.FromJson(vector.GetProperty(property));

    public static string Text(this JsonElement vector, string property) =>
        vector.GetProperty(property).GetString()!;

    public static OtErrorCode? Error(this JsonElement vector) =>
        vector.TryGetProperty("error", out var error) ? Enum.Parse<OtErrorCode>(error.GetString()!) : null;

    public static int MaxLength(this JsonElement vector) =>
        vector.TryGetProperty("maxLength", out var max) ? max.GetInt32() : TextOperation.DefaultMaxLength;

    public static CaretAffinity Affinity(this JsonElement vector) =>
        vector.TryGetProperty("affinity", out var affinity)
            ? Enum.Parse<CaretAffinity>(affinity.GetString()!, ignoreCase: true)
            : CaretAffinity.After;

    /// <summary>Compares in the wire form, so a failure shows both operations readably.</summary>
    public static void AssertOps(JsonElement expected, TextOperation actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), actual.ToJson());
}
