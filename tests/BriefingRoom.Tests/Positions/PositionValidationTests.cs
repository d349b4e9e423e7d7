using System.Text.Json;
using BriefingRoom.Positions;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Positions;

/// <summary>Setting a position over the hub is validated exactly as PUT .../positions is: the same inputs get the same field errors in the same words.</summary>
public class PositionValidationTests
{
    private static readonly Dictionary<string, (string Body, string Field)> Cases = new()
    {
        ["no request at all"] = ("null", "body"),
        ["a 900,000-character reservation"] = (JsonSerializer.Serialize(new { stance = "supportWithReservation", reservationKind = "general", reservationText = new string('r', 900_000), expectedVersion = 0 }), "reservationText"),
        ["a reservation one character too long"] = (JsonSerializer.Serialize(new { stance = "supportWithReservation", reservationKind = "general", reservationText = new string('r', 2_001), expectedVersion = 0 }), "reservationText"),
        ["an unknown stance"] = ("""{"stance":"bogus","expectedVersion":0}""", "stance"),
        ["a stance given as a number"] = ("""{"stance":3,"expectedVersion":0}""", "stance"),
        ["no stance"] = ("""{"expectedVersion":0}""", "stance"),
        ["no expected version"] = ("""{"stance":"support"}""", "expectedVersion"),
        ["a negative version"] = ("""{"stance":"support","expectedVersion":-1}""", "expectedVersion"),
        ["a version in words"] = ("""{"stance":"support","expectedVersion":"one"}""", "expectedVersion"),
        ["an unknown reservation kind"] = ("""{"stance":"supportWithReservation","reservationKind":"eventual","expectedVersion":0}""", "reservationKind"),
        ["a reservation without its kind"] = ("""{"stance":"supportWithReservation","expectedVersion":0}""", "reservationKind"),
        ["a reservation on an opposition"] = ("""{"stance":"oppose","reservationKind":"general","expectedVersion":0}""", "reservationKind"),
        ["a reservation's words on a plain support"] = ("""{"stance":"support","reservationText":"Subject to the Bundestag.","expectedVersion":0}""", "reservationText"),
    };

    public static TheoryData<string> BadRequests => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task TheHubRefusesWhatRestRefusesWithTheSameFieldErrorsAndChangesNothing(string name)
    {
        var (body, field) = Cases[name];
        await using var app = new BriefingApp();
        var rest = await app.SignInAsync("fr");
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(TestHttp.Ct);
        JsonElement? hubBody = body == "null" ? null : JsonDocument.Parse(body).RootElement;

        var response = await Fingerprint.AssertUnchangedAsync(app, () => rest.SendRawAsync(HttpMethod.Put, "/api/meetings/1/items/3/positions/FR", body));
        var refused = await Fingerprint.AssertUnchangedAsync(app, () =>
            Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<PositionDto>("SetPosition", 1, 3, "FR", hubBody, TestHttp.Ct)));

        await response.ShouldBeAsync(400);
        var problem = await response.ReadJsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"REST names {field}: {problem}");
        // SignalR puts its own words before a HubException's ("An unexpected error occurred invoking 'SetPosition' on the server. HubException: ").
        Assert.EndsWith($"HubException: {problem.GetProperty("title").GetString()}: {problem.GetProperty("detail").GetString()}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    private static readonly Dictionary<string, (string HubMethod, object?[] HubArguments, string RestMethod, string RestUrl, string? RestBody)> Twins = new()
    {
        ["an operation without its request"] = ("SubmitOperation", [1, null], "POST", "/api/meetings/1/texts/draft:1/operations", "null"),
        ["an operation id of 65 characters"] = ("SubmitOperation", [1, new { documentId = "draft:1", baseRevision = 0, clientOpId = new string('c', 65), operation = new object[] { "x", 881 } }],
            "POST", "/api/meetings/1/texts/draft:1/operations", JsonSerializer.Serialize(new { documentId = "draft:1", baseRevision = 0, clientOpId = new string('c', 65), operation = new object[] { "x", 881 } })),
        ["an operation on a negative revision"] = ("SubmitOperation", [1, new { documentId = "draft:1", baseRevision = -1, clientOpId = "c", operation = new object[] { "x", 881 } }],
            "POST", "/api/meetings/1/texts/draft:1/operations", """{"documentId":"draft:1","baseRevision":-1,"clientOpId":"c","operation":["x",881]}"""),
        ["an operation naming no text"] = ("SubmitOperation", [1, new { baseRevision = 0, clientOpId = "c", operation = new object[] { "x", 881 } }],
            "POST", "/api/meetings/1/texts/draft:1/operations", """{"baseRevision":0,"clientOpId":"c","operation":["x",881]}"""),
        ["history from a negative revision"] = ("GetTextHistory", [1, "draft:1", -5], "GET", "/api/meetings/1/texts/draft:1/history?since=-5", null),
        ["history of no text"] = ("GetTextHistory", [1, "position:1:ZZ", 0], "GET", "/api/meetings/1/texts/position:1:ZZ/history?since=0", null),
        ["events from a negative number"] = ("GetEventsSince", [1, -1L], "GET", "/api/meetings/1/events?since=-1", null),
    };

    public static TheoryData<string> TwinRequests => [.. Twins.Keys];

    [Theory]
    [MemberData(nameof(TwinRequests))]
    public async Task EveryHubMethodWithARestTwinRefusesInTheSameWords(string name)
    {
        var (hubMethod, hubArguments, restMethod, restUrl, restBody) = Twins[name];
        await using var app = new BriefingApp();
        var rest = await app.SignInAsync("fr");
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(TestHttp.Ct);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => restBody is null
            ? rest.GetAsync(restUrl, TestHttp.Ct)
            : rest.SendRawAsync(new HttpMethod(restMethod), restUrl, restBody));
        var refused = await Fingerprint.AssertUnchangedAsync(app, () =>
            Assert.ThrowsAsync<HubException>(() => hub.InvokeCoreAsync(hubMethod, typeof(object), hubArguments, TestHttp.Ct)));

        Assert.True((int)response.StatusCode is 400 or 404, $"{restMethod} {restUrl}: {(int)response.StatusCode}");
        var problem = await response.ReadJsonAsync();
        Assert.EndsWith($"HubException: {problem.GetProperty("title").GetString()}: {problem.GetProperty("detail").GetString()}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValidPositionSetOverTheHubIsStoredAsOverRest()
    {
        await using var app = new BriefingApp();
        await using var hub = app.NewHubConnection(await app.TokenForAsync("fr"));
        await hub.StartAsync(TestHttp.Ct);
        var version = app.PositionVersion(3, "FR");

        var set = await hub.InvokeAsync<PositionDto>("SetPosition", 1, 3, "FR",
            new { stance = "supportWithReservation", reservationKind = "parliamentary", reservationText = "Subject to the Assemblée nationale.", expectedVersion = version }, TestHttp.Ct);

        Assert.Equal(version + 1, set.Version);
        Assert.Equal("Subject to the Assemblée nationale.", app.WithDb(db => db.Positions.Single(p => p.ItemId == 3 && p.DelegationCode == "FR").ReservationText));
    }
}
