using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// The meetings page is live: a connection that has joined no meeting hears <c>MeetingsChanged</c>
/// when its person's list of meetings changes (a seat given or taken away, a meeting's details, for an administrator a
/// meeting created), and only then.
/// </summary>
public class MeetingsListTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APersonOnTheMeetingsPageIsToldWhenTheyAreSeatedInANewMeetingAndAnAdministratorWhenItIsCreated()
    {
        await using var app = new BriefingApp();
        await using var admin = await ListsListener.ConnectAsync(app, "admin");
        await using var france = await ListsListener.ConnectAsync(app, "fr");
        await using var hungary = await ListsListener.ConnectAsync(app, "hu");
        using var adminApi = await app.SignInAsync("admin");

        var created = await (await adminApi.PostJsonAsync("/api/meetings", new { title = "Foreign Affairs Council", kind = "europeanCouncil", date = "2025-04-14", place = "Luxembourg", documentNumber = "FAC 1/25" })).ReadJsonAsync();
        var other = created.GetProperty("id").GetInt32();
        await admin.WaitForMeetingsAsync(1, "the administrator hears of the meeting created");

        await (await adminApi.PostJsonAsync($"/api/meetings/{other}/participants", new { delegationCode = "FR" })).ShouldBeAsync(200);
        var invited = await adminApi.PostJsonAsync($"/api/meetings/{other}/invitations", new { email = "fr@briefing.example", displayName = "France – Quai d'Orsay", role = "delegate", delegationCode = "FR" });
        await invited.ShouldBeAsync(200);
        var link = (await invited.ReadJsonAsync()).GetProperty("link").GetString()!;
        using var newcomer = app.CreateClient();
        await (await newcomer.PostJsonAsync("/api/invitations/accept", new { token = BriefingApp.TokenOf(link), password = BriefingApp.Password })).ShouldBeAsync(200);
        await france.WaitForMeetingsAsync(1, "France hears of its seat in the new meeting");

        // Meeting 1's details change: everyone seated there hears of it, Hungary for the first time. Had Hungary been told
        // of the new meeting, where it has no seat, that message would have come first, on the same connection.
        using var chair = await app.SignInAsync("chair");
        await MeetingDetails.ChangeAsync(chair, title: "European Council (resumed)");
        await hungary.WaitForMeetingsAsync(1, "Hungary hears that meeting 1's details changed");
        await france.WaitForMeetingsAsync(2, "France hears it too");
        await admin.WaitForMeetingsAsync(2, "and the administrator, who lists every meeting");
        Assert.Equal(1, hungary.MeetingsTold);
    }

    [Fact]
    public async Task APersonWhoseSeatIsTakenAwayIsToldOnTheMeetingsPageAndTheOthersAreNot()
    {
        await using var app = new BriefingApp();
        await using var ireland = await ListsListener.ConnectAsync(app, "ie");
        await using var france = await ListsListener.ConnectAsync(app, "fr");
        using var chair = await app.SignInAsync("chair");
        var membership = app.WithDb(db => db.Memberships.Single(m => m.UserId == db.Users.Single(u => u.Email == "ie@briefing.example").Id).Id);

        await (await chair.DeleteAsync($"/api/meetings/1/memberships/{membership}", Ct)).ShouldBeAsync(204);
        await ireland.WaitForMeetingsAsync(1, "Ireland hears that its list changed");

        // A change that concerns France next: had the revocation told France, that message would have come before.
        await (await chair.PostJsonAsync("/api/meetings/1/items/1/lock", new { reason = "A check" })).ShouldBeAsync(200);
        await MeetingDetails.ChangeAsync(chair, place: "Luxembourg");
        await france.WaitForMeetingsAsync(1, "France hears that the meeting's place changed");
        Assert.Equal(1, france.MeetingsTold);
        Assert.Equal(1, ireland.MeetingsTold);
    }
}
