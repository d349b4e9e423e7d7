using System.Text.Json;
using BriefingRoom.Data;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Meetings;

/// <summary>Bad input gets RFC 9457 problem details naming the field, and changes nothing.</summary>
public class ValidationTests
{
    private static string Json(object body) => JsonSerializer.Serialize(body);

    public static TheoryData<string, string, string, int, string> BadRequests => new()
    {
        { "PUT", "/api/meetings/1/items/1/positions/HU", """{"stance":"bogus","expectedVersion":1}""", 400, "stance" },
        { "PUT", "/api/meetings/1/items/1/positions/HU", """{"stance":3,"expectedVersion":1}""", 400, "stance" },
        { "PUT", "/api/meetings/1/items/1/positions/HU", """{"expectedVersion":1}""", 400, "stance" },
        { "PUT", "/api/meetings/1/items/1/positions/HU", """{"stance":"support","expectedVersion":"one"}""", 400, "expectedVersion" },
        { "PUT", "/api/meetings/1/items/1/positions/HU", """{"stance":"supportWithReservation","expectedVersion":1}""", 400, "reservationKind" },
        { "PUT", "/api/meetings/1/items/1/positions/HU", """{"stance":"oppose","reservationKind":"general","expectedVersion":1}""", 400, "reservationKind" },
        { "PUT", "/api/meetings/1/items/1/positions/HU", Json(new { stance = "oppose", reservationText = new string('x', Limits.Reason + 1), expectedVersion = 1 }), 400, "reservationText" },
        { "PUT", "/api/meetings/1/items/1/positions/HU", """{"stance":"oppose",""", 400, "body" },
        { "PUT", "/api/meetings/1/items/1/positions/HU", """[1,2,3]""", 400, "body" },
        { "PUT", "/api/meetings/1/items/1/positions/XX", """{"stance":"oppose","expectedVersion":1}""", 404, "" },
        { "PUT", "/api/meetings/1/items/999/positions/HU", """{"stance":"oppose","expectedVersion":1}""", 404, "" },
        { "PUT", "/api/meetings/999/items/1/positions/HU", """{"stance":"oppose","expectedVersion":1}""", 404, "" },
        { "POST", "/api/meetings/1/items", """{"title":"","rule":"consensus"}""", 400, "title" },
        { "POST", "/api/meetings/1/items", Json(new { title = new string('t', Limits.Title + 1), rule = "consensus" }), 400, "title" },
        { "POST", "/api/meetings/1/items", """{"title":"Middle East","rule":"majorityOfTheLoudest"}""", 400, "rule" },
        { "POST", "/api/meetings/1/items", """{"title":"Middle East"}""", 400, "rule" },
        { "POST", "/api/meetings/1/items", """{"title":"Middle East","rule":"consensus","guests":["FR"]}""", 400, "guests" },
        { "POST", "/api/meetings/1/items", """{"title":"Middle East","rule":"consensus","guests":[null]}""", 400, "guests[0]" },
        { "POST", "/api/meetings/1/items", """{"title":"Middle East","rule":"consensus","guests":[""]}""", 400, "guests" },
        { "POST", "/api/meetings/1/items", Json(new { title = "Middle East", rule = "consensus", guests = new[] { new string('Z', 100_000) } }), 400, "guests" },
        { "POST", "/api/meetings/1/items", Json(new { title = "Middle East", rule = "consensus", guests = Enumerable.Range(0, 20_000).Select(i => $"Z{(char)('A' + i / 676 % 26)}{(char)('A' + i / 26 % 26)}{(char)('A' + i % 26)}").ToArray() }), 400, "guests" },
        { "PUT", "/api/meetings/1/items/1", """{"title":"Ukraine","rule":"unanimity","guests":[null],"expectedVersion":1}""", 400, "guests[0]" },
        { "POST", "/api/meetings/1/items", Json(new { title = "Middle East", rule = "consensus", draft = new string('d', Limits.Text + 1) }), 400, "draft" },
        { "PUT", "/api/meetings/1/items/1", """{"title":"Ukraine","rule":"consensus"}""", 400, "expectedVersion" },
        { "PUT", "/api/meetings/1/items/1", """{"title":"Ukraine","rule":"consensus","expectedVersion":7}""", 409, "" },
        { "PUT", "/api/meetings/1/agenda/order", """{"itemIds":[1,2,3,4]}""", 400, "itemIds" },
        { "PUT", "/api/meetings/1/agenda/order", """{"itemIds":[1,1,2,3,4]}""", 400, "itemIds" },
        { "PUT", "/api/meetings/1/agenda/order", """{"itemIds":[1,2,3,4,99]}""", 400, "itemIds" },
        { "PUT", "/api/meetings/1/items/1/status", """{"status":"settled"}""", 400, "status" },
        { "POST", "/api/meetings/1/items/1/lock", Json(new { reason = new string('r', Limits.Reason + 1) }), 400, "reason" },
        { "DELETE", "/api/meetings/1/items/1/lock", "", 409, "" },
        { "POST", "/api/meetings/1/participants", """{"delegationCode":"ZZ"}""", 400, "delegationCode" },
        { "POST", "/api/meetings/1/participants", """{"delegationCode":"FR"}""", 409, "" },
        { "PUT", "/api/meetings/1/participants/UK", """{"votingRightsSuspended":true,"expectedVersion":0}""", 400, "votingRightsSuspended" },
        { "POST", "/api/meetings/1/invitations", """{"email":"not an address","displayName":"Someone","role":"observer"}""", 400, "email" },
        { "POST", "/api/meetings/1/invitations", """{"email":"new@example.org","displayName":"new@example.org","role":"observer"}""", 400, "displayName" },
        { "POST", "/api/meetings/1/invitations", """{"email":"new@example.org","role":"observer"}""", 400, "displayName" },
        { "POST", "/api/meetings/1/invitations", """{"email":"new@example.org","displayName":"Austria","role":"delegate"}""", 400, "delegationCode" },
        { "POST", "/api/meetings/1/invitations", """{"email":"new@example.org","displayName":"Austria","role":"delegate","delegationCode":"ZZ"}""", 400, "delegationCode" },
        { "POST", "/api/meetings/1/invitations", """{"email":"fr@briefing.example","displayName":"France","role":"delegate","delegationCode":"FR"}""", 409, "" },
        { "POST", "/api/invitations/accept", """{"token":"not-a-token","password":"Whatever-2025!"}""", 404, "" },
        { "POST", "/api/invitations/preview", """{"token":""}""", 400, "token" },
        { "PUT", "/api/meetings/1", """{"title":"EUCO","date":"6 March","place":"Brussels","documentNumber":"EUCO 1/25","status":"inSession","expectedVersion":1}""", 400, "date" },
        { "PUT", "/api/meetings/1", """{"title":"EUCO","date":"0225-03-06","place":"Brussels","documentNumber":"EUCO 1/25","status":"inSession","expectedVersion":1}""", 400, "date" },
        { "PUT", "/api/meetings/1", """{"title":"EUCO","date":"9999-12-31","place":"Brussels","documentNumber":"EUCO 1/25","status":"inSession","expectedVersion":1}""", 400, "date" },
        { "PUT", "/api/meetings/1", """{"title":"Special meeting\nof the European Council","date":"2025-03-06","place":"Brussels","documentNumber":"EUCO 6/25","status":"inSession","expectedVersion":1}""", 400, "title" },
        { "PUT", "/api/meetings/1", """{"title":"EUCO","date":"2025-03-06","place":"Brussels\nEurope building","documentNumber":"EUCO 6/25","status":"inSession","expectedVersion":1}""", 400, "place" },
        { "PUT", "/api/meetings/1", """{"title":"EUCO","date":"2025-03-06","place":"Brussels","documentNumber":"EUCO\n6/25","status":"inSession","distributionMarking":"LIMITE\n","expectedVersion":1}""", 400, "documentNumber" },
        { "POST", "/api/meetings", """{"title":"EUCO","kind":"europeanCouncil","date":"2025-03-20","place":"Brussels","documentNumber":"EUCO 2/25","distributionMarking":"LIMITE\u2028PUBLIC"}""", 400, "distributionMarking" },
        { "PUT", "/api/meetings/1/participants/HU", """{"headOfDelegation":"Viktor\nOrb\u00e1n","votingRightsSuspended":false,"expectedVersion":0}""", 400, "headOfDelegation" },
        { "POST", "/api/delegations", """{"code":"CH","name":"Swiss\nConfederation","kind":"guest"}""", 400, "name" },
        { "POST", "/api/meetings/1/items", """{"title":"Ukraine\nand security guarantees","rule":"consensus"}""", 400, "title" },
        { "PUT", "/api/meetings/1/items/1", """{"title":"Ukraine\u2028again","rule":"unanimity","expectedVersion":1}""", 400, "title" },
        { "POST", "/api/meetings/1/items/1/versions", """{"name":"Chair's text\nafter the first round"}""", 400, "name" },
        { "PUT", "/api/meetings/1/items/3/statement", """{"documentNumber":"EUCO\n99/25"}""", 400, "documentNumber" },
        { "PUT", "/api/meetings/1/items/3/statement", """{"documentNumber":"EUCO 10/25","title":"Statement\nof the willing"}""", 400, "title" },
        { "PUT", "/api/meetings/1/items/3/statement", """{"documentNumber":"EUCO 10/25","distributionMarking":"LIMITE\u2029PUBLIC"}""", 400, "distributionMarking" },
        { "POST", "/api/meetings/1/invitations", """{"email":"new@example.org","displayName":"Austria\nLena Weber","role":"observer"}""", 400, "displayName" },
        { "POST", "/api/meetings/1/texts/draft:1/operations", """{"documentId":"draft:1","baseRevision":0,"clientOpId":"a","operation":[0]}""", 400, "operation" },
        { "POST", "/api/meetings/1/texts/draft:1/operations", """{"documentId":"draft:1","baseRevision":0,"clientOpId":"a","operation":["x"]}""", 400, "operation" },
        { "POST", "/api/meetings/1/texts/draft:1/operations", """{"documentId":"draft:1","baseRevision":5,"clientOpId":"a","operation":[881,"x"]}""", 400, "baseRevision" },
        { "POST", "/api/meetings/1/texts/draft:1/operations", """{"documentId":"draft:2","baseRevision":0,"clientOpId":"a","operation":["x"]}""", 400, "documentId" },
        { "GET", "/api/meetings/1/events?since=-1", "", 400, "since" },
        { "GET", "/api/meetings/1/events?since=99", "", 400, "since" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInputGetsAProblemDetailNamingTheFieldAndChangesNothing(string method, string url, string body, int status, string field)
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (body.Length > 0)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            }

            var response = await chair.SendAsync(request, TestHttp.Ct);
            await response.ShouldBeAsync(status);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.ReadJsonAsync();
            Assert.Equal(status, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
            if (field.Length > 0)
            {
                var errors = problem.GetProperty("errors");
                Assert.True(errors.TryGetProperty(field, out var messages), $"errors name {field}: {errors}");
                Assert.All(messages.EnumerateArray(), m => Assert.False(string.IsNullOrWhiteSpace(m.GetString())));
                // A refusal says what is wrong; it never hands a large request back to its sender.
                Assert.All(messages.EnumerateArray(), m => Assert.True(m.GetString()!.Length <= 500, $"{field}: a message of {m.GetString()!.Length} characters"));
            }
        });
    }

    [Fact]
    public async Task ARefusalOfManyUnknownGuestsNamesAFewAndCountsTheRest()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        var response = await chair.PostJsonAsync("/api/meetings/1/items",
            new { title = "Middle East", rule = "consensus", guests = Enumerable.Range(0, 2_000).Select(i => $"Z{(char)('A' + i / 26 % 26)}{(char)('A' + i % 26)}").Append("ua").ToArray() });

        await response.ShouldBeAsync(400);
        var problem = await response.ReadJsonAsync();
        // 676 codes ZAA..ZZZ, then the wrapped-around repeats count once; "ua" is UA, a guest of the demo meeting.
        Assert.Equal("Not a guest delegation of this meeting: ZAA, ZAB, ZAC, ZAD, ZAE and 671 more.",
            problem.GetProperty("errors").GetProperty("guests")[0].GetString());
    }

    [Fact]
    public async Task ARequestWithoutIdentityGets401NeverARedirect()
    {
        await using var app = new BriefingApp();
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/api/meetings/1", TestHttp.Ct);

        await response.ShouldBeAsync(401);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task NoRequestMakesTheServerAnswer500()
    {
        // Hundreds of requests from one user: lift the rate limit, or most would only meet a 429.
        await using var app = new BriefingApp().With("Briefing:RateLimits:ApiPerSecond", "100000").With("Briefing:RateLimits:ApiBurst", "100000");
        var chair = await app.SignInAsync("chair");
        string[] urls = ["/api/meetings/1", "/api/meetings/1/items", "/api/meetings/1/items/1", "/api/meetings/1/items/1/lock", "/api/meetings/1/items/1/status",
            "/api/meetings/1/items/1/positions/HU", "/api/meetings/1/agenda/order", "/api/meetings/1/participants", "/api/meetings/1/participants/HU",
            "/api/meetings/1/memberships", "/api/meetings/1/invitations", "/api/invitations/preview", "/api/invitations/accept", "/api/auth/login",
            "/api/auth/register", "/api/auth/refresh", "/api/meetings/1/texts/draft:1/operations", "/api/meetings", "/api/delegations"];
        string[] bodies = ["", "null", "{}", "[]", "\"text\"", "{\"title\":null,\"rule\":null,\"expectedVersion\":null}", "{\"itemIds\":null}", "{\"itemIds\":[null]}",
            "{\"stance\":null,\"expectedVersion\":-1}", "{\"operation\":null,\"documentId\":\"draft:1\",\"baseRevision\":0,\"clientOpId\":\"x\"}",
            "{\"operation\":{},\"documentId\":\"draft:1\",\"baseRevision\":0,\"clientOpId\":\"x\"}", "{\"email\":null,\"role\":\"delegate\"}", "\u0000\u0001"];
        foreach (var url in urls)
        {
            foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
            {
                foreach (var body in bodies)
                {
                    var response = await chair.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") }, TestHttp.Ct);
                    Assert.True((int)response.StatusCode is < 500 and not 429, $"{method} {url} with {JsonSerializer.Serialize(body)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestHttp.Ct)}");
                }
            }
        }
    }
}
