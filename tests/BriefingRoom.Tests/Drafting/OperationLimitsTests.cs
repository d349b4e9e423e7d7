using System.Text;
using System.Text.Json;
using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Tests.Drafting;

/// <summary>
/// An operation from a client is read in linear time and refused at the first limit it passes, with words that
/// say what is wrong. No test here times anything: the bounds hold by construction (a refusal before the rest is
/// read, allocations proportional to the input), and those are what is asserted.
/// </summary>
public class OperationLimitsTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static string OneCharacterInserts(int count, string tail = "")
    {
        var json = new StringBuilder(count * 4 + tail.Length + 2).Append('[');
        for (var i = 0; i < count; i++)
        {
            json.Append(i == 0 ? "\"a\"" : ",\"a\"");
        }

        return json.Append(tail).Append(']').ToString();
    }

    private static readonly Dictionary<string, (string Json, string Problem)> RefusalCases = new()
    {
        ["a zero count"] = ("[0, 5]", "Component 1 of the operation: 0 retains or deletes nothing."),
        ["an empty insert"] = ("""["", 5]""", "Component 1 of the operation: an insert must not be empty."),
        ["a lone high surrogate"] = ("""[5, "x\uD83D"]""", "Component 2 of the operation: the inserted text holds an unpaired surrogate at position 6."),
        ["a lone low surrogate"] = ("""[2, "ab\uDC00", 3]""", "Component 2 of the operation: the inserted text holds an unpaired surrogate at position 4."),
        ["a fraction"] = ("[1, 1.5]", "Component 2 of the operation: 1.5 is not a whole number."),
        ["a nested array"] = ("[1, [2]]", "Component 2 of the operation: an array is neither a count (a non-zero integer: retain if positive, delete if negative) nor inserted text (a non-empty string)."),
        ["null"] = ("[1, null]", "Component 2 of the operation: null is neither a count (a non-zero integer: retain if positive, delete if negative) nor inserted text (a non-empty string)."),
        ["an object"] = ("""{"ops": [1]}""", "An operation is a JSON array of counts (retain if positive, delete if negative) and inserted texts, not an object."),
        ["a retain past the text limit"] = ("[3000000000]", "The operation applies to or makes a text longer than the limit of 1,000,000 UTF-16 code units."),
        ["a 1,000,000-character insert"] = ($"[\"{new string('a', 1_000_000)}\"]", "The operation inserts more than 200,000 UTF-16 code units, the limit for one operation."),
        ["1.5 MB of digits"] = ($"[1{new string('0', TextOperation.MaxJsonBytes)}]", "The operation is longer than 1,500,000 bytes of JSON, the limit for one operation."),
    };

    public static TheoryData<string> Refusals => [.. RefusalCases.Keys];

    [Theory]
    [MemberData(nameof(Refusals))]
    public void AMalformedOperationIsRefusedWithWordsThatNameTheProblem(string name)
    {
        var (json, problem) = RefusalCases[name];
        Assert.False(TextOperation.TryParse(Json(json), out var operation, out var said));
        Assert.Null(operation);
        Assert.Equal(problem, said);
        Assert.Equal(problem, Assert.Throws<OtException>(() => TextOperation.FromJson(Json(json))).Message);
        var viaConverter = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TextOperation>(json));
        Assert.Equal(problem, Assert.IsType<OtException>(viaConverter.InnerException).Message);
    }

    [Fact]
    public void AGoodOperationParsesThroughEveryEntryPointAlike()
    {
        const string json = """[5, "🇪🇺 Orbán", -2, 10]""";

        Assert.True(TextOperation.TryParse(Json(json), 100, out var operation, out var problem));
        Assert.Null(problem);
        Assert.Equal(operation, TextOperation.FromJson(Json(json)));
        Assert.Equal(operation, TextOperation.Parse(json));
        Assert.Equal(operation, JsonSerializer.Deserialize<TextOperation>(json));
        Assert.Equal(operation, TextOperation.FromStored(json));
    }

    [Fact]
    public void A640KilobyteOperationOfOneCharacterInsertsIsRefusedAtItsComponentLimitBeforeTheRestIsRead()
    {
        // 160,000 components, and a last one that is malformed: had the reader gone past the limit, it would say so.
        var json = OneCharacterInserts(160_000, tail: ",{\"evil\":true}");
        Assert.True(json.Length > 640_000);

        Assert.False(TextOperation.TryParse(Json(json), out _, out var problem));
        Assert.Equal("The operation has more than 10,000 components, the limit: send the edit in parts.", problem);
        Assert.Equal(OtErrorCode.TooLong, Assert.Throws<OtException>(() => TextOperation.Parse(json)).Code);
    }

    [Fact]
    public void TooMuchInsertedTextIsRefusedBeforeTheRestIsRead()
    {
        var json = $"[\"{new string('a', 150_000)}\", \"{new string('b', 50_001)}\", 0]";

        Assert.False(TextOperation.TryParse(Json(json), out _, out var problem));
        Assert.Equal("The operation inserts more than 200,000 UTF-16 code units, the limit for one operation.", problem);
    }

    [Fact]
    public void AnOperationAtEveryLimitIsAccepted()
    {
        var json = OneCharacterInserts(TextOperation.MaxComponents - 1, tail: $",\"{new string('b', TextOperation.MaxInsertedUnits - TextOperation.MaxComponents + 1)}\"");

        Assert.True(TextOperation.TryParse(Json(json), out var operation, out var problem), problem);
        Assert.Equal(TextOperation.MaxInsertedUnits, operation.TargetLength);
        Assert.Single(operation.Components);
    }

    [Fact]
    public void ReadingOneCharacterInsertsAllocatesInProportionToTheInputNotItsSquare()
    {
        var json = Json(OneCharacterInserts(TextOperation.MaxComponents));
        TextOperation.FromJson(json);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var operation = TextOperation.FromJson(json);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(TextOperation.MaxComponents, operation.TargetLength);
        // Joining each insert onto the text before it copies 1 + 2 + ... + 10,000 characters: 100 MB.
        // Linear reading allocates a string per component and one buffer: well under 2 MB.
        Assert.True(allocated < 2_000_000, $"reading {TextOperation.MaxComponents} one-character inserts allocated {allocated:N0} bytes");
    }

    [Fact]
    public void BuildingFromManySmallPiecesAllocatesLinearly()
    {
        var builder = TextOperation.Builder();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50_000; i++)
        {
            builder.Insert("x").Delete(1).Insert("y");
        }

        var operation = builder.Build();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(["xy".Length * 50_000, 50_000], operation.Components.Select(c => c.Length));
        Assert.True(allocated < 2_000_000, $"50,000 steps allocated {allocated:N0} bytes");
    }

    [Fact]
    public void TheServerRefusesAnOperationThatTransformationWouldTakeOverTheComponentLimit()
    {
        // The incoming operation deletes the whole text; meanwhile someone inserted a letter after each character,
        // so the deletion splits into 5,001 pieces with those letters kept between them.
        const int length = 5_001;
        var text = new string('t', length);
        var interleaved = TextOperation.Builder();
        for (var i = 0; i < length; i++)
        {
            interleaved.Retain(1).Insert("x");
        }

        var committed = interleaved.Build();
        var deleteAll = TextOperation.Builder().Delete(length).Build();

        var server = new OtServerDocument(committed.Apply(text), 1);

        var e = Assert.Throws<OtException>(() => server.Accept(0, deleteAll, [committed], maxLength: 100_000));
        Assert.Equal(OtErrorCode.TooLong, e.Code);
        Assert.Contains("over the limit of 10000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLogReadsOperationsStoredUnderOlderLimits()
    {
        var json = OneCharacterInserts(TextOperation.MaxComponents + 1).Replace("\"a\",", "1,\"a\",", StringComparison.Ordinal);

        var stored = TextOperation.FromStored(json);

        Assert.True(stored.Components.Count > TextOperation.MaxComponents);
        Assert.False(TextOperation.TryParse(JsonDocument.Parse(json).RootElement, out _, out _));
    }
}
