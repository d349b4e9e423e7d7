using System.Text.RegularExpressions;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Invitations;

/// <summary>Invitations through a real SMTP server: whoever the app agrees to invite can take the seat.</summary>
[Collection(MailCollection.Name)]
public partial class InvitationReviewTests(MailServer mail)
{
    private const string NewPassword = "Dublin-Brussels-2025!";

    private BriefingApp AppSendingMail()
    {
        var app = new BriefingApp();
        foreach (var (key, value) in mail.AppSettings)
        {
            app.With(key, value);
        }

        return app;
    }

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

    [GeneratedRegex(@"http://\S+#/invitation/[A-Za-z0-9_-]+")]
    private static partial Regex Link();
}
