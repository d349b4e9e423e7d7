using System.Net.Http.Json;
using BriefingRoom.Api;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Tests.Population;

namespace BriefingRoom.Tests.Meetings;

/// <summary>
/// Every endpoint against every kind of caller, in one table. For each row: the callers that must be refused go
/// first, and each refusal must leave the database exactly as it was; then the callers that may act do so.
/// 401 without identity, 404 when the meeting or item is not theirs to see, 403 when they see it but may not act.
/// </summary>
public class AuthorizationMatrixTests
{
    public enum Who { Anonymous, Outsider, Admin, Chair, Secretariat, Observer, DelegateHU, DelegateFR, GuestUK }

    private const string M = "/api/meetings/1";

    /// <summary>One endpoint: how to build the request for a caller (fresh state each time), and what each caller gets.</summary>
    public sealed record Row(string Expect, Func<Scope, Who, Task<HttpRequestMessage>> Request, Func<Scope, Task>? Setup = null);

    public sealed record Scope(BriefingApp App, HttpClient Admin)
    {
        public int ItemVersion(int itemId) => App.WithDb(db => db.Items.Single(i => i.Id == itemId).Version);
        public int PositionVersion(int itemId, string code) => App.PositionVersion(itemId, code);
        public int ParticipantVersion(string code) => App.WithDb(db => db.Participants.Single(p => p.MeetingId == 1 && p.DelegationCode == code).Version);
        public int MeetingVersion() => App.WithDb(db => db.Meetings.Single(m => m.Id == 1).Version);
        public int MembershipOf(string who) => App.WithDb(db => db.Memberships.Single(m => m.UserId == db.Users.Single(u => u.Email == BriefingApp.Email(who)).Id).Id);
        public async Task CoalitionAsync(int itemId, bool closeList = false)
        {
            (await Admin.PutAsJsonAsync($"{M}/items/{itemId}/status", new { status = "notAgreed" }, TestHttp.Ct)).EnsureSuccessStatusCode();
            (await Admin.PostAsync($"{M}/items/{itemId}/coalition", null, TestHttp.Ct)).EnsureSuccessStatusCode();
            if (closeList)
            {
                (await Admin.PostAsync($"{M}/items/{itemId}/coalition/lock", null, TestHttp.Ct)).EnsureSuccessStatusCode();
            }
        }

        public int[] ItemIds() => App.WithDb(db => db.Items.Where(i => i.MeetingId == 1).OrderBy(i => i.Number).Select(i => i.Id).ToArray());
    }

    private static HttpRequestMessage Req(HttpMethod method, string url, object? body = null) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body, options: BriefingJson.Options) };

    private static Task<HttpRequestMessage> Get(string url) => Task.FromResult(Req(HttpMethod.Get, url));

    private static Task<HttpRequestMessage> Send(HttpMethod method, string url, object? body = null) => Task.FromResult(Req(method, url, body));

    public static readonly Dictionary<string, Row> Rows = new()
    {
        ["GET meetings"] = new("anon=401 outsider=200 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200", (_, _) => Get("/api/meetings")),
        ["GET snapshot"] = new("anon=401 outsider=404 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200", (_, _) => Get(M)),
        ["GET events"] = new("anon=401 outsider=404 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200", (_, _) => Get($"{M}/events?since=0")),
        ["GET me"] = new("anon=401 outsider=200 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200", (_, _) => Get("/api/me")),
        ["GET session"] = new("anon=200 outsider=200 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200", (_, _) => Get("/api/auth/session")),
        ["GET delegations"] = new("anon=401 outsider=200 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200", (_, _) => Get("/api/delegations")),
        ["POST delegations"] = new("anon=401 outsider=403 sec=403 obs=403 hu=403 fr=403 uk=403 chair=403 admin=201",
            (_, _) => Send(HttpMethod.Post, "/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" })),
        ["POST meetings"] = new("anon=401 outsider=403 sec=403 obs=403 hu=403 fr=403 uk=403 chair=403 admin=201",
            (_, _) => Send(HttpMethod.Post, "/api/meetings", new { title = "European Council", kind = "europeanCouncil", date = "2025-03-20", place = "Brussels", documentNumber = "EUCO 2/25" })),
        ["PUT meeting"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (s, _) => Send(HttpMethod.Put, M, new { title = "Special meeting of the European Council", date = "2025-03-06", place = "Brussels", documentNumber = "EUCO 1/25", status = "inSession", distributionMarking = "LIMITE", expectedVersion = s.MeetingVersion() })),
        ["POST item"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, _) => Send(HttpMethod.Post, $"{M}/items", new { title = "Middle East", rule = "consensus", draft = "The European Council discussed the situation." })),
        ["PUT item 1"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=404 chair=200 admin=200",
            (s, _) => Send(HttpMethod.Put, $"{M}/items/1", new { title = "Ukraine", rule = "unanimity", guests = new[] { "UA" }, expectedVersion = s.ItemVersion(1) })),
        ["PUT item 2 (guests invited)"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (s, _) => Send(HttpMethod.Put, $"{M}/items/2", new { title = "Security guarantees", rule = "consensus", guests = new[] { "UK", "UA" }, expectedVersion = s.ItemVersion(2) })),
        ["DELETE item"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Delete, $"{M}/items/{who switch { Who.Chair => 3, Who.Admin => 4, _ => 2 }}")),
        ["PUT agenda order"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (s, _) => Send(HttpMethod.Put, $"{M}/agenda/order", new { itemIds = s.ItemIds().Reverse().ToArray() })),
        ["POST lock"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Post, $"{M}/items/{(who == Who.Admin ? 3 : 2)}/lock", new { reason = "Text agreed ad referendum" })),
        ["DELETE lock"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Delete, $"{M}/items/{(who == Who.Admin ? 3 : 2)}/lock"),
            async s =>
            {
                foreach (var item in new[] { 2, 3 })
                {
                    (await s.Admin.PostAsJsonAsync($"{M}/items/{item}/lock", new { reason = "pause" }, TestHttp.Ct)).EnsureSuccessStatusCode();
                }
            }),
        ["PUT status"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, _) => Send(HttpMethod.Put, $"{M}/items/2/status", new { status = "notAgreed" })),
        ["PUT own position (HU)"] = new("anon=401 outsider=404 obs=403 fr=403 uk=404 hu=200 chair=200 sec=200 admin=200",
            (s, _) => Send(HttpMethod.Put, $"{M}/items/1/positions/HU", new { stance = "abstain", expectedVersion = s.PositionVersion(1, "HU") })),
        ["PUT guest position (UK, item 2)"] = new("anon=401 outsider=404 obs=403 fr=403 hu=403 uk=200 chair=200 sec=200 admin=200",
            (s, _) => Send(HttpMethod.Put, $"{M}/items/2/positions/UK", new { stance = "support", expectedVersion = s.PositionVersion(2, "UK") })),
        ["POST participant"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Post, $"{M}/participants", new { delegationCode = who == Who.Admin ? "IS" : "CH", headOfDelegation = "Head" }),
            async s =>
            {
                (await s.Admin.PostAsJsonAsync("/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" }, TestHttp.Ct)).EnsureSuccessStatusCode();
                (await s.Admin.PostAsJsonAsync("/api/delegations", new { code = "IS", name = "Iceland", kind = "guest" }, TestHttp.Ct)).EnsureSuccessStatusCode();
            }),
        ["PUT participant"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (s, _) => Send(HttpMethod.Put, $"{M}/participants/HU", new { headOfDelegation = "Viktor Orbán", votingRightsSuspended = true, expectedVersion = s.ParticipantVersion("HU") })),
        ["DELETE participant"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=204 admin=204",
            (_, who) => Send(HttpMethod.Delete, $"{M}/participants/{(who == Who.Admin ? "IS" : "CH")}"),
            async s =>
            {
                foreach (var (code, name) in new[] { ("CH", "Switzerland"), ("IS", "Iceland") })
                {
                    (await s.Admin.PostAsJsonAsync("/api/delegations", new { code, name, kind = "guest" }, TestHttp.Ct)).EnsureSuccessStatusCode();
                    (await s.Admin.PostAsJsonAsync($"{M}/participants", new { delegationCode = code }, TestHttp.Ct)).EnsureSuccessStatusCode();
                }
            }),
        ["GET memberships"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200", (_, _) => Get($"{M}/memberships")),
        ["POST invitation"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Post, $"{M}/invitations", new { email = $"{who}@example.org".ToLowerInvariant(), displayName = "Extra observer", role = "observer" })),
        ["POST invitation to chair"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=403 chair=403 admin=200",
            (_, _) => Send(HttpMethod.Post, $"{M}/invitations", new { email = "vice@example.org", displayName = "Vice-chair", role = "chair" })),
        ["GET invitations"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200", (_, _) => Get($"{M}/invitations")),
        ["DELETE invitation"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200",
            (s, _) => Send(HttpMethod.Delete, $"{M}/invitations/{s.App.WithDb(db => db.Invitations.Single().Id)}"),
            async s => (await s.Admin.PostAsJsonAsync($"{M}/invitations", new { email = "late@example.org", displayName = "Late observer", role = "observer" }, TestHttp.Ct)).EnsureSuccessStatusCode()),
        ["DELETE membership"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=204 admin=204",
            (s, who) => Send(HttpMethod.Delete, $"{M}/memberships/{s.MembershipOf(who == Who.Admin ? "mt" : "ie")}")),
        ["GET tally item 1"] = new("anon=401 outsider=404 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=404", (_, _) => Get($"{M}/items/1/tally")),
        ["GET tally item 2 (guests invited)"] = new("anon=401 outsider=404 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200", (_, _) => Get($"{M}/items/2/tally")),
        ["POST voting evaluate"] = new("anon=401 outsider=200 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200",
            (_, _) => Send(HttpMethod.Post, "/api/voting/evaluate", new { rule = "unanimity", year = 2025, members = new[] { new { code = "HU", stance = "oppose" }, new { code = "FR", stance = "support" } } })),
        ["POST coalition"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=404 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Post, $"{M}/items/{(who == Who.Admin ? 3 : 1)}/coalition"),
            async s =>
            {
                foreach (var item in new[] { 1, 3 })
                {
                    (await s.Admin.PutAsJsonAsync($"{M}/items/{item}/status", new { status = "notAgreed" }, TestHttp.Ct)).EnsureSuccessStatusCode();
                }
            }),
        ["POST coalition signatory (own delegation)"] = new("anon=401 outsider=404 obs=403 hu=200 fr=200 uk=200 chair=200 sec=200 admin=200",
            (_, who) => Send(HttpMethod.Post, $"{M}/items/2/coalition/signatories/{who switch { Who.DelegateHU => "HU", Who.DelegateFR => "FR", Who.GuestUK => "UK", Who.Secretariat => "NO", Who.Admin => "JP", _ => "SK" }}"),
            async s =>
            {
                await s.CoalitionAsync(2);
                (await s.Admin.DeleteAsync($"{M}/items/2/coalition/signatories/FR", TestHttp.Ct)).EnsureSuccessStatusCode();
            }),
        ["POST coalition signatory for another (SK)"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 chair=200 sec=200 admin=200",
            (_, _) => Send(HttpMethod.Post, $"{M}/items/2/coalition/signatories/SK"), s => s.CoalitionAsync(2)),
        ["DELETE coalition signatory (FR)"] = new("anon=401 outsider=404 obs=403 hu=403 uk=403 fr=200 chair=200 sec=200 admin=200",
            (_, _) => Send(HttpMethod.Delete, $"{M}/items/2/coalition/signatories/FR"), s => s.CoalitionAsync(2)),
        ["POST coalition lock"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Post, $"{M}/items/{(who == Who.Admin ? 3 : 2)}/coalition/lock"),
            async s =>
            {
                await s.CoalitionAsync(2);
                await s.CoalitionAsync(3);
            }),
        ["DELETE coalition lock"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Delete, $"{M}/items/{(who == Who.Admin ? 3 : 2)}/coalition/lock"),
            async s =>
            {
                await s.CoalitionAsync(2, closeList: true);
                await s.CoalitionAsync(3, closeList: true);
            }),
        ["POST coalition revision (issue 14)"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Post, $"{M}/items/{(who == Who.Admin ? 3 : 2)}/coalition/revision", new { reason = "Corrected after review" }),
            async s =>
            {
                await s.CoalitionAsync(2);
                await s.CoalitionAsync(3);
            }),
        ["DELETE coalition revision (issue 14)"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Delete, $"{M}/items/{(who == Who.Admin ? 3 : 2)}/coalition/revision"),
            async s =>
            {
                foreach (var item in new[] { 2, 3 })
                {
                    await s.CoalitionAsync(item);
                    (await s.Admin.PostAsJsonAsync($"{M}/items/{item}/coalition/revision", new { reason = "Corrected" }, TestHttp.Ct)).EnsureSuccessStatusCode();
                }
            }),
        ["GET coalition archive (item 1)"] = new("anon=401 outsider=404 uk=404 sec=200 obs=200 hu=200 fr=200 chair=200 admin=200",
            (_, _) => Get($"{M}/items/1/coalition/archive")),
        ["POST coalition restore (issue 14)"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Post, $"{M}/items/{(who == Who.Admin ? 3 : 2)}/coalition/restore"),
            async s =>
            {
                foreach (var item in new[] { 2, 3 })
                {
                    await s.CoalitionAsync(item);
                    (await s.Admin.PutAsJsonAsync($"{M}/items/{item}/status", new { status = "notAgreed", confirm = true }, TestHttp.Ct)).EnsureSuccessStatusCode();
                }
            }),
        ["PUT guest-positions (item 2)"] = new("anon=401 outsider=404 sec=403 obs=403 hu=403 fr=403 uk=403 chair=200 admin=200",
            (_, _) => Send(HttpMethod.Put, $"{M}/items/2/guest-positions", new { share = true })),
        // Guest confidentiality: a guest reads its own position text, never a member state's, unless the chair opens the item.
        ["GET history of Austria's position text (item 2)"] = new("anon=401 outsider=404 uk=403 sec=200 obs=200 hu=200 fr=200 chair=200 admin=200",
            (_, _) => Get($"{M}/texts/position:2:AT/history")),
        ["GET history of the UK's position text (item 2)"] = new("anon=401 outsider=404 uk=200 sec=200 obs=200 hu=200 fr=200 chair=200 admin=200",
            (_, _) => Get($"{M}/texts/position:2:UK/history")),
        ["GET conclusions.pdf"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200", (_, _) => Get($"{M}/conclusions.pdf")),
        ["GET conclusions.docx"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200", (_, _) => Get($"{M}/conclusions.docx")),
        ["GET statement.pdf (item 1)"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=404 sec=200 chair=200 admin=200",
            (_, _) => Get($"{M}/items/1/statement.pdf"), s => s.CoalitionAsync(1, closeList: true)),
        ["GET statement.docx (item 1)"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=404 sec=200 chair=200 admin=200",
            (_, _) => Get($"{M}/items/1/statement.docx"), s => s.CoalitionAsync(1, closeList: true)),
        ["PUT statement document (item 2, guests invited)"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200",
            (_, who) => Send(HttpMethod.Put, $"{M}/items/2/statement", new { documentNumber = $"EUCO 1{(int)who}/25", distributionMarking = "LIMITE" })),
        ["PUT statement document (item 1)"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=404 sec=200 chair=200 admin=200",
            (_, _) => Send(HttpMethod.Put, $"{M}/items/1/statement", new { documentNumber = "EUCO 10/25", title = "Ukraine" })),
        ["GET copies"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200", (_, _) => Get($"{M}/copies")),
        ["POST copies/trace (a file)"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200",
            (_, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, $"{M}/copies/trace") { Content = new ByteArrayContent("%PDF-1.7 a leaked copy"u8.ToArray()) })),
        ["GET copies/trace (an identifier)"] = new("anon=401 outsider=404 obs=403 hu=403 fr=403 uk=403 sec=200 chair=200 admin=200",
            (_, _) => Get($"{M}/copies/trace?identifier=BR-0000-0000-0000-0000")),
        ["GET population tables"] = new("anon=401 outsider=200 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200", (_, _) => Get("/api/population-tables")),
        ["GET population table 2025"] = new("anon=401 outsider=200 admin=200 chair=200 sec=200 obs=200 hu=200 fr=200 uk=200", (_, _) => Get("/api/population-tables/2025")),
        ["PUT population table"] = new("anon=401 outsider=403 chair=403 sec=403 obs=403 hu=403 fr=403 uk=403 admin=200",
            (_, _) => Send(HttpMethod.Put, "/api/population-tables/2024", new { source = "Council Decision (test)", origin = "official", csv = PopulationTablesApiTests.SyntheticCsv() })),
    };

    public static TheoryData<string> Endpoints => [.. Rows.Keys];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryCallerGetsExactlyTheAccessTheirRoleGives(string endpoint)
    {
        var row = Rows[endpoint];
        // The outsider registers itself: an account with no seat anywhere.
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true");
        var clients = new Dictionary<Who, HttpClient>
        {
            [Who.Anonymous] = app.CreateClient(),
            [Who.Outsider] = await app.RegisterOutsiderAsync(),
            [Who.Admin] = await app.SignInAsync("admin"),
            [Who.Chair] = await app.SignInAsync("chair"),
            [Who.Secretariat] = await app.SignInAsync("secretariat"),
            [Who.Observer] = await app.SignInAsync("observer"),
            [Who.DelegateHU] = await app.SignInAsync("hu"),
            [Who.DelegateFR] = await app.SignInAsync("fr"),
            [Who.GuestUK] = await app.SignInAsync("uk"),
        };
        var scope = new Scope(app, clients[Who.Admin]);
        if (row.Setup is not null)
        {
            await row.Setup(scope);
        }

        var expectations = Parse(row.Expect);
        Assert.Equal(Enum.GetValues<Who>().Length, expectations.Count);
        foreach (var (who, status) in expectations.OrderBy(e => e.Value < 300 ? 1 : 0))
        {
            var before = Fingerprint.Of(app);
            var request = await row.Request(scope, who);
            var response = await clients[who].SendAsync(request, TestHttp.Ct);
            var body = await response.Content.ReadAsStringAsync(TestHttp.Ct);
            Assert.True((int)response.StatusCode == status, $"{endpoint} as {who}: expected {status}, got {(int)response.StatusCode}. {body}");
            if (status >= 400)
            {
                Assert.Equal(before, Fingerprint.Of(app));
                Assert.Contains("application/problem+json", response.Content.Headers.ContentType?.ToString() ?? "", StringComparison.Ordinal);
            }
        }
    }

    private static Dictionary<Who, int> Parse(string expect) => expect.Split(' ').Select(pair => pair.Split('=')).ToDictionary(
        p => p[0] switch
        {
            "anon" => Who.Anonymous,
            "outsider" => Who.Outsider,
            "admin" => Who.Admin,
            "chair" => Who.Chair,
            "sec" => Who.Secretariat,
            "obs" => Who.Observer,
            "hu" => Who.DelegateHU,
            "fr" => Who.DelegateFR,
            "uk" => Who.GuestUK,
            _ => throw new ArgumentException($"Unknown caller {p[0]}"),
        },
        p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
}
