using System.Text.Json;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Proposals;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Proposals;

/// <summary>tests/vectors/proposal-span-vectors.json, which the node suite for wwwroot/js/proposal-spans.js reads too.</summary>
public class ProposalSpanVectorTests
{
    private static readonly JsonDocument Document = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "vectors", "proposal-span-vectors.json")));

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var vector in Document.RootElement.GetProperty("spans").EnumerateArray())
        {
            data.Add(vector.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ASpanMovesThroughOperationsAsTheSharedVectorsSay(string name)
    {
        var vector = Document.RootElement.GetProperty("spans").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        var span = Read(vector.GetProperty("span"));
        var text = vector.GetProperty("text").GetString()!;
        foreach (var wire in vector.GetProperty("ops").EnumerateArray())
        {
            var operation = TextOperation.FromJson(wire);
            text = operation.Apply(text);
            span = span.Map(operation);
        }

        Assert.Equal(Read(vector.GetProperty("expected")), span);
        Assert.InRange(span.To, span.From, text.Length);
    }

    private static ProposalSpan Read(JsonElement e) =>
        new(e.GetProperty("from").GetInt32(), e.GetProperty("to").GetInt32(), e.GetProperty("deleted").GetBoolean());
}
