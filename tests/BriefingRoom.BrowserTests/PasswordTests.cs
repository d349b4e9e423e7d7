using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>A forgotten password, reset through the letter's link; a password changed from the account page.</summary>
public partial class PasswordTests : RoomTest
{
    private const string NewPassword = "Valletta-Summit-2026!";

    [Fact]
    public async Task AForgottenPasswordIsResetFromTheSignInPageThroughTheLetterAndThePersonIsSignedIn()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());
        await page.GetByLabel("E-mail address").FillAsync(RoomServer.Email("fr"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();

        // The address typed on the sign-in page came along.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("E-mail address")).ToHaveValueAsync(RoomServer.Email("fr"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("a link to choose a new password is on its way");

        var letter = await Server.WaitForLetterToAsync(RoomServer.Email("fr"), TimeSpan.FromSeconds(30));
        var link = ResetLink().Match(letter.TextBody ?? "").Value;
        Assert.NotEmpty(link);
        await page.GotoAsync(link);
        await Expect(page.GetByLabel("E-mail address")).ToHaveValueAsync(RoomServer.Email("fr"));
        // The code is not left in the address for the next person at this browser.
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("The new password again").FillAsync(NewPassword + "x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the new password and sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The two new passwords differ");
        await Expect(page.GetByLabel("The new password again")).ToBeFocusedAsync();

        await page.GetByLabel("The new password again").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the new password and sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator(".whoami-name")).ToContainTextAsync("France");

        // The link worked once: opened again, it says so and offers a new one.
        var again = await NewPageAsync();
        await again.GotoAsync(link);
        await again.GetByLabel("New password", new() { Exact = true }).FillAsync("Another-password-2026!");
        await again.GetByLabel("The new password again").FillAsync("Another-password-2026!");
        await again.GetByRole(AriaRole.Button, new() { Name = "Save the new password and sign in" }).ClickAsync();
        await Expect(again.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link is not valid any more");
        await Expect(again.GetByRole(AriaRole.Link, new() { Name = "Ask for a new link" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WhenSigningInAfterTheResetFailsThePageSaysThePasswordIsSavedAndOffersToSignIn()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Server.BaseAddress + "#/forgot-password");
        await page.GetByLabel("E-mail address").FillAsync(RoomServer.Email("de"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a link" }).ClickAsync();
        var letter = await Server.WaitForLetterToAsync(RoomServer.Email("de"), TimeSpan.FromSeconds(30));
        await page.GotoAsync(ResetLink().Match(letter.TextBody ?? "").Value);
        // The link drops between saving the password and signing in with it.
        await page.RouteAsync("**/api/auth/login**", route => route.AbortAsync());

        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("The new password again").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the new password and sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your new password is saved.");
        await Expect(page.GetByRole(AriaRole.Status)).ToBeFocusedAsync();
        await page.UnrouteAsync("**/api/auth/login**");
        await page.GetByRole(AriaRole.Link, new() { Name = "sign in" }).ClickAsync();
        await page.GetByLabel("E-mail address").FillAsync(RoomServer.Email("de"));
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ChangingThePasswordOnTheAccountPageSignsOutTheSamePersonsOtherBrowser()
    {
        var laptop = await OpenAsync("fr", 1);
        var tablet = await OpenAsync("fr", 1);

        await laptop.Page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await Expect(laptop.Page.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
        await Expect(laptop.Page.GetByLabel("Current password")).ToBeFocusedAsync();

        // A wrong current password is said, on its field.
        await laptop.Page.GetByLabel("Current password").FillAsync("Not-my-password-1");
        await laptop.Page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await laptop.Page.GetByLabel("The new password again").FillAsync(NewPassword);
        await laptop.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(laptop.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This is not your current password.");
        await Expect(laptop.Page.GetByLabel("Current password")).ToBeFocusedAsync();

        await laptop.Page.GetByLabel("Current password").FillAsync(RoomServer.Password);
        await laptop.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(laptop.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password is changed.");

        // The other browser, in the room, is out at once; this one goes on.
        await Expect(tablet.Page.Locator(".sign-in-notice")).ToContainTextAsync("Your session ended — sign in again.", new() { Timeout = 20_000 });
        await laptop.Page.GetByRole(AriaRole.Link, new() { Name = "BriefingRoom: your meetings" }).ClickAsync();
        await Expect(laptop.Page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// A refused password was said in a line under the form and the focus went to the field, with nothing tying the
    /// words to it: a screen reader read "Current password" as it was, not that it is not the current password. The
    /// field the words are about is now marked invalid and described by them (the new password's rule stays in its
    /// description), and the marks go at the next try.
    /// </summary>
    [Fact]
    public async Task ARefusedPasswordIsSaidOnTheFieldItIsAbout()
    {
        var page = new RoomPage(await NewPageAsync(), Server);
        await page.SignInAsync("fr");
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        var current = page.Page.GetByLabel("Current password");
        var fresh = page.Page.GetByLabel("New password", new() { Exact = true });
        var repeat = page.Page.GetByLabel("The new password again");
        var change = page.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" });
        await Expect(current).ToBeFocusedAsync();

        await current.FillAsync("Not-my-password-1");
        await fresh.FillAsync(NewPassword);
        await repeat.FillAsync(NewPassword);
        await change.ClickAsync();
        await Expect(current).ToBeFocusedAsync();
        await Expect(current).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(current).ToHaveAccessibleDescriptionAsync("This is not your current password.");

        await current.FillAsync(RoomServer.Password);
        await repeat.FillAsync(NewPassword + "x");
        await change.ClickAsync();
        await Expect(repeat).ToBeFocusedAsync();
        await Expect(repeat).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(repeat).ToHaveAccessibleDescriptionAsync("The two new passwords differ: type the same one twice.");
        await Expect(current).Not.ToHaveAttributeAsync("aria-invalid", "true");

        await fresh.FillAsync("summitsummit");
        await repeat.FillAsync("summitsummit");
        await change.ClickAsync();
        await Expect(fresh).ToBeFocusedAsync();
        await Expect(fresh).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(fresh).ToHaveAccessibleDescriptionAsync(new Regex(@"^Passwords must have at least one .*At least 10 characters"));
        await Expect(repeat).Not.ToHaveAttributeAsync("aria-invalid", "true");
    }

    /// <summary>
    /// A spent link's page put its words where the form had been and took the form away with the focus in it: a keyboard
    /// or screen reader user was left at the top of an empty page, not at what happened and the way on. The focus now
    /// goes to the words, and the next Tab to "Ask for a new link".
    /// </summary>
    [Fact]
    public async Task ALinkThatNoLongerWorksTakesTheFocusToWhatItSays()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{Server.BaseAddress}#/reset-password?email={Uri.EscapeDataString(RoomServer.Email("fr"))}&code=CfDJ8-spent-code");
        var fresh = page.GetByLabel("New password", new() { Exact = true });
        await Expect(fresh).ToBeFocusedAsync(new() { Timeout = 60_000 });
        await fresh.FillAsync(NewPassword);
        await page.GetByLabel("The new password again").FillAsync(NewPassword);
        await page.GetByLabel("The new password again").PressAsync("Enter");

        var notice = page.GetByRole(AriaRole.Alert);
        await Expect(notice).ToContainTextAsync("This link is not valid any more");
        await Expect(notice).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ask for a new link" })).ToBeFocusedAsync();
    }

    [GeneratedRegex(@"http://\S+#/reset-password\?email=[^&\s]+&code=\S+")]
    private static partial Regex ResetLink();
}
