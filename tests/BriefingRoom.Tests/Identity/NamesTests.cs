using System.Text.Json;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Identity;

/// <summary>Others see a person by name, never by e-mail address: presence, carets, events, history, memberships.</summary>
public class NamesTests
{
    private const string Address = "anna.schmidt@example.org";
    private const string InvitedAs = "Austria – Anna Schmidt";

    [Fact]
    public async Task OthersSeeTheNameTheInvitationSetNeverTheAddress()
    {
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true");
        await SeatWithoutADisplayNameAsync(app);

        // The United Kingdom is a guest on item II, the draft Anna works on.
        await using var guest = await RoomClient.JoinAsync(app, "uk");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var anna = await RoomClient.JoinAsync(app, Address);
        var annaId = anna.Snapshot!.You!.UserId;

        await anna.Hub.InvokeAsync("MoveCaret", 1, new CaretRequest("draft:2", anna.RevisionOf("draft:2"), 0, 0), TestHttp.Ct);
        anna.Append("draft:2", " Austria agrees.");
        await guest.WaitUntilAsync(c =>
            c.Presence?.Users.Any(u => u.UserId == annaId) == true
            && c.Carets.Any(k => k.UserId == annaId)
            && c.Events.Any(e => e.Type == "text.edited" && e.ActorId == annaId), "Anna is seen in the room, her caret and her edit");
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "text.edited" && e.ActorId == annaId), "France sees the edit");

        var history = await guest.Hub.InvokeAsync<TextHistoryDto>("GetTextHistory", 1, "draft:2", 0, TestHttp.Ct);
        var catchUp = await guest.Hub.InvokeAsync<ClientEventsPage>("GetEventsSince", 1, 0L, TestHttp.Ct);
        using var secretariat = await app.SignInAsync("secretariat");
        var memberships = await secretariat.GetStringAsync("/api/meetings/1/memberships", TestHttp.Ct);

        var seenByOthers = JsonSerializer.Serialize(new { guest.Presence, guest.Carets, guestEvents = guest.Events, franceEvents = france.Events, history, catchUp }) + memberships;
        Assert.DoesNotContain(Address, seenByOthers, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@briefing.example", seenByOthers, StringComparison.OrdinalIgnoreCase);
        // The room knows her by the name the invitation set.
        Assert.Equal(InvitedAs, guest.Presence!.Users.Single(u => u.UserId == annaId).Name);
        Assert.Equal(InvitedAs, history.Edits.Last().Author);
    }

    [Fact]
    public async Task TheChairStillSeesTheAddressesOfTheMeetingsMembers()
    {
        await using var app = new BriefingApp().With("Briefing:Registration:Open", "true");
        await SeatWithoutADisplayNameAsync(app);
        using var chair = await app.SignInAsync("chair");

        var memberships = await chair.GetJsonAsync<List<MembershipDto>>("/api/meetings/1/memberships");

        Assert.Contains(memberships, m => m.Email == Address && m.Name == InvitedAs);
    }

    /// <summary>Anna registered an account without a display name, then accepted an invitation to a seat for Austria.</summary>
    private static async Task SeatWithoutADisplayNameAsync(BriefingApp app)
    {
        using var anna = await app.RegisterOutsiderAsync(Address);
        using var chair = await app.SignInAsync("chair");
        var invitation = await chair.PostJsonAsync("/api/meetings/1/invitations", new { email = Address, displayName = InvitedAs, role = "delegate", delegationCode = "AT" });
        await invitation.ShouldBeAsync(200);
        var token = BriefingApp.TokenOf((await invitation.ReadJsonAsync()).GetProperty("link").GetString()!);
        await (await anna.PostJsonAsync("/api/invitations/accept", new { token })).ShouldBeAsync(200);
    }
}
