using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>Issue 14, point 5: an ended session says so once, and signing in again returns to the same item with unsaved text kept.</summary>
public class SessionExpiryTests : RoomTest
{
    [Fact]
    public async Task WhenTheSessionEndsThePageSaysSoOnceAndSigningInReturnsToTheItemWithTheUnsavedTextKept()
    {
        var france = await OpenAsync("fr", 3);
        var original = Server.StoredDraft(3);

        // The cookie goes (it expired) while words wait to be sent; the link comes back to a server that no longer knows the page.
        await france.Page.Context.SetOfflineAsync(true);
        await france.TypeAtEndAsync(3, " Words typed as the session ran out.");
        await france.Page.Context.ClearCookiesAsync();
        await Server.StopAsync();
        await france.Page.Context.SetOfflineAsync(false);
        Server.Restart();

        var notice = france.Page.Locator(".sign-in-notice");
        await Expect(notice).ToContainTextAsync("Your session ended — sign in again.", new() { Timeout = 20_000 });
        await Expect(france.Page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(1);
        await Expect(france.Connection).ToHaveCountAsync(0);
        Assert.Equal(original, Server.StoredDraft(3));

        // After a reload the sign-in page still says why.
        await france.Page.ReloadAsync();
        await Expect(notice).ToContainTextAsync("Your session ended — sign in again.");

        await france.Page.GetByLabel("E-mail address").FillAsync(RoomServer.Email("fr"));
        await france.Page.GetByLabel("Password").FillAsync(RoomServer.Password);
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(france.Draft(3)).ToBeVisibleAsync();
        Assert.EndsWith("#/meetings/1/items/3", france.Page.Url);
        await Expect(france.Page.Locator(".kept-text textarea")).ToHaveValueAsync(" Words typed as the session ran out.");
        await Expect(france.Page.Locator(".kept-text")).ToContainTextAsync("Your session ended");
    }

    [Fact]
    public async Task ARefusedStanceAfterTheCookieIsGoneEndsTheSessionWithOneMessageNotAnUnauthorizedUnderLive()
    {
        var hungary = await OpenAsync("hu", 3);
        await hungary.Page.Context.ClearCookiesAsync();

        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Save stance" }).ClickAsync();

        await Expect(hungary.Page.Locator(".sign-in-notice")).ToContainTextAsync("Your session ended — sign in again.");
        await Expect(hungary.Page.GetByText("Unauthorized")).ToHaveCountAsync(0);
        await Expect(hungary.Connection).ToHaveCountAsync(0);
        Assert.Contains("return=%2Fmeetings%2F1%2Fitems%2F3", hungary.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignInPageReturnsOnlyToTheAppsOwnAddresses()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(Server.BaseAddress, "/#/sign-in?return=https%3A%2F%2Fevil.example%2F").ToString());
        await page.GetByLabel("E-mail address").FillAsync(RoomServer.Email("fr"));
        await page.GetByLabel("Password").FillAsync(RoomServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
        Assert.StartsWith(Server.BaseAddress.ToString(), page.Url, StringComparison.Ordinal);
        Assert.EndsWith("#/meetings", page.Url, StringComparison.Ordinal);
    }

    /// <summary>
    /// A sign-in sent with the password left empty was refused with "Enter your e-mail address and your password" (for an
    /// address already typed), and nothing tied the words to the field the focus went to: a screen reader read the
    /// password field as it is, not what is wrong with it. The words now name the field left empty, which says so.
    /// </summary>
    [Fact]
    public async Task ASignInWithAnEmptyFieldNamesThatFieldAndMarksIt()
    {
        var (page, email, password) = await SignInFormWithFrancesAddressAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(password).ToBeFocusedAsync();
        await Expect(password).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(password).ToHaveAccessibleDescriptionAsync("Enter your password.");
        await Expect(email).Not.ToHaveAttributeAsync("aria-invalid", "true");

        await password.FillAsync(RoomServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// A wrong password was said under the form and the focus went to the password field, with nothing tying the words
    /// to it: a screen reader read the field as it was. Both fields the words are about are now marked invalid and
    /// described by them, and the marks go at the next try.
    /// </summary>
    [Fact]
    public async Task AWrongPasswordIsSaidOnTheFieldsItIsAbout()
    {
        var (page, email, password) = await SignInFormWithFrancesAddressAsync();
        await password.FillAsync("Not-the-password-1");
        await password.PressAsync("Enter");

        await Expect(password).ToBeFocusedAsync();
        await Expect(password).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(password).ToHaveAccessibleDescriptionAsync("The e-mail address and the password do not match an account.");
        await Expect(email).ToHaveAttributeAsync("aria-invalid", "true");

        await password.FillAsync(RoomServer.Password);
        await password.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
    }

    /// <summary>The sign-in form on the test's fresh server (its first start may be slow), France's address typed in.</summary>
    private async Task<(IPage Page, ILocator Email, ILocator Password)> SignInFormWithFrancesAddressAsync()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());
        var email = page.GetByLabel("E-mail address");
        await Expect(email).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await email.FillAsync(RoomServer.Email("fr"));
        return (page, email, page.GetByLabel("Password"));
    }
}
