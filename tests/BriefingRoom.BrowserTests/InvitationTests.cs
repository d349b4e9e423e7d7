using System.Net.Http.Json;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class InvitationTests : RoomTest
{
    [Fact]
    public async Task TheChairInvitesInTheRoomAndTheNewcomerFollowsTheLinkIntoIt()
    {
        var chair = await OpenAsync("chair", 1);
        var panel = chair.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" });
        await panel.GetByLabel("E-mail address").FillAsync("lena.weber@example.org");
        await panel.GetByLabel("Name the others will see").FillAsync("Austria – Lena Weber");
        await panel.GetByLabel("Role").SelectOptionAsync("delegate");
        await panel.GetByLabel("Delegation").SelectOptionAsync(new SelectOptionValue { Label = "Austria" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();

        // Development without a mail server: the page hands the link to the inviter.
        // Sending writes the message and the invitation: give a busy machine time, as a person would wait.
        var linkField = panel.GetByLabel("Invitation link for Austria – Lena Weber");
        await Expect(linkField).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var link = await linkField.InputValueAsync();
        await Expect(panel.GetByRole(AriaRole.List, new() { Name = "Invitations" })).ToContainTextAsync("Waiting");

        var lena = await NewPageAsync();
        var violations = new List<string>();
        lena.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        await lena.GotoAsync(link);
        await Expect(lena.GetByRole(AriaRole.Heading, new() { Name = "You are invited to" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(lena.Locator(".invitation-facts")).ToContainTextAsync("Delegate, Austria");
        await lena.GetByLabel("Choose a password").FillAsync("Wien-Brussels-2025!");
        await lena.GetByLabel("The same password again").FillAsync("Wien-Brussels-2025!");
        await lena.GetByRole(AriaRole.Button, new() { Name = "Accept and enter the meeting" }).ClickAsync();

        await Expect(lena.Locator("#connection-state")).ToContainTextAsync("Live", new() { Timeout = 30_000 });
        await Expect(lena.Locator(".whoami-name")).ToHaveTextAsync("Austria – Lena Weber");
        Assert.DoesNotContain("#/invitation/", lena.Url, StringComparison.Ordinal);
        await Expect(chair.Page.Locator(".presence-list")).ToContainTextAsync("Austria – Lena Weber");
        Assert.Empty(violations);

        // The link worked once.
        var again = await NewPageAsync();
        await again.GotoAsync(link);
        await Expect(again.GetByRole(AriaRole.Alert)).ToContainTextAsync("used already");
    }

    [Fact]
    public async Task TheInvitersListSaysAcceptedOnceTheNewcomerTakesTheSeatAndOffersNoWithdrawal()
    {
        var chair = await OpenAsync("chair", 1);
        var panel = chair.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" });
        await panel.GetByLabel("E-mail address").FillAsync("lena.weber@example.org");
        await panel.GetByLabel("Name the others will see").FillAsync("Austria – Lena Weber");
        await panel.GetByLabel("Delegation").SelectOptionAsync(new SelectOptionValue { Label = "Austria" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        var linkField = panel.GetByLabel("Invitation link for Austria – Lena Weber");
        await Expect(linkField).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var token = (await linkField.InputValueAsync()).Split("#/invitation/")[1];
        var list = panel.GetByRole(AriaRole.List, new() { Name = "Invitations" });
        await Expect(list).ToContainTextAsync("Waiting");

        // Lena takes her seat from her own machine while the chair's page stays open.
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var accepted = await http.PostAsJsonAsync("/api/invitations/accept", new { token, password = "Wien-Brussels-2025!" }, Ct);
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync(Ct));

        await Expect(list).ToContainTextAsync("Accepted");
        await Expect(list.GetByRole(AriaRole.Button, new() { Name = "Withdraw the invitation of Austria – Lena Weber" })).ToHaveCountAsync(0);
    }
}
