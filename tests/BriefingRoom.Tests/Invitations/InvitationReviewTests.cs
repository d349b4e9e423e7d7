using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BriefingRoom.Data;
using BriefingRoom.Invitations;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Invitations;

/// <summary>Invitations through a real SMTP server: whoever the app agrees to invite can take the seat.</summary>
[Collection(MailCollection.Name)]
public partial class InvitationReviewTests(MailServer mail)
{
    private const string NewPassword = "Dublin-Brussels-2025!";

    private BriefingApp AppSendingMail() => mail.NewApp();

    [Fact]
    public async Task AnAddressWithAnApostropheThatWasInvitedCanTakeItsSeat()
    {
        // An apostrophe is an ordinary character of an address's local part (RFC 5322 atext), and a common Irish name.
        const string Sean = "sean.o'brien@example.ie";
        await using var app = AppSendingMail();
        using var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = Sean, displayName = "Ireland – Seán O'Brien", role = "observer" })).ShouldBeAsync(200);
        var token = BriefingApp.TokenOf(Link().Match((await mail.WaitForMessageToAsync(Sean)).TextBody ?? "").Value);
        using var sean = app.CreateClient();

        await (await sean.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword })).ShouldBeAsync(200);

        var tokens = await (await sean.PostJsonAsync("/api/auth/login", new { email = Sean, password = NewPassword })).ReadJsonAsync();
        sean.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("accessToken").GetString());
        var snapshot = await sean.GetJsonAsync<MeetingSnapshot>("/api/meetings/1");
        Assert.Equal((MeetingRole.Observer, "Ireland – Seán O'Brien"), (snapshot.You!.Role, snapshot.You.Name));
    }

    [Fact]
    public async Task AWithdrawalThatCrossesTheAcceptanceDoesNotReportWithdrawnWhileTheSeatIsTaken()
    {
        var withdrawal = InvitationWrite();
        await using var app = AppSendingMail().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(withdrawal)));
        using var chair = await app.SignInAsync("chair");
        var invited = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "crossing@example.org", displayName = "Observer (crossing)", role = "observer" })).ReadAsync<InvitationDto>();
        var token = BriefingApp.TokenOf(Link().Match((await mail.WaitForMessageToAsync("crossing@example.org")).TextBody ?? "").Value);

        // The chair withdraws: the invitation was read as open, and its write waits on the disk while the invitee accepts.
        withdrawal.HoldNext();
        var withdrawing = chair.DeleteAsync($"/api/meetings/1/invitations/{invited.Id}", TestHttp.Ct);
        await withdrawal.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        using var invitee = app.CreateClient();
        var accepted = await invitee.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });
        withdrawal.Release();
        var withdrawn = await withdrawing;

        var seated = app.WithDb(db => db.Memberships.Count(m => m.MeetingId == 1 && db.Users.Any(u => u.Id == m.UserId && u.Email == "crossing@example.org")));
        var answer = withdrawn.IsSuccessStatusCode ? (await withdrawn.ReadAsync<InvitationDto>()).State.ToString() : ((int)withdrawn.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(accepted.IsSuccessStatusCode && withdrawn.IsSuccessStatusCode,
            $"the acceptance got {(int)accepted.StatusCode} and the withdrawal {(int)withdrawn.StatusCode} ({answer}), and the invitee holds {seated} seat(s)");
        await withdrawn.ShouldBeAsync(409);
        Assert.Equal(1, seated);
    }

    [Fact]
    public async Task AnAcceptanceRefusedBecauseTheLinkWasWithdrawnMeanwhileLeavesNoAccountBehind()
    {
        // The newcomer chose a password and the account was being made when the secretariat withdrew the link (sent to a
        // wrong address, say): the seat is refused, and an account the refusal leaves behind would be a confirmed account
        // at that address, in no meeting, made without any invitation standing, even where registration is closed.
        var accountWrite = new HoldingInterceptor(sql => sql.Contains("INSERT INTO \"AspNetUsers\"", StringComparison.Ordinal));
        await using var app = AppSendingMail().With("Briefing:Registration:Open", "false")
            .WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(accountWrite)));
        using var chair = await app.SignInAsync("chair");
        var invited = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "withdrawn.meanwhile@example.org", displayName = "Observer (withdrawn)", role = "observer" })).ReadAsync<InvitationDto>();
        var token = BriefingApp.TokenOf(Link().Match((await mail.WaitForMessageToAsync("withdrawn.meanwhile@example.org")).TextBody ?? "").Value);
        using var invitee = app.CreateClient();

        accountWrite.HoldNext();
        var accepting = invitee.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });
        await accountWrite.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        await (await chair.DeleteAsync($"/api/meetings/1/invitations/{invited.Id}", TestHttp.Ct)).ShouldBeAsync(200);
        accountWrite.Release();
        var accepted = await accepting;

        await accepted.ShouldBeAsync(410);
        Assert.Equal(0, app.WithDb(db => db.Users.Count(u => u.Email == "withdrawn.meanwhile@example.org")));
        await (await invitee.PostJsonAsync("/api/auth/login", new { email = "withdrawn.meanwhile@example.org", password = NewPassword })).ShouldBeAsync(401);
    }

    [Fact]
    public async Task OnPostgresAnAcceptanceThatCrossesTheWithdrawalDoesNotTakeTheSeatItWasRefused()
    {
        // PostgreSQL has no single writer: the acceptance's write and the withdrawal's may cross. Here the acceptance has
        // read the invitation as open, and its write waits while the withdrawal is written and answered.
        await using var database = await Database.OnAsync(Engine.Postgres);
        var acceptance = InvitationWrite();
        await using var app = database.App(AppSendingMail(), acceptance);
        using var chair = await app.SignInAsync("chair");
        var invited = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "crossing.pg@example.org", displayName = "Observer (crossing)", role = "observer" })).ReadAsync<InvitationDto>();
        var token = BriefingApp.TokenOf(Link().Match((await mail.WaitForMessageToAsync("crossing.pg@example.org")).TextBody ?? "").Value);

        acceptance.HoldNext();
        using var invitee = app.CreateClient();
        var accepting = invitee.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });
        await acceptance.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        var withdrawn = await chair.DeleteAsync($"/api/meetings/1/invitations/{invited.Id}", TestHttp.Ct);
        acceptance.Release();
        var accepted = await accepting;

        var seated = app.WithDb(db => db.Memberships.Count(m => m.MeetingId == 1 && db.Users.Any(u => u.Id == m.UserId && u.Email == "crossing.pg@example.org")));
        var state = withdrawn.IsSuccessStatusCode ? (await withdrawn.ReadAsync<InvitationDto>()).State : (InvitationState?)null;
        Assert.False(accepted.IsSuccessStatusCode && withdrawn.IsSuccessStatusCode,
            $"the acceptance got {(int)accepted.StatusCode} and the withdrawal {(int)withdrawn.StatusCode} ({state}), and the invitee holds {seated} seat(s)");
        Assert.Equal(InvitationState.Withdrawn, state);
        await accepted.ShouldBeAsync(410);
        Assert.Contains("withdrawn", (await accepted.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, seated);
    }

    [Fact]
    public async Task ANewInvitationWithdrawsTheEarlierOneToTheSameAddressWrittenWithOtherCaseInNonAsciiLetters()
    {
        // The same mailbox as the account lookup sees it: Identity's normalizer folds "É" and "é" alike, as it does "E" and "e".
        await using var app = AppSendingMail();
        using var chair = await app.SignInAsync("chair");
        var first = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "ÉLISE.BLANC@example.fr", displayName = "Observer (Élise)", role = "observer" })).ReadAsync<InvitationDto>();
        var firstToken = BriefingApp.TokenOf(Link().Match((await mail.WaitForMessageToAsync("ÉLISE.BLANC@example.fr")).TextBody ?? "").Value);

        await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "élise.blanc@example.fr", displayName = "Observer (Élise Blanc)", role = "observer" })).ShouldBeAsync(200);

        var listed = await chair.GetJsonAsync<List<InvitationDto>>("/api/meetings/1/invitations");
        Assert.Equal(InvitationState.Withdrawn, listed.Single(i => i.Id == first.Id).State);
        using var holder = app.CreateClient();
        await (await holder.PostJsonAsync("/api/invitations/preview", new { token = firstToken })).ShouldBeAsync(410);
    }

    [Fact]
    public async Task AcceptingASeatInAnotherMeetingDoesNotRenameThePersonInTheMeetingsWhereTheyAlreadySit()
    {
        // Each meeting's inviters name the people they seat; an invitation to another meeting is not theirs to rename.
        await using var app = AppSendingMail();
        using var admin = await app.SignInAsync("admin");
        using var before = await app.SignInAsync("fr");
        var known = (await before.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).You!.Name;
        var meeting = await (await admin.PostJsonAsync("/api/meetings", new { title = "Foreign Affairs Council", kind = "europeanCouncil", date = "2025-04-14", place = "Luxembourg", documentNumber = "FAC 1/25" })).ReadJsonAsync();
        var other = meeting.GetProperty("id").GetInt32();
        await (await admin.PostJsonAsync($"/api/meetings/{other}/participants", new { delegationCode = "FR" })).ShouldBeAsync(200);
        await (await admin.PostJsonAsync($"/api/meetings/{other}/invitations", new { email = "fr@briefing.example", displayName = "France – Quai d'Orsay", role = "delegate", delegationCode = "FR" })).ShouldBeAsync(200);
        var letter = (await mail.WaitForMessageToAsync("fr@briefing.example")).TextBody ?? "";
        var token = BriefingApp.TokenOf(Link().Match(letter).Value);
        using var france = app.CreateClient();
        var preview = await (await france.PostJsonAsync("/api/invitations/preview", new { token })).ReadAsync<InvitationPreviewDto>();

        var accepted = await (await france.PostJsonAsync("/api/invitations/accept", new { token, password = BriefingApp.Password })).ReadAsync<AcceptedInvitationDto>();

        using var after = await app.SignInAsync("fr");
        using var secretariat = await app.SignInAsync("secretariat");
        var listed = await secretariat.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships");
        Assert.Equal(known, (await after.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).You!.Name);
        var userId = app.WithDb(db => db.Users.Single(u => u.Email == "fr@briefing.example").Id);
        Assert.Equal(known, listed.Single(m => m.UserId == userId).Name);
        // The letter, the page and the answer name the person as the room will see them.
        Assert.Contains($"see you as \"{known}\"", letter, StringComparison.Ordinal);
        Assert.Equal((known, known), (preview.DisplayName, accepted.Name));
    }

    [Fact]
    public async Task TwoInvitationsToOneAddressThatCrossLeaveTheLaterOneOpen()
    {
        // A first invitation is saved and sent, then waits before it looks for earlier ones while a second (a double
        // click, a colleague) is saved, sent and withdraws the first. The first must not then withdraw the later one.
        var lookingForEarlier = new HoldingInterceptor(sql => sql.StartsWith("SELECT", StringComparison.Ordinal) && sql.Contains("FROM \"Invitations\"", StringComparison.Ordinal) && sql.Contains("\"WithdrawnAt\" IS NULL", StringComparison.Ordinal));
        await using var app = AppSendingMail().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(lookingForEarlier)));
        using var chair = await app.SignInAsync("chair");
        using var secretariat = await app.SignInAsync("secretariat");

        lookingForEarlier.HoldNext();
        var first = chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "twice@example.org", displayName = "Observer (twice)", role = "observer" });
        await lookingForEarlier.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        var second = await (await secretariat.PostJsonAsync("/api/meetings/1/invitations", new { email = "twice@example.org", displayName = "Observer (twice)", role = "observer" })).ReadAsync<InvitationDto>();
        lookingForEarlier.Release();
        await (await first).ShouldBeAsync(200);

        var listed = await chair.GetJsonAsync<List<InvitationDto>>("/api/meetings/1/invitations");
        Assert.Equal([(second.Id, InvitationState.Pending), (second.Id - 1, InvitationState.Withdrawn)], listed.Select(i => (i.Id, i.State)));
    }

    /// <summary>
    /// Once the letter is on its way the invitation stands, so the earlier link to the same address must go: the inviter's
    /// request cancelled at that point (the tab closed, the connection lost) stopped the work halfway, and two links to one
    /// seat stayed open, while the inviters' lists were never told of the new one.
    /// </summary>
    [Fact]
    public async Task AnInvitationWhoseRequestIsCancelledAfterItsLetterStillReplacesTheEarlierOne()
    {
        var lookingForEarlier = new HoldingInterceptor(sql => sql.StartsWith("SELECT", StringComparison.Ordinal) && sql.Contains("FROM \"Invitations\"", StringComparison.Ordinal) && sql.Contains("\"WithdrawnAt\" IS NULL", StringComparison.Ordinal));
        await using var app = AppSendingMail().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(lookingForEarlier)));
        using var chair = await app.SignInAsync("chair");
        await using var secretariat = await ListsListener.ConnectAsync(app, "secretariat");
        var first = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "cancelled@example.org", displayName = "Observer (cancelled)", role = "observer" })).ReadAsync<InvitationDto>();
        await secretariat.WaitForInvitationsAsync(1, "the first invitation is told");

        lookingForEarlier.HoldNext();
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(TestHttp.Ct);
        var second = chair.PostAsJsonAsync("/api/meetings/1/invitations", new { email = "cancelled@example.org", displayName = "Observer (cancelled)", role = "observer" }, leaving.Token);
        await lookingForEarlier.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        // The request is aborted while its query waits (the server's RequestAborted fires within the cancel); the client's
        // call ends only once the server is done with it, so the query is let go before it is awaited.
        await leaving.CancelAsync();
        lookingForEarlier.Release();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);

        await secretariat.WaitForInvitationsAsync(2, "the second invitation is told, cancelled request or not");
        var listed = await chair.GetJsonAsync<List<InvitationDto>>("/api/meetings/1/invitations");
        Assert.Equal([(first.Id + 1, InvitationState.Pending), (first.Id, InvitationState.Withdrawn)], listed.Select(i => (i.Id, i.State)));
    }

    [Theory]
    [InlineData("Eve <eve@example.org>")]
    [InlineData("eve smith@example.org")]
    [InlineData("eve.@example.org")]
    [InlineData("eve@example..org")]
    public async Task AnAddressNoLetterCanBeSentToIsRefusedNamingTheFieldNotAnsweredTryAgain(string email)
    {
        // [EmailAddress] only looks for one '@'; what the letter is addressed with is what MailKit can parse. Trying again
        // would never send it: the inviter must hear that the address is wrong.
        await using var app = AppSendingMail();
        using var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.PostJsonAsync("/api/meetings/1/invitations", new { email, displayName = "Observer (wrong address)", role = "observer" }));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _), $"errors name email: {errors}");
    }

    [Theory]
    [InlineData("\u200B\u200B")]
    [InlineData("\u2060\u00A0\u200D")]
    [InlineData("\u202EetageleD \u2013 airtsuA")]
    [InlineData("Austria \u2067\u2013 delegate")]
    public async Task ANameTheRoomCouldNotReadOrThatTurnsTheTextAfterItAroundIsRefusedNamingTheField(string displayName)
    {
        // A name of zero-width characters alone shows the room a blank person; a bidi override or isolate left open
        // reverses whatever the page writes after the name on the same line ("… · sent by", an announcement).
        await using var app = AppSendingMail();
        using var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "odd.name@example.org", displayName, role = "observer" }));

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("displayName", out _), $"errors name displayName: {errors}");
    }

    /// <summary>Holds the first write to an invitation after HoldNext (a SaveChanges batch or a bulk update) until released.</summary>
    private static HoldingInterceptor InvitationWrite() => new(sql => sql.Contains("UPDATE \"Invitations\"", StringComparison.Ordinal));

    [GeneratedRegex(@"http://\S+#/invitation/[A-Za-z0-9_-]+")]
    private static partial Regex Link();
}
