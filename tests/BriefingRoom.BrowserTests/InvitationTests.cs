using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class InvitationTests : RoomTest
{
    [Fact]
    public async Task TheChairInvitesInTheRoomAndTheNewcomerFollowsTheLinkIntoIt()
    {
        var chair = await OpenAsync("chair", 1);
        var panel = await InviteLenaAsync(chair, role: "delegate");

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
        // Until when the link works, in the reader's own zone, named (the browser keeps UTC here, which it calls GMT).
        await Expect(lena.Locator(".invitation-facts")).ToContainTextAsync("GMT");
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
        var panel = await InviteLenaAsync(chair);
        var linkField = panel.GetByLabel("Invitation link for Austria – Lena Weber");
        await Expect(linkField).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var token = (await linkField.InputValueAsync()).Split("#/invitation/")[1];
        var list = panel.GetByRole(AriaRole.List, new() { Name = "Invitations" });
        await Expect(list).ToContainTextAsync("Waiting");
        // Who sent it, so that the chair who revokes a seat sees which invitations that person left waiting.
        await Expect(list).ToContainTextAsync("sent by António Costa (chair)");

        // Lena takes her seat from her own machine while the chair's page stays open.
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var accepted = await http.PostAsJsonAsync("/api/invitations/accept", new { token, password = "Wien-Brussels-2025!" }, Ct);
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync(Ct));

        await Expect(list).ToContainTextAsync("Accepted");
        await Expect(list.GetByRole(AriaRole.Button, new() { Name = "Withdraw the invitation of Austria – Lena Weber" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AWrongPasswordForTheInvitedAccountLeavesThePersonSignedInAsThemselvesOnTheInvitation()
    {
        var france = (await OpenTheAdministratorsInvitationAsFranceAsync()).Page;
        await france.GetByLabel("Your password").FillAsync("Not-the-password-2025!");
        await france.GetByRole(AriaRole.Button, new() { Name = "Accept and enter the meeting" }).ClickAsync();

        // France's own session is fine: a wrong password for another account is said as such, on the invitation.
        await Expect(france.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match an account");
        await france.GetByLabel("Your password").FillAsync(RoomServer.Password);
        await france.GetByRole(AriaRole.Button, new() { Name = "Accept and enter the meeting" }).ClickAsync();
        await Expect(france.Locator("#connection-state")).ToContainTextAsync("Live", new() { Timeout = 30_000 });
        await Expect(france.Locator(".whoami-name")).ToHaveTextAsync("Administrator");
        await Expect(france.GetByText("Your session ended")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The invitation is accepted, and the person goes to their meetings list before the answer comes. The answer then
    /// took them from the list into the meeting all the same. The list they chose stays now, drawn again for the account
    /// accepting signed them in as.
    /// </summary>
    [Fact]
    public async Task AnInvitationAcceptedWhileThePersonWentToTheirMeetingsLeavesThemThere()
    {
        var room = await OpenTheAdministratorsInvitationAsFranceAsync();
        var france = room.Page;
        await room.CountAnswersAsync("acceptAnswers", "(response) => response.url.includes('/api/invitations/accept')");
        var held = await HeldAnswers.OnAsync(france, "**/api/invitations/accept*", "POST");
        await france.GetByLabel("Your password").FillAsync(RoomServer.Password);
        await france.GetByRole(AriaRole.Button, new() { Name = "Accept and enter the meeting" }).ClickAsync();
        await held.Answered;

        await france.EvaluateAsync("() => { location.hash = '#/meetings'; }");
        await Expect(france.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        held.Release();
        await france.WaitForFunctionAsync("() => window.acceptAnswers === 1");

        await Expect(france.Locator(".whoami-name")).ToHaveTextAsync("Administrator", new() { Timeout = 30_000 });
        await Expect(france).ToHaveURLAsync(new Regex("#/meetings$"));
        await Expect(france.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// The fields stay usable while an invitation is sent: the next address and name, typed while the first went out, were
    /// wiped when its answer came.
    /// </summary>
    [Fact]
    public async Task WhatIsTypedForTheNextInvitationWhileOneIsSentIsKept()
    {
        var chair = await OpenAsync("chair", 1);
        await chair.CountAnswersAsync("invitationAnswers", "(response, body) => response.url.endsWith('/invitations') && body?.email === 'lena.weber@example.org'");
        var held = await HeldAnswers.OnAsync(chair.Page, "**/api/meetings/1/invitations", "POST");
        var panel = await InviteLenaAsync(chair);
        await held.Answered;
        await panel.GetByLabel("E-mail address").FillAsync("marta.novak@example.org");
        await panel.GetByLabel("Name the others will see").FillAsync("Austria – Marta Novak");

        held.Release();
        await chair.Page.WaitForFunctionAsync("() => window.invitationAnswers === 1");
        await Expect(panel.GetByRole(AriaRole.List, new() { Name = "Invitations" })).ToContainTextAsync("Austria – Lena Weber");
        await Expect(panel.GetByLabel("E-mail address")).ToHaveValueAsync("marta.novak@example.org");
        await Expect(panel.GetByLabel("Name the others will see")).ToHaveValueAsync("Austria – Marta Novak");
    }

    [Fact]
    public async Task WithdrawingAnInvitationFromTheKeyboardLeavesTheFocusInThePanel()
    {
        var chair = await OpenAsync("chair", 1);
        var panel = await InviteLenaAsync(chair);
        var withdraw = panel.GetByRole(AriaRole.Button, new() { Name = "Withdraw the invitation of Austria – Lena Weber" });
        await Expect(withdraw).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await withdraw.FocusAsync();
        await chair.Page.Keyboard.PressAsync("Enter");

        var list = panel.GetByRole(AriaRole.List, new() { Name = "Invitations" });
        await Expect(list).ToContainTextAsync("Withdrawn");
        await Expect(panel.GetByText("its link no longer works")).ToBeVisibleAsync();
        // The button went with the withdrawal: the keyboard user goes on from the panel, not from the top of the page.
        Assert.True(await panel.EvaluateAsync<bool>("panel => panel.contains(document.activeElement)"), "The focus left the invitations panel.");
    }

    [Fact]
    public async Task ADelegateWhoseSeatIsRevokedInTheRoomIsToldWhichMeetingTheyLeftAndWhy()
    {
        var france = await OpenAsync("fr", 3);
        var chair = await OpenAsync("chair", 3);
        var (_, body) = await chair.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships", null);
        var seat = JsonDocument.Parse(body).RootElement.EnumerateArray().First(m => m.GetProperty("delegationCode").GetString() == "FR").GetProperty("id").GetInt32();

        var (status, answer) = await chair.FetchAsync("DELETE", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships/{seat}", null);
        Assert.True(status == 204, answer);

        // The meeting exists, and is no longer in the delegate's list: the notice names it, and says the seat went.
        var notice = france.Page.Locator(".left-room");
        await Expect(notice).ToContainTextAsync("You no longer have a seat in Special meeting of the European Council", new() { Timeout = 15_000 });
        await Expect(notice).Not.ToContainTextAsync("does not exist");
    }

    /// <summary>
    /// The invitations panel refused to withdraw an accepted invitation with "revoke the membership instead", and nothing
    /// in the page could: only the API revoked a seat. The chair now has a Seats panel: France's seat is revoked there
    /// (after a confirmation), France's page leaves the room, and the list and the keyboard's focus stay with the chair.
    /// </summary>
    [Fact]
    public async Task TheChairRevokesASeatFromTheSeatsPanelAndThatDelegateLeavesTheRoom()
    {
        var france = await OpenAsync("fr", 3);
        var chair = await OpenAsync("chair", 3);
        var seats = chair.Page.GetByRole(AriaRole.Region, new() { Name = "Seats" });
        var franceRow = seats.Locator("li").Filter(new() { HasText = "France delegate" });
        await Expect(franceRow).ToContainTextAsync("Delegate, France");
        // The chair's own seat is not offered: only an admin removes a chair.
        await Expect(seats.Locator("li").Filter(new() { HasText = "António Costa (chair)" }).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        string? asked = null;
        chair.Page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        var revoke = seats.GetByRole(AriaRole.Button, new() { Name = "Revoke seat of France delegate" });
        await revoke.FocusAsync();
        await chair.Page.Keyboard.PressAsync("Enter");

        await Expect(seats.GetByRole(AriaRole.Status)).ToContainTextAsync("The seat of France delegate is revoked");
        await Expect(franceRow).ToHaveCountAsync(0);
        Assert.Contains("Revoke the seat of France delegate?", asked, StringComparison.Ordinal);
        Assert.True(await seats.EvaluateAsync<bool>("panel => panel.contains(document.activeElement)"), "The focus left the seats panel.");
        await Expect(france.Page.Locator(".left-room")).ToContainTextAsync("You no longer have a seat in", new() { Timeout = 15_000 });
    }

    /// <summary>A delegate sees no Seats panel: only the chair seats and unseats people.</summary>
    [Fact]
    public async Task OnlyTheChairHasTheSeatsPanel()
    {
        var france = await OpenAsync("fr", 3);
        var secretariat = await OpenAsync("secretariat", 3);
        await Expect(secretariat.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" })).ToBeVisibleAsync();
        await Expect(secretariat.Page.GetByRole(AriaRole.Region, new() { Name = "Seats" })).ToHaveCountAsync(0);
        await Expect(france.Page.GetByRole(AriaRole.Region, new() { Name = "Seats" })).ToHaveCountAsync(0);
    }

    /// <summary>A delegation added to the meeting while the inviter's room is open can be invited to at once; one removed is no longer offered.</summary>
    [Fact]
    public async Task TheInvitePanelOffersTheDelegationsTheMeetingHasNowNotThoseItHadWhenItOpened()
    {
        var secretariat = await OpenAsync("secretariat", 1);
        var admin = await OpenAsync("admin", 1);
        var delegation = secretariat.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" }).GetByLabel("Delegation");
        await Expect(delegation.Locator("option", new() { HasText = "Switzerland" })).ToHaveCountAsync(0);

        Assert.Equal(201, (await admin.FetchAsync("POST", "/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" })).Status);
        Assert.Equal(200, (await admin.FetchAsync("POST", "/api/meetings/1/participants", new { delegationCode = "CH" })).Status);
        await Expect(delegation.Locator("option", new() { HasText = "Switzerland" })).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await delegation.SelectOptionAsync("CH");

        Assert.Equal(204, (await admin.FetchAsync("DELETE", "/api/meetings/1/participants/CH", null)).Status);
        await Expect(delegation.Locator("option", new() { HasText = "Switzerland" })).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Expect(delegation).ToHaveValueAsync("");
    }

    /// <summary>
    /// Removing a delegation from the meeting withdraws its open invitations, in a change of the room rather than through the
    /// invitations' own endpoints: the inviters' lists went on saying "Waiting" and offering to withdraw them.
    /// </summary>
    [Fact]
    public async Task AnInvitationWithdrawnWithItsDelegationShowsAsWithdrawnInTheInvitersList()
    {
        var secretariat = await OpenAsync("secretariat", 1);
        var admin = await OpenAsync("admin", 1);
        var list = secretariat.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" }).GetByRole(AriaRole.List, new() { Name = "Invitations" });
        Assert.Equal(201, (await admin.FetchAsync("POST", "/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" })).Status);
        Assert.Equal(200, (await admin.FetchAsync("POST", "/api/meetings/1/participants", new { delegationCode = "CH" })).Status);
        var (invited, why) = await secretariat.FetchAsync("POST", "/api/meetings/1/invitations",
            new { email = "anna.keller@example.org", displayName = "Switzerland – Anna Keller", role = "delegate", delegationCode = "CH" });
        Assert.True(invited == 201 || invited == 200, why);
        await Expect(list).ToContainTextAsync("Waiting", new() { Timeout = 30_000 });

        Assert.Equal(204, (await admin.FetchAsync("DELETE", "/api/meetings/1/participants/CH", null)).Status);

        await Expect(list).ToContainTextAsync("Withdrawn", new() { Timeout = 15_000 });
        await Expect(list.GetByRole(AriaRole.Button, new() { Name = "Withdraw the invitation of Switzerland – Anna Keller" })).ToHaveCountAsync(0);
    }

    /// <summary>A field the server refuses gets the keyboard, marked invalid, so the inviter corrects it without hunting for it.</summary>
    [Fact]
    public async Task AnInvitationRefusedForOneFieldPutsTheFocusOnThatFieldMarkedInvalid()
    {
        var secretariat = await OpenAsync("secretariat", 1);
        var panel = secretariat.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" });
        var email = panel.GetByLabel("E-mail address");
        await email.FillAsync("Eve <eve@example.org>");
        await panel.GetByLabel("Name the others will see").FillAsync("Observer (Eve)");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).PressAsync("Enter");

        await Expect(panel.GetByRole(AriaRole.Status)).ToContainTextAsync("not an address a letter can be sent to", new() { Timeout = 15_000 });
        await Expect(email).ToBeFocusedAsync();
        await Expect(email).ToHaveAttributeAsync("aria-invalid", "true");
        // A screen reader on the field hears why, not only that it is wrong.
        await Expect(email).ToHaveAccessibleDescriptionAsync(new Regex("not an address a letter can be sent to"));
        // The words stay, to be corrected rather than typed again.
        await Expect(email).ToHaveValueAsync("Eve <eve@example.org>");

        // Corrected and sent, the field is no longer marked, nor described by the old refusal.
        await email.FillAsync("eve@example.org");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).PressAsync("Enter");
        await Expect(panel.GetByRole(AriaRole.Status)).Not.ToContainTextAsync("not an address", new() { Timeout = 15_000 });
        await Expect(email).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(email).ToHaveAccessibleDescriptionAsync("");
    }

    /// <summary>A name left empty is said, and the field it is about is marked and described by it, keeping its own hint.</summary>
    [Fact]
    public async Task ANameLeftEmptyIsMarkedOnItsFieldAndDescribedByWhyWithItsHint()
    {
        var secretariat = await OpenAsync("secretariat", 1);
        var panel = secretariat.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" });
        var name = panel.GetByLabel("Name the others will see");
        await panel.GetByLabel("E-mail address").FillAsync("eve@example.org");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).PressAsync("Enter");

        await Expect(name).ToBeFocusedAsync();
        await Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(name).ToHaveAccessibleDescriptionAsync(new Regex("Enter the address and the name the others will see.*For example"));
    }

    /// <summary>
    /// The list is read again only when something happens in the room: left open, it went on saying "Waiting" after the
    /// link had expired (7 days), and offered a withdrawal the server then refused. It says until when a link works, and
    /// that it expired once it has. The page's clock is moved on; the server's is not, and still calls it pending.
    /// </summary>
    [Fact]
    public async Task AnOpenListSaysUntilWhenALinkWorksAndThatItExpiredOnceItHas()
    {
        var secretariat = await OpenAsync("secretariat", 1);
        await secretariat.Page.Clock.InstallAsync();
        var panel = await InviteLenaAsync(secretariat);
        var list = panel.GetByRole(AriaRole.List, new() { Name = "Invitations" });
        var withdraw = list.GetByRole(AriaRole.Button, new() { Name = "Withdraw the invitation of Austria – Lena Weber" });
        await Expect(list).ToContainTextAsync("Waiting, until");
        await Expect(withdraw).ToHaveCountAsync(1);

        await secretariat.Page.Clock.FastForwardAsync((long)TimeSpan.FromHours(169).TotalMilliseconds);

        await Expect(list).ToContainTextAsync("Expired");
        await Expect(list).Not.ToContainTextAsync("Waiting");
        await Expect(withdraw).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The secretariat's invitations panel learnt of the chair's invitation only when it was read again for something in the
    /// room (a seat taken): it did not list the invitation sent, and after the chair withdrew it went on offering to
    /// withdraw it, which the server then refused.
    /// </summary>
    [Fact]
    public async Task AnotherInvitersListShowsTheInvitationSentAndThenWithdrawnWithoutAReload()
    {
        var chair = await OpenAsync("chair", 1);
        var secretariat = await OpenAsync("secretariat", 1);
        var theirs = secretariat.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" }).GetByRole(AriaRole.List, new() { Name = "Invitations" });
        var withdrawFromTheirs = theirs.GetByRole(AriaRole.Button, new() { Name = "Withdraw the invitation of Austria – Lena Weber" });

        var panel = await InviteLenaAsync(chair);
        await Expect(theirs).ToContainTextAsync("Austria – Lena Weber", new() { Timeout = 30_000 });
        await Expect(withdrawFromTheirs).ToBeVisibleAsync();

        await panel.GetByRole(AriaRole.Button, new() { Name = "Withdraw the invitation of Austria – Lena Weber" }).ClickAsync();

        await Expect(theirs).ToContainTextAsync("Withdrawn");
        await Expect(withdrawFromTheirs).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The list is drawn again whenever another inviter sends or withdraws an invitation: a keyboard user on a "Withdraw"
    /// button of the secretariat's list was thrown back to the top of the page, as the button they were on was replaced.
    /// </summary>
    [Fact]
    public async Task AnotherInvitersInvitationLeavesTheKeyboardOnTheWithdrawButtonItWasOn()
    {
        var chair = await OpenAsync("chair", 1);
        var secretariat = await OpenAsync("secretariat", 1);
        var theirs = secretariat.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" }).GetByRole(AriaRole.List, new() { Name = "Invitations" });
        var withdrawLena = theirs.GetByRole(AriaRole.Button, new() { Name = "Withdraw the invitation of Austria – Lena Weber" });

        var panel = await InviteLenaAsync(chair);
        await Expect(withdrawLena).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await withdrawLena.FocusAsync();

        await panel.GetByLabel("E-mail address").FillAsync("marta.novak@example.org");
        await panel.GetByLabel("Name the others will see").FillAsync("Austria – Marta Novak");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();

        await Expect(theirs).ToContainTextAsync("Austria – Marta Novak", new() { Timeout = 30_000 });
        await Expect(withdrawLena).ToBeFocusedAsync();
    }

    /// <summary>
    /// Two readings of the list crossing (two inviters' changes close together): the older answer, come last, was drawn over
    /// the newer one, and the invitation just sent was no longer listed.
    /// </summary>
    [Fact]
    public async Task AnOlderReadingOfTheListThatArrivesLastDoesNotHideANewerInvitation()
    {
        var chair = await OpenAsync("chair", 1);
        var secretariat = await OpenAsync("secretariat", 1);
        var theirs = secretariat.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" }).GetByRole(AriaRole.List, new() { Name = "Invitations" });
        // How many invitations each reading the panel took in held, in the order the page was done with them.
        await secretariat.CountListReadsAsync("/invitations");
        // The reading that lists Lena alone is answered only once the one that lists Marta too has been.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await secretariat.Page.RouteAsync("**/api/meetings/1/invitations", async route =>
        {
            var response = await route.FetchAsync();
            var body = await response.TextAsync();
            if (body.Contains("Lena", StringComparison.Ordinal) && !body.Contains("Marta", StringComparison.Ordinal) && held.TrySetResult())
            {
                await release.Task;
            }

            await route.FulfillAsync(new() { Response = response });
        });

        var panel = await InviteLenaAsync(chair);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await panel.GetByLabel("E-mail address").FillAsync("marta.novak@example.org");
        await panel.GetByLabel("Name the others will see").FillAsync("Austria – Marta Novak");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        await Expect(theirs).ToContainTextAsync("Austria – Marta Novak", new() { Timeout = 30_000 });

        release.SetResult();
        await secretariat.Page.WaitForFunctionAsync("() => window.reads.lastIndexOf(1) > window.reads.indexOf(2)");
        await Expect(theirs).ToContainTextAsync("Austria – Marta Novak");
        await Expect(theirs).ToContainTextAsync("Austria – Lena Weber");
    }

    /// <summary>
    /// An invitation for an account that exists (the administrator's), opened in a browser signed in as France: the
    /// invitation's page, asking for that account's password.
    /// </summary>
    private async Task<RoomPage> OpenTheAdministratorsInvitationAsFranceAsync()
    {
        var chair = await OpenAsync("chair", 1);
        var (status, body) = await chair.FetchAsync("POST", $"/api/meetings/{RoomServer.DemoMeetingId}/invitations",
            new { email = RoomServer.Email("admin"), displayName = "Administrator", role = "observer" });
        Assert.Equal(200, status);
        var link = JsonDocument.Parse(body).RootElement.GetProperty("link").GetString()!;

        var france = new RoomPage(await NewPageAsync(), Server);
        await france.SignInAsync("fr");
        await france.Page.GotoAsync(link);
        await Expect(france.Page.GetByRole(AriaRole.Heading, new() { Name = "You are invited to" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return france;
    }

    private static async Task<ILocator> InviteLenaAsync(RoomPage chair, string? role = null)
    {
        var panel = chair.Page.GetByRole(AriaRole.Region, new() { Name = "Invite to a seat" });
        await panel.GetByLabel("E-mail address").FillAsync("lena.weber@example.org");
        await panel.GetByLabel("Name the others will see").FillAsync("Austria – Lena Weber");
        if (role is not null)
        {
            await panel.GetByLabel("Role").SelectOptionAsync(role);
        }

        await panel.GetByLabel("Delegation").SelectOptionAsync(new SelectOptionValue { Label = "Austria" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        return panel;
    }
}
