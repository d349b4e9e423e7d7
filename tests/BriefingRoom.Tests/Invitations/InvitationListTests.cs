using BriefingRoom.Invitations;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Invitations;

/// <summary>
/// An invitation sent or withdrawn by one inviter reached the other inviters' panels only when they reloaded, or when
/// something happened in the room: the secretariat went on offering to withdraw an invitation the chair had withdrawn.
/// Inviters are now told (<c>InvitationsChanged</c>), and nobody else is: an invitation holds an address.
/// </summary>
public class InvitationListTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnInvitationSentOrWithdrawnIsToldToTheMeetingsInvitersAndToNoDelegate()
    {
        await using var app = new BriefingApp();
        await using var secretariat = await ListsListener.ConnectAsync(app, "secretariat");
        await using var admin = await ListsListener.ConnectAsync(app, "admin");
        await using var france = await ListsListener.ConnectAsync(app, "fr");
        using var chair = await app.SignInAsync("chair");

        var invited = await (await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = "observer@example.org", displayName = "Observer", role = "observer" })).ReadAsync<InvitationDto>();
        await secretariat.WaitForInvitationsAsync(1, "the secretariat hears of the invitation sent");
        await admin.WaitForInvitationsAsync(1, "and the administrator");

        await (await chair.DeleteAsync($"/api/meetings/1/invitations/{invited.Id}", Ct)).ShouldBeAsync(200);
        await secretariat.WaitForInvitationsAsync(2, "the secretariat hears of the invitation withdrawn");
        Assert.Equal([1, 1], secretariat.InvitationsTold);

        // France hears of the meeting's details next: had it been told of an invitation, that would have come first.
        await MeetingDetails.ChangeAsync(chair, place: "Luxembourg");
        await france.WaitForMeetingsAsync(1, "France hears that the meeting's place changed");
        Assert.Empty(france.InvitationsTold);
    }
}
