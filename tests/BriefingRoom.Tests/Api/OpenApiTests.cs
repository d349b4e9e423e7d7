using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Api;

public class OpenApiTests
{
    [Fact]
    public async Task TheOpenApiDocumentDescribesTheTallyCalculatorPopulationCoalitionAndDocumentEndpoints()
    {
        await using var app = new BriefingApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/openapi/v1.json", TestHttp.Ct);
        await response.ShouldBeAsync(200);
        var paths = (await response.ReadJsonAsync()).GetProperty("paths");

        foreach (var path in new[]
        {
            "/api/meetings/{meetingId}/items/{itemId}/tally",
            "/api/voting/evaluate",
            "/api/population-tables",
            "/api/population-tables/{year}",
            "/api/meetings/{meetingId}/items/{itemId}/coalition",
            "/api/meetings/{meetingId}/items/{itemId}/coalition/signatories/{delegationCode}",
            "/api/meetings/{meetingId}/items/{itemId}/coalition/lock",
            "/api/meetings/{meetingId}/items/{itemId}/statement",
            "/api/meetings/{meetingId}/conclusions.pdf",
            "/api/meetings/{meetingId}/conclusions.docx",
            "/api/meetings/{meetingId}/items/{itemId}/statement.pdf",
            "/api/meetings/{meetingId}/items/{itemId}/statement.docx",
            "/api/meetings/{meetingId}/copies",
            "/api/meetings/{meetingId}/copies/trace",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }

        Assert.Contains("csv", paths.GetProperty("/api/population-tables/{year}").GetProperty("put").GetProperty("summary").GetString());
    }
}
