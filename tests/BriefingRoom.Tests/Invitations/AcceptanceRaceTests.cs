using System.Net;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Invitations;

/// <summary>
/// Accepting an invitation makes the account outside the meeting's grain (only the seat is taken inside it): "has the
/// address an account?" is asked, then the account written, and another request for the same address (the same link
/// clicked twice, an open registration) can land in between.
/// </summary>
public class AcceptanceRaceTests
{
    private const string NewPassword = "Lisboa-Brussels-2025!";

    /// <summary>
    /// The link clicked twice: both acceptances found no account and went to make one. The first one's account was
    /// written after the second had made its own and taken the seat, and its duplicate address broke out as a 500.
    /// </summary>
    [Theory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task TwoAcceptancesOfOneLinkThatBothMakeTheAccountAnswerTheLaterWithoutAnError(Engine engine)
    {
        var accountWrite = new HoldingInterceptor(sql => sql.Contains("INSERT INTO \"AspNetUsers\"", StringComparison.Ordinal));
        await using var db = await Database.OnAsync(engine);
        await using var app = db.App(new BriefingApp(), accountWrite);
        var token = await InviteAsync(app, "twice.clicked@example.org");
        using var first = app.CreateClient();
        using var second = app.CreateClient();

        accountWrite.HoldNext();
        var accepting = first.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });
        await accountWrite.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        var other = await second.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });
        accountWrite.Release();
        var accepted = await accepting;

        await other.ShouldBeAsync(200);
        Assert.True(accepted.StatusCode == HttpStatusCode.Gone, $"the later acceptance got {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync(TestHttp.Ct)}");
        Assert.Contains("used already", (await accepted.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertSeatedOnceAsync(app, "twice.clicked@example.org");
    }

    /// <summary>
    /// The link clicked twice the other way round: the first made the account and, before it took the seat, the second
    /// found that account, proved the password and took the seat. The first was refused ("used already") and deleted the
    /// account it had made, as it does for a seat it did not get, and with it the seat the second had just been given.
    /// </summary>
    [Theory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task AnAcceptanceRefusedBecauseItsTwinTookTheSeatKeepsTheAccountTheTwinSatWith(Engine engine)
    {
        var accountWritten = new HoldingInterceptor(sql => sql.Contains("INSERT INTO \"AspNetUsers\"", StringComparison.Ordinal), afterItRan: true);
        await using var db = await Database.OnAsync(engine);
        await using var app = db.App(new BriefingApp(), accountWritten);
        var token = await InviteAsync(app, "double.click@example.org");
        using var first = app.CreateClient();
        using var second = app.CreateClient();

        accountWritten.HoldNext();
        var accepting = first.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });
        await accountWritten.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        var other = await second.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });
        accountWritten.Release();
        var accepted = await accepting;

        await other.ShouldBeAsync(200);
        await accepted.ShouldBeAsync(410);
        await AssertSeatedOnceAsync(app, "double.click@example.org");
    }

    /// <summary>
    /// An outsider registers the invitee's address (open registration) while the invitee is accepting: the acceptance had
    /// found no account, and then found the outsider's at its write. An account nobody proved the address of gives way to
    /// the invitee's (<see cref="SquattingTests"/>), but here the invitee was answered "sign-in failed", as if they had
    /// to know the outsider's password.
    /// </summary>
    [Theory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task ARegistrationOfTheAddressThatCrossesTheAcceptanceGivesWayAsABeforeOneDoes(Engine engine)
    {
        var identityCheck = new HoldingInterceptor(sql => sql.Contains("FROM \"AspNetUsers\"", StringComparison.Ordinal) && sql.Contains("\"NormalizedUserName\" =", StringComparison.Ordinal));
        await using var db = await Database.OnAsync(engine);
        await using var app = db.App(new BriefingApp().With("Briefing:Registration:Open", "true"), identityCheck);
        var token = await InviteAsync(app, "crossed.registration@example.org");
        using var invitee = app.CreateClient();
        using var outsider = app.CreateClient();

        // The acceptance found no account for the address and is making one: Identity's own check for the name waits.
        identityCheck.HoldNext();
        var accepting = invitee.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });
        await identityCheck.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        await (await outsider.PostJsonAsync("/api/auth/register", new { email = "crossed.registration@example.org", password = "Squatter-2025!" })).ShouldBeAsync(200);
        identityCheck.Release();
        var accepted = await accepting;

        Assert.True(accepted.IsSuccessStatusCode, $"the acceptance got {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync(TestHttp.Ct)}");
        await AssertSeatedOnceAsync(app, "crossed.registration@example.org");
        await (await outsider.PostJsonAsync("/api/auth/login", new { email = "crossed.registration@example.org", password = "Squatter-2025!" })).ShouldBeAsync(401);
    }

    /// <summary>Invites the address as an observer of the demo meeting and returns the link's token (shown to the inviter in Development).</summary>
    private static async Task<string> InviteAsync(BriefingApp app, string email)
    {
        using var chair = await app.SignInAsync("chair");
        var invited = await chair.PostJsonAsync("/api/meetings/1/invitations", new { email, displayName = "Observer (racing)", role = "observer" });
        await invited.ShouldBeAsync(200);
        return BriefingApp.TokenOf((await invited.ReadJsonAsync()).GetProperty("link").GetString()!);
    }

    /// <summary>One account at the address, confirmed, signing in with the invitee's password, and holding the one seat.</summary>
    private static async Task AssertSeatedOnceAsync(BriefingApp app, string email)
    {
        var (accounts, seats) = app.WithDb(db => (
            db.Users.Count(u => u.Email == email && u.EmailConfirmed),
            db.Memberships.Count(m => m.MeetingId == 1 && db.Users.Any(u => u.Id == m.UserId && u.Email == email))));
        Assert.Equal((1, 1), (accounts, seats));
        using var invitee = app.CreateClient();
        await (await invitee.PostJsonAsync("/api/auth/login", new { email, password = NewPassword })).ShouldBeAsync(200);
    }
}
