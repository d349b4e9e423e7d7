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

    /// <summary>Every enum was described as "{}": a client could not learn which kinds, roles or stances to send.</summary>
    [Fact]
    public async Task TheOpenApiDocumentListsTheNamesEachEnumTakes()
    {
        await using var app = new BriefingApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/openapi/v1.json", TestHttp.Ct);
        await response.ShouldBeAsync(200);
        var schemas = (await response.ReadJsonAsync()).GetProperty("components").GetProperty("schemas");

        foreach (var (schema, names) in new[]
        {
            ("MeetingKind", new[] { "europeanCouncil", "specialEuropeanCouncil", "councilOfTheEu", "summit" }),
            ("MeetingRole", Enum.GetNames<BriefingRoom.Meetings.MeetingRole>().Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName).ToArray()),
        })
        {
            Assert.True(schemas.TryGetProperty(schema, out var described), $"{schema} is missing from the OpenAPI document");
            Assert.Equal("string", described.GetProperty("type").GetString());
            Assert.Equal(names, described.GetProperty("enum").EnumerateArray().Select(n => n.GetString()).ToArray());
        }

        // Optional, and left out keeps the current choice.
        var attribution = schemas.GetProperty("CreateMeetingRequest").GetProperty("properties").GetProperty("reservationAttribution");
        Assert.Equal(["named", "anonymous", null], attribution.GetProperty("enum").EnumerateArray().Select(n => n.ValueKind == System.Text.Json.JsonValueKind.Null ? null : n.GetString()).ToArray());
    }
}
