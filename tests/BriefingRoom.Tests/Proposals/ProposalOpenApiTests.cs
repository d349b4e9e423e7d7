using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Proposals;

public class ProposalOpenApiTests
{
    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryProposalEndpointWithItsBodyAndAnswer()
    {
        await using var app = new BriefingApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/openapi/v1.json", TestHttp.Ct);
        await response.ShouldBeAsync(200);
        var document = await response.ReadJsonAsync();
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/meetings/{meetingId}/items/{itemId}/drafting-mode", "put"),
            ("/api/meetings/{meetingId}/items/{itemId}/proposals", "get"),
            ("/api/meetings/{meetingId}/items/{itemId}/proposals", "post"),
            ("/api/meetings/{meetingId}/proposals/{proposalId}/support", "put"),
            ("/api/meetings/{meetingId}/proposals/{proposalId}/accept", "post"),
            ("/api/meetings/{meetingId}/proposals/{proposalId}/reject", "post"),
            ("/api/meetings/{meetingId}/proposals/{proposalId}/withdraw", "post"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var entry), $"{path} is missing from the OpenAPI document");
            var operation = entry.GetProperty(method);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
            Assert.True(operation.GetProperty("responses").TryGetProperty("200", out _), $"{method} {path} names its answer");
        }

        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("ProposalDto", out _));
        Assert.True(schemas.TryGetProperty("TableProposalRequest", out _));
    }
}
