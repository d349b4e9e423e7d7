using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Api;

/// <summary>
/// The sweep of hostile input over every endpoint and hub method: whatever is wrong gets an answer that says what (a
/// problem naming the field, a HubException naming the argument), and nothing changes.
/// </summary>
public class InputSweepTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Arguments SignalR itself cannot bind (too few, too many, text for a number, a number past int, a record field of
    /// the wrong type) never reach the hub's filters: SignalR answered only "Failed to invoke 'X' due to an error on the
    /// server.", which names nothing, while the same mistake over REST, or in a body the hub binds itself, names the field.
    /// </summary>
    public static TheoryData<string, string, string> UnbindableHubArguments => new()
    {
        { "JoinMeeting", "[]", "meetingId" },
        { "JoinMeeting", "[1, 2]", "meetingId" },
        { "JoinMeeting", "[\"abc\"]", "meetingId" },
        { "JoinMeeting", "[99999999999]", "meetingId" },
        { "JoinMeeting", "[null]", "meetingId" },
        { "GetEventsSince", "[1, \"x\"]", "since" },
        { "GetEventsSince", "[1]", "since" },
        { "GetTextHistory", "[1, \"draft:1\", \"x\"]", "sinceRevision" },
        { "GetTextHistory", "[1, 5, 0]", "documentId" },
        { "Focus", "[1, \"x\"]", "itemId" },
        { "AcceptProposal", "[1, 1.5]", "proposalId" },
        { "SubmitOperation", "[1, {\"documentId\":\"draft:1\",\"baseRevision\":\"zero\",\"clientOpId\":\"a\",\"operation\":[\"x\"]}]", "baseRevision" },
        { "SubmitOperation", "[1, {\"documentId\":\"draft:1\",\"baseRevision\":99999999999,\"clientOpId\":\"a\",\"operation\":[\"x\"]}]", "baseRevision" },
        { "SubmitOperation", "[1, {\"documentId\":5,\"baseRevision\":0,\"clientOpId\":\"a\",\"operation\":[\"x\"]}]", "documentId" },
        { "SubmitOperation", "[1, [\"x\"]]", "request" },
        { "MoveCaret", "[1, {\"documentId\":\"draft:1\",\"revision\":99999999999,\"anchor\":0,\"head\":0}]", "revision" },
        { "MoveCaret", "[1, \"draft:1\"]", "caret" },
        // A number written as text is a client's mistake, whichever number it happens to spell.
        { "JoinMeeting", "[\"1\"]", "meetingId" },
        { "GetEventsSince", "[1, \"0\"]", "since" },
        { "SubmitOperation", "[1, {\"documentId\":\"draft:1\",\"baseRevision\":\"0\",\"clientOpId\":\"a\",\"operation\":[\"x\"]}]", "baseRevision" },
        { "MoveCaret", "[1, {\"documentId\":\"draft:1\",\"revision\":\"0\",\"anchor\":0,\"head\":0}]", "revision" },
    };

    [Theory]
    [MemberData(nameof(UnbindableHubArguments))]
    public async Task HubArgumentsSignalRCannotBindGetAnAnswerNamingTheArgument(string method, string arguments, string named)
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var args = JsonDocument.Parse(arguments).RootElement.EnumerateArray().Select(a => (object?)a.Clone()).ToArray();

        var refused = await Fingerprint.AssertUnchangedAsync(app, () =>
            Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeCoreAsync<object>(method, args, Ct)));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"due to an error on the server\.\s*$", refused.Message);
        Assert.Equal(HubConnectionState.Connected, france.Hub.State);
        // The connection still works.
        await france.Hub.InvokeAsync<object>("GetEventsSince", 1, 0L, Ct);
    }

    /// <summary>
    /// A required property the serializer itself insists on (the refresh endpoint's refreshToken) was reported under
    /// "body", with the serializer's words, although the body is an object and one named field is missing.
    /// </summary>
    [Theory]
    [InlineData("{}")]
    [InlineData("{\"other\":\"x\"}")]
    public async Task AMissingRequiredPropertyIsNamedNotBlamedOnTheBody(string body)
    {
        await using var app = new BriefingApp();
        using var client = app.CreateClient();

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/auth/refresh") { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) }, Ct));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("refreshToken", out var words), errors.GetRawText());
        Assert.False(errors.TryGetProperty("body", out _), errors.GetRawText());
        Assert.DoesNotContain("Microsoft.", words[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A number written as text ("0", "1") was read as the number: the API's description says integer, so a client that
    /// sends text has a bug, and reading it quietly hides the bug until the text is not a number ("1e3", " 1").
    /// </summary>
    [Theory]
    [InlineData("PUT", "/api/meetings/1/items/1/positions/FR", "{\"stance\":\"support\",\"expectedVersion\":\"0\"}", "expectedVersion")]
    [InlineData("PUT", "/api/meetings/1/items/1/positions/FR", "{\"stance\":\"supportWithReservation\",\"reservationKind\":\"scrutiny\",\"expectedVersion\":0,\"reservationParagraph\":\"2\"}", "reservationParagraph")]
    [InlineData("POST", "/api/meetings/1/texts/draft:1/operations", "{\"documentId\":\"draft:1\",\"baseRevision\":\"0\",\"clientOpId\":\"a\",\"operation\":[\"x\"]}", "baseRevision")]
    public async Task ANumberSentAsTextIsRefusedUnderItsField(string method, string url, string body, string field)
    {
        var words = await ChairsRefusalAsync(method, url, body, field);
        Assert.Contains("wrong type", words, StringComparison.Ordinal);
    }

    /// <summary>The chair sends <paramref name="body"/>: refused with 400, changing nothing, in these words under <paramref name="field"/>.</summary>
    private static async Task<string> ChairsRefusalAsync(string method, string url, string body, string field)
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) }, Ct));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var words), errors.GetRawText());
        return words[0].GetString()!;
    }

    /// <summary>Half of a surrogate pair in a text field was refused under the field, but as "the wrong type here".</summary>
    [Theory]
    [InlineData("{\"headOfDelegation\":\"\\ud800\",\"votingRightsSuspended\":false,\"expectedVersion\":0}")]
    [InlineData("{\"headOfDelegation\":\"a\\udc00b\",\"votingRightsSuspended\":false,\"expectedVersion\":0}")]
    public async Task HalfASurrogatePairInTextIsRefusedAsNotUnicode(string body)
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/meetings/1/participants/HU") { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) }, Ct));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("headOfDelegation", out var words), errors.GetRawText());
        Assert.Contains("not valid Unicode", words[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A NUL in a URL's path (%00), in a route's value, a static file's name or an export's: Kestrel refuses the request
    /// line itself with 400 before any of the app runs, so no route ever sees it, nothing changes, and the app goes on.
    /// </summary>
    [Theory]
    [InlineData("PUT", "/api/meetings/1/items/1/positions/D%00E", "{\"stance\":\"abstain\",\"expectedVersion\":0}")]
    [InlineData("PUT", "/api/meetings/1/participants/HU%00", "{\"headOfDelegation\":\"x\",\"votingRightsSuspended\":false,\"expectedVersion\":0}")]
    [InlineData("POST", "/api/meetings/1/items/1/coalition/signatories/%00", "")]
    [InlineData("GET", "/api/meetings/1%00", "")]
    [InlineData("GET", "/index.html%00", "")]
    [InlineData("GET", "/api/meetings/1/conclusions.pdf%00", "")]
    public async Task ANulInAUrlPathIsRefusedBeforeAnythingRuns(string method, string path, string body)
    {
        await using var app = new BriefingApp(realSockets: true);
        var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body.Length > 0)
            {
                request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            }

            return chair.SendAsync(request, Ct);
        });

        await response.ShouldBeAsync(400);
        Assert.Equal("Healthy", await chair.GetStringAsync("/healthz", Ct));
    }

    /// <summary>
    /// PUT .../participants/{code} without votingRightsSuspended read the missing field as false: a request that only
    /// meant to name a head of delegation silently gave a suspended member state its vote back.
    /// </summary>
    [Theory]
    [InlineData("{\"headOfDelegation\":\"Someone else\",\"expectedVersion\":1}")]
    [InlineData("{\"headOfDelegation\":\"Someone else\",\"votingRightsSuspended\":null,\"expectedVersion\":1}")]
    public async Task AParticipantUpdateWithoutTheSuspensionIsRefusedAndLiftsNothing(string body)
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await (await chair.PutJsonAsync("/api/meetings/1/participants/HU", new { headOfDelegation = "Viktor Orbán", votingRightsSuspended = true, expectedVersion = 0 })).ShouldBeAsync(200);

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/meetings/1/participants/HU") { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) }, Ct));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("votingRightsSuspended", out _), errors.GetRawText());
    }

    /// <summary>
    /// A value quoted back in an answer is cut short with "…". Cut inside an emoji, the answer kept half of its surrogate
    /// pair, which the JSON writer replaces with U+FFFD: the caller was shown a character it never sent. Each case puts an
    /// emoji across the cut of one of the answers that quote the caller.
    /// </summary>
    [Theory]
    [InlineData("PUT", "/api/meetings/1/items/1/positions/FR", "{\"stance\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\ud83d\ude00\",\"expectedVersion\":0}", "stance")]
    [InlineData("GET", "/api/meetings/1/events?since=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%F0%9F%98%80", "", "since")]
    [InlineData("GET", "/api/meetings/1/texts/draft:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%F0%9F%98%80/history", "", "documentId")]
    public async Task AValueQuotedBackIsNeverCutInsideACharacter(string method, string url, string body, string field)
    {
        await using var app = new BriefingApp();
        var france = await app.SignInAsync("fr");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => method == "GET"
            ? france.GetAsync(url, Ct)
            : france.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) }, Ct));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var words), errors.GetRawText());
        var said = words[0].GetString()!;
        Assert.Contains("aaaa", said, StringComparison.Ordinal);
        Assert.Contains("…", said, StringComparison.Ordinal);
        Assert.DoesNotContain("\uFFFD", said, StringComparison.Ordinal);
    }

    /// <summary>An optional number in the query was answered "Expected a value of type Nullable&lt;int&gt;": C#, not words.</summary>
    [Theory]
    [InlineData("/api/meetings/1/conclusions.pdf?version=first", "version")]
    [InlineData("/api/meetings/1/conclusions.pdf?recipient=FR", "recipient")]
    [InlineData("/api/meetings/1/texts/draft:1/history?limit=all", "limit")]
    public async Task AnOptionalNumberInTheQueryThatIsNotOneIsRefusedInWords(string url, string field)
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => secretariat.GetAsync(url, Ct));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var words), errors.GetRawText());
        Assert.StartsWith("Expected a whole number from", words[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A field given twice in one object ({"reason":"a","reason":"b"}) was read as its last value and the change made: a
    /// client, a proxy or a log that reads the first saw another request than the one carried out. Over REST and the hub,
    /// in a body SignalR binds and in one the hub binds itself, it is refused under the field's name and changes nothing.
    /// </summary>
    [Fact]
    public async Task AFieldGivenTwiceIsRefusedUnderItsNameAndChangesNothing()
    {
        await using var app = new BriefingApp(realSockets: true);
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var length = france.TextOf("draft:1").Length;
        var revision = france.RevisionOf("draft:1");
        var version = france.Snapshot!.Positions.Single(p => p.ItemId == 1 && p.DelegationCode == "FR").Version;
        var operation = JsonDocument.Parse($$"""{"documentId":"draft:1","baseRevision":{{revision}},"clientOpId":"twice","operation":[{{length}},"Yes."],"operation":[{{length}},"No."]}""").RootElement;
        var position = JsonDocument.Parse($$"""{"stance":"support","expectedVersion":{{version}},"stance":"oppose"}""").RootElement;

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var locked = await chair.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/meetings/1/items/1/lock") { Content = new StringContent("{\"reason\":\"Legal check\",\"reason\":\"Lunch\"}", Encoding.UTF8, new MediaTypeHeaderValue("application/json")) }, Ct);
            await locked.ShouldBeAsync(400);
            var errors = (await locked.ReadJsonAsync()).GetProperty("errors");
            Assert.True(errors.TryGetProperty("reason", out var words), errors.GetRawText());
            Assert.Contains("twice", words[0].GetString(), StringComparison.Ordinal);

            var submitted = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeCoreAsync<object>("SubmitOperation", [1, operation], Ct));
            Assert.Contains("operation: ", submitted.Message, StringComparison.Ordinal);
            Assert.Contains("twice", submitted.Message, StringComparison.Ordinal);

            var set = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeCoreAsync<object>("SetPosition", [1, 1, "FR", position], Ct));
            Assert.Contains("stance: ", set.Message, StringComparison.Ordinal);
            Assert.Contains("twice", set.Message, StringComparison.Ordinal);
        });
        Assert.Equal(HubConnectionState.Connected, france.Hub.State);
    }

    /// <summary>
    /// A value of the wrong kind in a list, or for a list, was answered in .NET's words ("could not be converted to
    /// System.Collections.Generic.IReadOnlyList`1[System.Int32]"): the field was named, but in words meant for C#.
    /// </summary>
    [Theory]
    [InlineData("PUT", "/api/meetings/1/agenda/order", "{\"itemIds\":[1.5]}", "itemIds[0]")]
    [InlineData("PUT", "/api/meetings/1/agenda/order", "{\"itemIds\":\"1,2,3\"}", "itemIds")]
    [InlineData("POST", "/api/meetings/1/items", "{\"title\":\"Middle East\",\"rule\":\"consensus\",\"guests\":\"UA\"}", "guests")]
    public async Task AValueOfTheWrongKindIsRefusedInWordsNotInDotNetTypes(string method, string url, string body, string field)
    {
        var words = await ChairsRefusalAsync(method, url, body, field);
        Assert.DoesNotContain("System.", words, StringComparison.Ordinal);
        Assert.Contains("wrong type", words, StringComparison.Ordinal);
    }

    /// <summary>
    /// A list of thousands of bad entries was answered with an error for every one, in the errors and again in the detail:
    /// a body of 1 MB came back three times as large. The first fifty fields are named, the rest counted.
    /// </summary>
    [Fact]
    public async Task ThousandsOfBadEntriesAreAnsweredByTheFirstFiftyAndACountOfTheRest()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var members = Enumerable.Repeat(new { code = "BE" }, 20_000);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => france.PostJsonAsync("/api/voting/evaluate", new { rule = "unanimity", year = 2025, members }));

        await response.ShouldBeAsync(400);
        var answer = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(answer.Length < 20_000, $"The answer is {answer.Length:N0} characters long.");
        var errors = JsonDocument.Parse(answer).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("members[0].stance", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("members[49].stance", out _), errors.ToString());
        Assert.False(errors.TryGetProperty("members[50].stance", out _), errors.ToString());
        Assert.Equal("And 19,950 more fields are not valid, not listed: fix these and send it again.", errors.GetProperty("body").EnumerateArray().Last().GetString());
    }
}

public class FieldCasingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Fields are read in any casing. One refused under another casing than the JSON's was listed under its JSON name in
    /// `errors` but named as sent in `detail` ("Stance: ..."): a client matching the two found no field.
    /// </summary>
    [Theory]
    [InlineData("PUT", "/api/meetings/1/items/1/positions/HU", "{\"Stance\":\"bogus\",\"ExpectedVersion\":1}", "stance")]
    [InlineData("PUT", "/api/meetings/1/items/1/positions/HU", "{\"stance\":\"oppose\",\"EXPECTEDVERSION\":\"one\"}", "expectedVersion")]
    [InlineData("POST", "/api/meetings/1/items/1/lock", "{\"Reason\":\"a\",\"Reason\":\"b\"}", "reason")]
    [InlineData("POST", "/api/voting/evaluate", "{\"rule\":\"unanimity\",\"year\":2025,\"Members\":[{\"code\":\"FR\",\"stance\":\"support\"},{\"code\":\"DE\",\"STANCE\":\"bogus\"}]}", "members[1].stance")]
    public async Task AFieldRefusedUnderAnotherCasingIsNamedAsTheApiNamesIt(string method, string url, string body, string field)
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.SendAsync(
            new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, "application/json") }, Ct));

        await response.ShouldBeAsync(400);
        var problem = await response.ReadJsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.StartsWith($"{field}: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHubBodyRefusedUnderAnotherCasingIsNamedAsTheApiNamesIt()
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var position = JsonDocument.Parse("""{"STANCE":"bogus","expectedVersion":1}""").RootElement;

        var refused = await Fingerprint.AssertUnchangedAsync(app, () => Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeCoreAsync<object>("SetPosition", [1, 1, "FR", position], Ct)));

        Assert.Contains("stance: ", refused.Message, StringComparison.Ordinal);
    }
}

public class UnknownAddressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// An address no endpoint answers (a mistyped path, an id past the largest whole number a route takes) was answered
    /// 404 with only "Not Found", the same words as a meeting one may not see: the sender could not tell a wrong address
    /// from a missing meeting.
    /// </summary>
    [Theory]
    [InlineData("GET", "/api/meetings/99999999999")]
    [InlineData("PUT", "/api/meetings/1/items/2147483648/status")]
    [InlineData("GET", "/api/meeting/1")]
    public async Task AnAddressNoEndpointAnswersIsSaidToBeOne(string method, string url)
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct));

        await response.ShouldBeAsync(404);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.ReadJsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains($"{method} {url}", detail, StringComparison.Ordinal);
    }
}

public class UnsupportedBodyTypeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A body of a type the endpoint does not take was answered 415 with only "Unsupported Media Type": the sender was
    /// not told what it sent wrong nor what to send. The answer names both, and nothing changes.
    /// </summary>
    [Theory]
    [InlineData("secretariat", "POST", "/api/meetings/1/copies/trace", "image/png", "application/pdf")]
    [InlineData("chair", "POST", "/api/meetings/1/items/1/lock", "text/plain", "application/json")]
    [InlineData("chair", "PUT", "/api/meetings/1/items/1/positions/HU", "application/x-www-form-urlencoded", "application/json")]
    [InlineData("chair", "POST", "/api/meetings/1/items/1/lock", "", "application/json")]
    public async Task ABodyOfTheWrongTypeIsToldWhichTypesTheEndpointTakes(string who, string method, string url, string sent, string taken)
    {
        await using var app = new BriefingApp();
        var client = await app.SignInAsync(who);
        var body = new ByteArrayContent("{\"reason\":\"x\"}"u8.ToArray());
        if (sent.Length > 0)
        {
            body.Headers.ContentType = new MediaTypeHeaderValue(sent);
        }

        var response = await Fingerprint.AssertUnchangedAsync(app, () => client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = body }, Ct));

        await response.ShouldBeAsync(415);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.ReadJsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains(sent.Length > 0 ? sent : "none", detail, StringComparison.Ordinal);
        Assert.Contains(taken, detail, StringComparison.Ordinal);
    }

    /// <summary>A body past the 2 MB the server reads was answered 413 with only "Content Too Large": now with the limit.</summary>
    [Fact]
    public async Task ABodyPastTheLimitIsToldTheLimit()
    {
        await using var app = new BriefingApp(realSockets: true);
        var chair = await app.SignInAsync("chair");
        var body = new StringContent($"{{\"name\":\"{new string('x', 3_000_000)}\"}}", System.Text.Encoding.UTF8, "application/json");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.PostAsync("/api/meetings/1/items/1/versions", body, Ct));

        await response.ShouldBeAsync(413);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("body: The request body is larger than this endpoint takes, 2,097,152 bytes.", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }
}
