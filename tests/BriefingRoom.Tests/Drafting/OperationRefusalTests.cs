using System.Text;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Drafting;

/// <summary>Operations that a client sends over the API are read within their limits and refused in words, changing nothing.</summary>
public class OperationRefusalTests
{
    private static async Task<string[]> RefusedOperationAsync(BriefingApp app, string operationJson)
    {
        var chair = await app.SignInAsync("chair");
        var body = $$"""{"documentId":"draft:1","baseRevision":0,"clientOpId":"pathological","operation":{{operationJson}}}""";
        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.SendRawAsync(HttpMethod.Post, "/api/meetings/1/texts/draft:1/operations", body));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        return [.. errors.GetProperty("operation").EnumerateArray().Select(m => m.GetString()!)];
    }

    [Fact]
    public async Task A640KilobyteOperationOfOneCharacterInsertsIsRefusedAtTheComponentLimit()
    {
        await using var app = new BriefingApp();
        var operation = new StringBuilder("[").AppendJoin(',', Enumerable.Repeat("\"a\"", 160_000)).Append(']').ToString();
        Assert.True(operation.Length > 640_000);

        Assert.Equal(["The operation has more than 10,000 components, the limit: send the edit in parts."], await RefusedOperationAsync(app, operation));
    }

    [Theory]
    [InlineData("[0, 881]", "Component 1 of the operation: 0 retains or deletes nothing.")]
    [InlineData("""["", 881]""", "Component 1 of the operation: an insert must not be empty.")]
    [InlineData("""[881, "x\uD83D"]""", "Component 2 of the operation: the inserted text holds an unpaired surrogate at position 882.")]
    public async Task AMalformedOperationIsRefusedWithItsReason(string operation, string reason)
    {
        await using var app = new BriefingApp();

        Assert.Equal([reason], await RefusedOperationAsync(app, operation));
    }
}
