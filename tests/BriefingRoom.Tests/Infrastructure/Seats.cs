using BriefingRoom.Meetings;

namespace BriefingRoom.Tests.Infrastructure;

public static class Seats
{
    /// <summary>
    /// The chair revokes <paramref name="membership"/>, a delegate's seat in the demo meeting, and invites its holder back
    /// to the same seat, which they accept (signed in as <paramref name="holder"/>): the seat is as it was, under a new
    /// membership.
    /// </summary>
    public static async Task RevokeAndGiveBackAsync(HttpClient chair, HttpClient holder, MembershipDto membership)
    {
        var ct = TestContext.Current.CancellationToken;
        await (await chair.DeleteAsync($"/api/meetings/{BriefingApp.DemoMeetingId}/memberships/{membership.Id}", ct)).ShouldBeAsync(204);
        var invitation = await chair.PostJsonAsync($"/api/meetings/{BriefingApp.DemoMeetingId}/invitations",
            new { email = membership.Email, displayName = membership.Name, role = "delegate", delegationCode = membership.DelegationCode });
        await invitation.ShouldBeAsync(200);
        var token = BriefingApp.TokenOf((await invitation.ReadJsonAsync()).GetProperty("link").GetString()!);
        await (await holder.PostJsonAsync("/api/invitations/accept", new { token })).ShouldBeAsync(200);
    }
}
