using System.Net.Http.Json;
using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Meetings;

/// <summary>
/// The live core's read paths as a delegate meets them: the cached room, its audience and its moment, and the answers to
/// odd query strings.
/// </summary>
public class RoomReadsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// An app whose grain's read-back of the memberships after a change (LoadMetaAsync, the one query that joins them to
    /// delegations) can be held while the change holds the grain, and whose grain calls can be watched.
    /// </summary>
    private static (BriefingApp App, HoldingInterceptor Hold, GrainCallsSeen Calls) Arrange()
    {
        var hold = new HoldingInterceptor(sql => sql.Contains("\"Memberships\"", StringComparison.Ordinal) && sql.Contains("\"Delegations\"", StringComparison.Ordinal));
        var calls = new GrainCallsSeen();
        var app = new BriefingApp().HoldingAndWatching(hold, calls);
        return (app, hold, calls);
    }

    private static int ItalianSeat(BriefingApp app) => app.WithDb(db =>
    {
        var userId = db.Users.Single(u => u.Email == BriefingApp.Email("it")).Id;
        return db.Memberships.Single(m => m.MeetingId == 1 && m.UserId == userId).Id;
    });

    /// <summary>
    /// The chair and Germany signed in, and Italy's request for the room (at <paramref name="room"/>, the cached snapshot
    /// unless said) admitted while she still has her seat (<see cref="ItalianSeat"/>) and held there: its next step comes
    /// once <c>GoOn</c> is called.
    /// </summary>
    private static async Task<(HttpClient Chair, HttpClient Germany, int ItalianSeat, Task<HttpResponseMessage> ItalyLoading, Action GoOn)> ItalyAdmittedAsync(
        BriefingApp app, GrainCallsSeen calls, string room = "/api/meetings/1/snapshot")
    {
        var chair = await app.SignInAsync("chair");
        var italy = await app.SignInAsync("it");
        var germany = await app.SignInAsync("de");
        var seat = ItalianSeat(app);
        var (admitted, goOn) = calls.HoldAnswer("AccessNow");
        var loading = italy.GetAsync(room, Ct);
        await admitted.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        return (chair, germany, seat, loading, goOn);
    }

    /// <summary>
    /// The room is built once per audience, as the first caller who asked for it: a member whose seat is revoked while
    /// the build waits for the meeting's grain has the build refused, and every other member of the audience waiting on
    /// the same build gets that refusal, a 404 for a meeting they sit in.
    /// </summary>
    [Fact]
    public async Task AMemberLoadingTheRoomBesideOneWhoseSeatIsRevokedGetsTheRoom()
    {
        var (arranged, hold, calls) = Arrange();
        await using var app = arranged;
        // Italy's request is admitted while she still has her seat; its next step (the first build of the members' room)
        // comes once the revocation is committed.
        var (chair, germany, italianSeat, italyLoading, goOn) = await ItalyAdmittedAsync(app, calls);
        hold.HoldNext();
        var revoking = chair.DeleteAsync($"/api/meetings/1/memberships/{italianSeat}", Ct);
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        // The revocation is committed; the grain is reading the memberships back. Italy's build of the members' room
        // waits for the grain.
        var textsAsked = calls.Arm("Texts");
        goOn();
        await textsAsked.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        // Germany, a member throughout, asks for the room now: the build under way is the members' one.
        var germanyAsked = calls.ArmAsked("AccessNow");
        var germanyLoading = germany.GetAsync("/api/meetings/1/snapshot", Ct);
        await germanyAsked.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        hold.Release();
        await (await revoking).ShouldBeAsync(204);

        var forItaly = await italyLoading;
        var forGermany = await germanyLoading;
        var germanyBody = await forGermany.Content.ReadAsStringAsync(Ct);
        Assert.True((int)forGermany.StatusCode == 200,
            $"Germany, a member of meeting 1, asked for the room while Italy's seat was being revoked and got {(int)forGermany.StatusCode}: {germanyBody} "
            + $"(Italy got {(int)forItaly.StatusCode})");
    }

    /// <summary>
    /// A member admitted to the room just before her seat is revoked must not be given a room built after the revocation:
    /// it carries what the room did after she left it. The snapshot endpoint answers from the cache with any room at least
    /// as new as the caller's admission (one another member has since loaded); GET /api/meetings/{id} builds the room,
    /// uncached, as it stands when the build reaches the grain.
    /// </summary>
    [Theory]
    [InlineData("/api/meetings/1/snapshot")]
    [InlineData("/api/meetings/1")]
    public async Task AMemberAdmittedJustBeforeHerSeatIsRevokedGetsNoRoomBuiltAfterIt(string room)
    {
        var (arranged, _, calls) = Arrange();
        await using var app = arranged;
        var (chair, germany, italianSeat, italyLoading, goOn) = await ItalyAdmittedAsync(app, calls, room);
        await (await chair.DeleteAsync($"/api/meetings/1/memberships/{italianSeat}", Ct)).ShouldBeAsync(204);
        // After Italy has left: Germany's stance changes, and Germany loads the room.
        await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/DE", new { stance = "abstain", expectedVersion = app.PositionVersion(1, "DE") })).ShouldBeAsync(200);
        var germanys = await germany.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        goOn();
        var forItaly = await italyLoading;

        var revokedAt = app.WithDb(db => db.Events.Single(e => e.Type == "membership.revoked").Seq);
        var seq = forItaly.IsSuccessStatusCode ? (await forItaly.Content.ReadFromJsonAsync<MeetingSnapshot>(BriefingRoom.Api.BriefingJson.Options, Ct))!.Seq : -1;
        Assert.True(!forItaly.IsSuccessStatusCode || seq < revokedAt,
            $"Italy, revoked at sequence number {revokedAt}, was answered {(int)forItaly.StatusCode} with the room at sequence number {seq} (Germany's is at {germanys.Seq})");
    }

    /// <summary>
    /// The members' room is built as the first member who asks, whose access the grain resolves again when the texts are
    /// taken. Italy's delegate is admitted just before her seat is revoked, and by the time the grain answers she has taken a seat
    /// of the United Kingdom (a guest) by invitation: the grain gives the UK's texts to a build of the members' room, whose
    /// other items then carry an empty draft at revision 0, and that room is served to every member from the cache.
    /// </summary>
    [Fact]
    public async Task TheMembersRoomIsNotBuiltWithTheTextsOfAGuest()
    {
        var (arranged, _, calls) = Arrange();
        await using var app = arranged;
        var chair = await app.SignInAsync("chair");
        var italy = await app.SignInAsync("it");
        var germany = await app.SignInAsync("de");
        var drafts = (await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Texts.Where(t => t.Id.StartsWith("draft:", StringComparison.Ordinal)).ToDictionary(t => t.Id, t => t.Text);
        var italianSeat = ItalianSeat(app);

        // Italy's page is admitted to the room while she still has her seat; its build comes after what follows.
        var (italyAdmitted, goOn) = calls.HoldAnswer("AccessNow");
        var italyLoading = italy.GetAsync("/api/meetings/1/snapshot", Ct);
        await italyAdmitted.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await (await chair.DeleteAsync($"/api/meetings/1/memberships/{italianSeat}", Ct)).ShouldBeAsync(204);
        // Revoked; a seat of the UK is offered to the same address and accepted, and the members' room is built as Italy.
        var invited = await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = BriefingApp.Email("it"), displayName = "UK adviser", role = "delegate", delegationCode = "UK" });
        await invited.ShouldBeAsync(200);
        var link = (await invited.ReadJsonAsync()).GetProperty("link").GetString()!;
        using var newcomer = app.CreateClient();
        await (await newcomer.PostJsonAsync("/api/invitations/accept", new { token = BriefingApp.TokenOf(link), password = BriefingApp.Password })).ShouldBeAsync(200);
        goOn();
        await italyLoading;

        var room = await germany.GetJsonAsync<MeetingSnapshot>("/api/meetings/1/snapshot");
        var wrong = room.Texts.Where(t => drafts.TryGetValue(t.Id, out var text) && t.Text != text).Select(t => $"{t.Id} as \"{t.Text}\" at revision {t.Revision}").ToList();
        Assert.True(wrong.Count == 0, $"Germany's room (seq {room.Seq}) has {string.Join("; ", wrong)}");
    }

    /// <summary>
    /// The room's texts come from the grain at sequence number N, the items from the database read just after. A guest
    /// invited to an item by a change committed between the two gets the item, labelled N, with its draft as "" at
    /// revision 0 (the grain did not yet count it a guest there), and the event that invites it (after N) carries no
    /// draft: its page shows the item's draft empty, and every UK connection served from that build the same.
    /// </summary>
    [Fact]
    public async Task AGuestInvitedWhileItsRoomIsBeingReadGetsTheItemsRealDraft()
    {
        // The snapshot's first read after the grain's texts: the meeting's row, by the caller's meeting id.
        var hold = new HoldingInterceptor(sql => sql.Contains("FROM \"Meetings\"", StringComparison.Ordinal) && sql.Contains("access_MeetingId", StringComparison.Ordinal));
        var calls = new GrainCallsSeen();
        await using var app = new BriefingApp().HoldingAndWatching(hold, calls);
        var chair = await app.SignInAsync("chair");
        var uk = await app.SignInAsync("uk");
        var draft = app.ServerText("draft:1");
        Assert.NotEmpty(draft);
        var item = (await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Items.Single(i => i.Id == 1);
        Assert.DoesNotContain("UK", item.Guests);

        hold.HoldNext();
        var textsAsked = calls.Arm("Texts");
        var loading = uk.GetAsync("/api/meetings/1/snapshot", Ct);
        await textsAsked.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        // The grain has answered the UK's texts; before the rest of its room is read, the chair invites the UK to item 1.
        await (await chair.PutJsonAsync("/api/meetings/1/items/1", new { title = item.Title, description = item.Description, rule = item.Rule, guests = item.Guests.Append("UK").ToArray(), expectedVersion = item.Version })).ShouldBeAsync(200);
        hold.Release();
        var response = await loading;
        await response.ShouldBeAsync(200);
        var room = await response.ReadAsync<MeetingSnapshot>();

        var invitedAt = app.WithDb(db => db.Events.Where(e => e.MeetingId == 1 && e.Type == "item.updated" && e.ItemId == 1).Max(e => e.Seq));
        if (room.Items.Any(i => i.Id == 1))
        {
            var shown = room.Texts.SingleOrDefault(t => t.Id == "draft:1");
            Assert.True(shown?.Text == draft,
                $"the UK's room (seq {room.Seq}; the invitation is event {invitedAt}) lists item 1 with draft:1 as \"{shown?.Text}\" at revision {shown?.Revision}; "
                + $"the draft is {draft.Length} characters");
        }
    }

    /// <summary>
    /// The same moment for what a guest sees of positions: the chair opens item 2's positions to its guests between the
    /// grain's texts (closed then: no member state's position text is the UK's) and the database's items (open). The
    /// room showed the member states' positions with each of their texts as "" at revision 0.
    /// </summary>
    [Fact]
    public async Task AGuestWhoseItemsPositionsAreOpenedWhileItsRoomIsBeingReadGetsNoEmptiedPositionTexts()
    {
        var hold = new HoldingInterceptor(sql => sql.Contains("FROM \"Meetings\"", StringComparison.Ordinal) && sql.Contains("access_MeetingId", StringComparison.Ordinal));
        var calls = new GrainCallsSeen();
        await using var app = new BriefingApp().HoldingAndWatching(hold, calls);
        var chair = await app.SignInAsync("chair");
        var uk = await app.SignInAsync("uk");
        const string France = "position:2:FR";
        await using var france = app.NewHubConnection(await app.TokenForAsync("fr"));
        await france.StartAsync(Ct);
        var length = app.WithDb(db => db.Positions.SingleOrDefault(p => p.ItemId == 2 && p.DelegationCode == "FR")?.Text.Length ?? 0);
        await france.InvokeAsync<BriefingRoom.Drafting.OperationAck>("SubmitOperation", 1, new BriefingRoom.Drafting.SubmitOperationRequest(
            France, app.ServerRevision(France), "fr-view", BriefingRoom.Drafting.Ot.TextOperation.Builder().Retain(length).Insert(" France's view.").Build()), Ct);
        var text = app.ServerText(France);
        var item = (await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Items.Single(i => i.Id == 2);
        Assert.Contains("UK", item.Guests);
        Assert.False(item.GuestsSeePositions);

        hold.HoldNext();
        var textsAsked = calls.Arm("Texts");
        var loading = uk.GetAsync("/api/meetings/1/snapshot", Ct);
        await textsAsked.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await (await chair.PutJsonAsync("/api/meetings/1/items/2/guest-positions", new { share = true })).ShouldBeAsync(200);
        hold.Release();
        var response = await loading;
        await response.ShouldBeAsync(200);
        var room = await response.ReadAsync<MeetingSnapshot>();

        var opened = app.WithDb(db => db.Events.Where(e => e.MeetingId == 1 && e.Type == "guests.positions").Max(e => e.Seq));
        var shown = room.Texts.SingleOrDefault(t => t.Id == France);
        Assert.True(shown is null || shown.Text == text,
            $"the UK's room (seq {room.Seq}; the positions were opened by event {opened}) shows {France} as \"{shown?.Text}\" at revision {shown?.Revision}; it is \"{text}\"");
        if (room.Seq < opened)
        {
            // The room as of its number: item 2's positions still closed to the UK; the events after it open them.
            Assert.False(room.Items.Single(i => i.Id == 2).GuestsSeePositions);
            Assert.DoesNotContain(room.Positions, p => p.ItemId == 2 && p.DelegationCode == "FR");
        }
    }

    /// <summary>
    /// A build of the room that fails once (the database or the grain not answering for a moment) is kept as a failed
    /// task in the cache: every later request of that audience awaits it first and fails too, even after the meeting has
    /// moved on, until the process restarts.
    /// </summary>
    [Fact]
    public async Task OneFailedBuildOfTheRoomDoesNotFailEveryLaterRequest()
    {
        var failOnce = new FailingInterceptor(sql => sql.Contains("FROM \"Meetings\"", StringComparison.Ordinal) && sql.Contains("access_MeetingId", StringComparison.Ordinal));
        await using var app = new BriefingApp().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(failOnce)));
        var chair = await app.SignInAsync("chair");
        var germany = await app.SignInAsync("de");
        var france = await app.SignInAsync("fr");

        failOnce.FailNext();
        var failed = await germany.GetAsync("/api/meetings/1/snapshot", Ct);
        Assert.Equal(500, (int)failed.StatusCode);
        Assert.True(failOnce.Failed.IsCompleted, "the build met the failure");

        // The moment has passed, and the meeting has moved on since.
        await (await chair.PutJsonAsync("/api/meetings/1/items/1/positions/HU", new { stance = "abstain", expectedVersion = app.PositionVersion(1, "HU") })).ShouldBeAsync(200);
        var later = await france.GetAsync("/api/meetings/1/snapshot", Ct);
        var body = await later.Content.ReadAsStringAsync(Ct);
        Assert.True((int)later.StatusCode == 200,
            $"France loaded the room after the meeting moved on and got {(int)later.StatusCode}: {body[..Math.Min(300, body.Length)]}");
    }

    /// <summary>A query string the framework cannot bind is refused under its own name, as every body field is.</summary>
    [Theory]
    [InlineData("/api/meetings/1/events?since=abc", "since")]
    [InlineData("/api/meetings/1/events?since=99999999999999999999", "since")]
    [InlineData("/api/meetings/1/events?since=1&since=2", "since")]
    [InlineData("/api/meetings/1/texts/draft:1/history?since=abc", "since")]
    [InlineData("/api/meetings/1/texts/draft:1/history?since=99999999999", "since")]
    [InlineData("/api/meetings/1/texts/draft:1/history?limit=ten", "limit")]
    public async Task AQueryValueThatIsNotANumberIsRefusedUnderItsOwnName(string url, string field)
    {
        await using var app = new BriefingApp();
        var france = await app.SignInAsync("fr");

        var response = await france.GetAsync(url, Ct);

        await response.ShouldBeAsync(400);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"GET {url}: the problem names {string.Join(", ", errors.EnumerateObject().Select(p => p.Name))}, not {field}: {errors}");
    }
}
