using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BriefingRoom.Invitations;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Invitations;

/// <summary>Seats are offered by invitation: a single-use, expiring link sent through a real SMTP server.</summary>
[Collection(MailCollection.Name)]
public partial class InvitationTests(MailServer mail)
{
    private const string NewPassword = "Wien-Brussels-2025!";

    private BriefingApp AppSendingMail() => mail.NewApp();

    [Fact]
    public async Task AnInvitationArrivesByMailAndItsLinkSeatsTheNewcomerUnderTheNameItSets()
    {
        await using var app = AppSendingMail();
        using var secretariat = await app.SignInAsync("secretariat");

        var created = await secretariat.PostJsonAsync("/api/meetings/1/invitations",
            new { email = "lena.weber@example.org", displayName = "Austria – Lena Weber", role = "delegate", delegationCode = "AT" });
        await created.ShouldBeAsync(200);
        var invitation = await created.ReadAsync<InvitationDto>();
        Assert.Null(invitation.Link);
        Assert.Equal(InvitationState.Pending, invitation.State);

        var message = await mail.WaitForMessageToAsync("lena.weber@example.org");
        Assert.Contains("briefingroom@briefing.example", message.From.ToString(), StringComparison.Ordinal);
        var link = Link().Match(message.TextBody ?? "").Value;
        Assert.StartsWith(app.BaseAddress.ToString().TrimEnd('/') + "/#/invitation/", link, StringComparison.Ordinal);
        Assert.Contains("Austria – Lena Weber", message.TextBody, StringComparison.Ordinal);

        // Follow the link as the page does: what it offers, then accept with a new password.
        using var lena = app.CreateClient();
        var token = BriefingApp.TokenOf(link);
        var preview = await (await lena.PostJsonAsync("/api/invitations/preview", new { token })).ReadAsync<InvitationPreviewDto>();
        Assert.Equal((MeetingRole.Delegate, "AT", "Austria", false), (preview.Role, preview.DelegationCode, preview.DelegationName, preview.HasAccount));
        await (await lena.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword })).ShouldBeAsync(200);

        var tokens = await (await lena.PostJsonAsync("/api/auth/login", new { email = "lena.weber@example.org", password = NewPassword })).ReadJsonAsync();
        lena.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("accessToken").GetString());
        var snapshot = await lena.GetJsonAsync<MeetingSnapshot>("/api/meetings/1");
        Assert.Equal((MeetingRole.Delegate, "AT", "Austria – Lena Weber"), (snapshot.You!.Role, snapshot.You.DelegationCode, snapshot.You.Name));

        // Only the token's hash is stored, and the room heard of the new member by name.
        var stored = app.WithDb(db => db.Invitations.Single());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), stored.TokenHash);
        // The write-ahead log is gone once SQLite has checkpointed it and its last connection closed: then the file is all.
        string walText;
        try
        {
            walText = File.ReadAllText(app.DatabasePath + "-wal", Encoding.Latin1);
        }
        catch (FileNotFoundException)
        {
            walText = "";
        }

        var written = walText + File.ReadAllText(app.DatabasePath, Encoding.Latin1);
        Assert.DoesNotContain(token, written, StringComparison.Ordinal);
        var granted = app.WithDb(db => db.Events.Where(e => e.Type == "membership.granted").OrderBy(e => e.Seq).Last());
        Assert.Equal("Austria – Lena Weber", System.Text.Json.JsonDocument.Parse(granted.Payload).RootElement.GetProperty("name").GetString());
        Assert.DoesNotContain("@", granted.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALinkWorksOnceAndIsRefusedWithAClearReasonWhenUsedWithdrawnOrWrong()
    {
        await using var app = AppSendingMail();
        using var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "once@example.org", displayName = "Observer (once)", role = "observer" })).ShouldBeAsync(200);
        var token = BriefingApp.TokenOf(await LinkSentToAsync("once@example.org"));
        using var anyone = app.CreateClient();

        await (await anyone.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword })).ShouldBeAsync(200);
        var again = await Fingerprint.AssertUnchangedAsync(app, () => anyone.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword }));
        await again.ShouldBeAsync(410);
        Assert.Contains("used already", (await again.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var withdrawn = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "withdrawn@example.org", displayName = "Observer (withdrawn)", role = "observer" })).ReadAsync<InvitationDto>();
        var withdrawnToken = BriefingApp.TokenOf(await LinkSentToAsync("withdrawn@example.org"));
        await (await chair.DeleteAsync($"/api/meetings/1/invitations/{withdrawn.Id}", TestHttp.Ct)).ShouldBeAsync(200);
        var refused = await Fingerprint.AssertUnchangedAsync(app, () => anyone.PostJsonAsync("/api/invitations/accept", new { token = withdrawnToken, password = NewPassword }));
        await refused.ShouldBeAsync(410);
        Assert.Contains("withdrawn", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var wrong = await anyone.PostJsonAsync("/api/invitations/accept", new { token = token[..^2] + "xx", password = NewPassword });
        await wrong.ShouldBeAsync(404);
        Assert.Contains("not valid", (await wrong.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var listed = await chair.GetJsonAsync<List<InvitationDto>>("/api/meetings/1/invitations");
        Assert.Equal([InvitationState.Withdrawn, InvitationState.Accepted], listed.Select(i => i.State));
    }

    [Fact]
    public async Task ALinkWhoseSeatWentIsRefusedBeforeAnyAccountIsMade()
    {
        await using var app = AppSendingMail();
        using var admin = await app.SignInAsync("admin");
        (await admin.PostJsonAsync("/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" })).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync("/api/meetings/1/participants", new { delegationCode = "CH" })).EnsureSuccessStatusCode();
        await (await admin.PostJsonAsync("/api/meetings/1/invitations", new { email = "bern@example.org", displayName = "Switzerland (observer)", role = "observer", delegationCode = "CH" })).ShouldBeAsync(200);
        var token = BriefingApp.TokenOf(await LinkSentToAsync("bern@example.org"));
        (await admin.DeleteAsync("/api/meetings/1/participants/CH", TestHttp.Ct)).EnsureSuccessStatusCode();
        using var invitee = app.CreateClient();

        var preview = await invitee.PostJsonAsync("/api/invitations/preview", new { token });
        var refused = await Fingerprint.AssertUnchangedAsync(app, () => invitee.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword }));

        await preview.ShouldBeAsync(410);
        await refused.ShouldBeAsync(410);
        Assert.Contains("no longer exists", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, app.WithDb(db => db.Users.Count(u => u.Email == "bern@example.org")));
    }

    [Fact]
    public async Task RemovingADelegationWithdrawsItsOpenInvitationsAndNoOneElses()
    {
        var clock = new ShiftedClock();
        await using var app = AppSendingMail().WithServices(s => s.AddSingleton<TimeProvider>(clock));
        var admin = await app.SignInAsync("admin");
        (await admin.PostJsonAsync("/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" })).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync("/api/meetings/1/participants", new { delegationCode = "CH" })).EnsureSuccessStatusCode();
        var lapsed = await InviteAsync("old.bern@example.org", "CH");
        await LinkSentToAsync("old.bern@example.org");
        clock.Offset = TimeSpan.FromDays(8);
        admin.Dispose();
        admin = await app.SignInAsync("admin");
        var open = await InviteAsync("bern@example.org", "CH");
        var austria = await InviteAsync("wien@example.org", "AT");

        (await admin.DeleteAsync("/api/meetings/1/participants/CH", TestHttp.Ct)).EnsureSuccessStatusCode();

        var listed = (await admin.GetJsonAsync<InvitationDto[]>("/api/meetings/1/invitations")).ToDictionary(i => i.Id, i => i.State);
        Assert.Equal(InvitationState.Withdrawn, listed[open]);
        Assert.Equal(InvitationState.Expired, listed[lapsed]);
        Assert.Equal(InvitationState.Pending, listed[austria]);
        // Its invitee hears why, not merely that it was withdrawn.
        using var invitee = app.CreateClient();
        var refused = await invitee.PostJsonAsync("/api/invitations/preview", new { token = BriefingApp.TokenOf(await LinkSentToAsync("bern@example.org")) });
        await refused.ShouldBeAsync(410);
        Assert.Contains("no longer exists", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        admin.Dispose();

        async Task<int> InviteAsync(string email, string code)
        {
            var created = await admin.PostJsonAsync("/api/meetings/1/invitations", new { email, displayName = $"{code} delegate", role = code == "CH" ? "observer" : "delegate", delegationCode = code });
            await created.ShouldBeAsync(200);
            return (await created.ReadAsync<InvitationDto>()).Id;
        }
    }

    [Fact]
    public async Task AnExpiredLinkIsRefusedAndSaysWhenItExpired()
    {
        var clock = new ShiftedClock();
        await using var app = AppSendingMail().WithServices(s => s.AddSingleton<TimeProvider>(clock));
        using var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "late@example.org", displayName = "Observer (late)", role = "observer" })).ShouldBeAsync(200);
        var token = BriefingApp.TokenOf(await LinkSentToAsync("late@example.org"));

        clock.Offset = TimeSpan.FromDays(8);
        using var late = app.CreateClient();
        var refused = await late.PostJsonAsync("/api/invitations/accept", new { token, password = NewPassword });

        await refused.ShouldBeAsync(410);
        Assert.Contains("expired on", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, app.WithDb(db => db.Users.Count(u => u.Email == "late@example.org")));
    }

    [Fact]
    public async Task AnExistingAccountAcceptsWithItsOwnPasswordAndAWrongOneGetsTheSignInAnswer()
    {
        await using var app = AppSendingMail();
        using var admin = await app.SignInAsync("admin");
        var meeting = await (await admin.PostJsonAsync("/api/meetings", new { title = "European Council", kind = "europeanCouncil", date = "2025-03-20", place = "Brussels", documentNumber = "EUCO 1/25" })).ReadJsonAsync();
        var meetingId = meeting.GetProperty("id").GetInt32();
        await (await admin.PostJsonAsync($"/api/meetings/{meetingId}/participants", new { delegationCode = "FR" })).ShouldBeAsync(200);
        await (await admin.PostJsonAsync($"/api/meetings/{meetingId}/invitations", new { email = "fr@briefing.example", displayName = "France delegate", role = "delegate", delegationCode = "FR" })).ShouldBeAsync(200);
        var token = BriefingApp.TokenOf(await LinkSentToAsync("fr@briefing.example"));
        using var france = app.CreateClient();
        var preview = await (await france.PostJsonAsync("/api/invitations/preview", new { token })).ReadAsync<InvitationPreviewDto>();
        Assert.True(preview.HasAccount);

        var wrong = await Fingerprint.AssertUnchangedAsync(app, () => france.PostJsonAsync("/api/invitations/accept", new { token, password = "not-the-password" }));
        var signInWrong = await france.PostJsonAsync("/api/auth/login", new { email = "nobody@example.org", password = "not-the-password" });
        Assert.Equal((int)signInWrong.StatusCode, (int)wrong.StatusCode);
        Assert.Equal((await signInWrong.ReadJsonAsync()).GetProperty("detail").GetString(), (await wrong.ReadJsonAsync()).GetProperty("detail").GetString());

        await (await france.PostJsonAsync("/api/invitations/accept", new { token, password = BriefingApp.Password })).ShouldBeAsync(200);
        using var signedIn = await app.SignInAsync("fr");
        Assert.Equal(2, (await signedIn.GetJsonAsync<List<MeetingSummaryDto>>("/api/meetings")).Count);
    }

    [Fact]
    public async Task InDevelopmentWithoutAnSmtpServerTheInvitationIsWrittenToAFileAndItsLinkShownToTheInviter()
    {
        var folder = Directory.CreateTempSubdirectory("briefingroom-pickup-").FullName;
        await using var app = new BriefingApp().With("Briefing:Mail:PickupFolder", folder);
        using var chair = await app.SignInAsync("chair");

        var invitation = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "desk@example.org", displayName = "Observer (desk)", role = "observer" })).ReadAsync<InvitationDto>();

        Assert.NotNull(invitation.Link);
        var written = MimeKit.MimeMessage.Load(Assert.Single(Directory.GetFiles(folder, "*.eml")), TestHttp.Ct);
        Assert.Equal("desk@example.org", written.To.Mailboxes.Single().Address);
        Assert.Contains(invitation.Link, written.TextBody, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task AMailThatCannotBeSentSavesNoInvitationAndSaysWhy()
    {
        // A port where nothing listens: the SMTP server is down.
        await using var app = AppSendingMail().With("Briefing:Mail:SmtpPort", "9");
        using var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "lost@example.org", displayName = "Observer (lost)", role = "observer" }));

        await response.ShouldBeAsync(503);
        Assert.Contains("could not be sent", (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMailServerThatStopsAnsweringSavesNoInvitationAndTheChairIsAnsweredAfterTheTimeout()
    {
        // The SMTP server takes the connection and never greets: the chair waits Briefing:Mail:SmtpTimeout, not for ever.
        await using var app = AppSendingMail();
        await using var link = mail.BehindARelayFor(app);
        using var chair = await app.SignInAsync("chair");
        var address = $"stalled-{Guid.NewGuid():N}@example.org";

        link.Stall();
        var response = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.PostJsonAsync("/api/meetings/1/invitations", new { email = address, displayName = "Observer (stalled)", role = "observer" }));

        await response.ShouldBeAsync(503);
        Assert.Contains("could not be sent", (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        link.Resume();
        var invited = await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = address, displayName = "Observer (stalled)", role = "observer" });
        await invited.ShouldBeAsync(200);
        await mail.WaitForMessageToAsync(address);
    }

    [Fact]
    public async Task IncompleteMailSettingsStopTheAppAtStartNamingTheSetting()
    {
        await using var app = new BriefingApp().With("Briefing:Mail:SmtpHost", "smtp.example.org");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Briefing:Mail:From", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> LinkSentToAsync(string address) => Link().Match((await mail.WaitForMessageToAsync(address)).TextBody ?? "").Value;

    [GeneratedRegex(@"http://\S+#/invitation/[A-Za-z0-9_-]+")]
    private static partial Regex Link();

    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
