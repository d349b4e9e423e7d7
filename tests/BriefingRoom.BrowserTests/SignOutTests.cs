using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>Signing out is done only when the server has ended the session: a page never says so while the cookie still works.</summary>
public class SignOutTests : RoomTest
{
    [Fact]
    public async Task ASignOutThatDidNotReachTheServerSaysSoAndLeavesNobodyBelievingTheyAreSignedOut()
    {
        var france = await OpenAsync("fr", 3);
        var page = france.Page;
        // The connection drops as the delegate leaves a borrowed laptop: the sign-out never reaches the server.
        await page.RouteAsync("**/api/auth/logout", route => route.AbortAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Not signed out" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the briefing room" })).ToHaveCountAsync(0);
        // The cookie was not ended, so whoever sits down next is still France: the page must not pretend otherwise.
        Assert.Contains("\"signedIn\":true", (await france.FetchAsync("GET", "/api/auth/session", null)).Body, StringComparison.Ordinal);

        await page.UnrouteAsync("**/api/auth/logout");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the briefing room" })).ToBeVisibleAsync();
        Assert.Contains("\"signedIn\":false", (await france.FetchAsync("GET", "/api/auth/session", null)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATabLeftOpenWhileAnotherSignsOutAndInAsSomeoneElseNeverActsUnderTheFirstPersonsName()
    {
        // France's delegate leaves the meetings page open in one tab; in another tab of the same browser, France signs
        // out and Hungary's delegate signs in. The cookie the first tab now sends is Hungary's.
        var franceTab = await NewPageAsync();
        var france = new RoomPage(franceTab, Server);
        await france.SignInAsync("fr");
        await Expect(franceTab.Locator(".whoami-name")).ToHaveTextAsync("France delegate");

        var otherTab = await franceTab.Context.NewPageAsync();
        await otherTab.GotoAsync(Server.BaseAddress.ToString());
        var other = new RoomPage(otherTab, Server);
        await other.SignOutAsync();
        await other.SignInAsync("hu");

        // Back in the first tab, the delegate opens an item: whatever it shows, it must not say France while it acts as Hungary.
        await franceTab.EvaluateAsync("() => { location.hash = '#/meetings/1/items/3'; }");
        await Expect(franceTab.Locator("#connection-state")).ToContainTextAsync("Live", new() { Timeout = 30_000 });
        await Expect(franceTab.Locator(".whoami-name")).ToHaveTextAsync("Hungary delegate");
        await Expect(franceTab.Locator(".whoami-role")).ToHaveTextAsync("Delegate, HU");
    }

    [Fact]
    public async Task TypingLeftInARoomWhoseBrowserIsSignedInAsSomeoneElseMeanwhileIsNeitherSentNorShownAsTheirs()
    {
        var france = await OpenAsync("fr", 3);
        var original = Server.StoredDraft(3);
        var tab = france.Page;
        // A tab in the background comes back slowly: while `away`, it neither reconnects nor hears that its session ended.
        var away = true;
        await tab.RouteAsync("**/hubs/briefing/negotiate**", route => away ? route.AbortAsync() : route.ContinueAsync());
        await tab.RouteAsync("**/api/auth/session", route => away ? route.AbortAsync() : route.ContinueAsync());

        // In another tab of the same browser, France signs out (which closes this tab's connection) and Hungary signs in.
        var otherTab = await tab.Context.NewPageAsync();
        await otherTab.GotoAsync(Server.BaseAddress.ToString());
        var other = new RoomPage(otherTab, Server);
        await other.SignOutAsync();
        await Expect(france.Connection).Not.ToContainTextAsync("Live");
        await france.TypeAtEndAsync(3, " France's unsent words.");
        await other.SignInAsync("hu");

        away = false;

        await Expect(tab.Locator(".left-room")).ToContainTextAsync("signed in as someone else", new() { Timeout = 30_000 });
        await Expect(tab.Locator(".whoami-name")).ToHaveTextAsync("Hungary delegate");
        await Expect(tab.GetByText("France's unsent words.")).ToHaveCountAsync(0);
        Assert.Equal(original, Server.StoredDraft(3));
    }

    /// <summary>
    /// Words the server did not take are kept in the browser's storage, under the person, until dismissed. Signing out
    /// left them there, where whoever used the browser next (a borrowed laptop, a shared desk in the delegation's room)
    /// could read a delegation's negotiating text. Signing out now asks first, and removes them; cancelled, nothing changes.
    /// </summary>
    [Fact]
    public async Task SigningOutAsksFirstAndThenRemovesTheTextsTheServerDidNotTakeFromTheBrowser()
    {
        var chair = await OpenAsync("chair", 3);
        var france = await OpenAsync("fr", 3);
        var page = france.Page;
        await page.Context.SetOfflineAsync(true);
        await france.TypeAtEndAsync(3, " Words the lock refused.");
        await chair.Page.GetByLabel("Reason for locking (everyone sees it)").FillAsync("Legal-linguistic check");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();
        await Expect(chair.Page.Locator(".item-chips")).ToContainTextAsync("Locked");
        await page.Context.SetOfflineAsync(false);
        var offered = page.Locator(".kept-text.is-offered");
        await Expect(offered).ToBeVisibleAsync(new() { Timeout = 15_000 });

        var dialogs = new Dialogs(page);
        var signOut = page.GetByRole(AriaRole.Button, new() { Name = "Sign out" });

        await signOut.ClickAsync();
        var asked = await dialogs.NextAsync();
        Assert.Contains("One text you typed was not saved on the server", asked, StringComparison.Ordinal);
        Assert.Contains("removes it from this browser", asked, StringComparison.Ordinal);
        // Cancelled: still in the room, signed in, the words still offered.
        await Expect(offered.Locator("textarea")).ToHaveValueAsync(" Words the lock refused.");
        await Expect(france.Connection).ToContainTextAsync("Live");
        Assert.Contains("\"signedIn\":true", (await france.FetchAsync("GET", "/api/auth/session", null)).Body, StringComparison.Ordinal);

        dialogs.Accept = true;
        await signOut.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the briefing room" })).ToBeVisibleAsync();
        Assert.Equal(2, dialogs.Asked.Count);
        Assert.Empty(await page.EvaluateAsync<string[]>("() => Object.keys(localStorage).filter((key) => key.startsWith('briefingroom.kept.'))"));
    }

    [Fact]
    public async Task GoingBackToTheSignInPageWhileSignedInNeverShowsTheFormAsIfSignedOut()
    {
        var page = await NewPageAsync();
        await new RoomPage(page, Server).SignInAsync("fr");

        // Back, to the sign-in page the person came from: the browser is still theirs, so it must not look signed out.
        await page.GoBackAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the briefing room" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// The top bar is drawn again whole when the meeting's details change: a keyboard user on "Sign out" (the chair
    /// renamed the meeting meanwhile) found the focus at the top of the page. It stays on "Sign out".
    /// </summary>
    [Fact]
    public async Task TheFocusStaysOnSignOutWhenTheMeetingsDetailsChange()
    {
        var france = await OpenAsync("fr", 3);
        var chair = await OpenAsync("chair", 3);
        var signOut = france.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        await signOut.FocusAsync();

        var (_, body) = await chair.FetchAsync("GET", "/api/meetings/1", null);
        var meeting = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("meeting");
        var (status, answer) = await chair.FetchAsync("PUT", "/api/meetings/1", new
        {
            title = "Special meeting of the European Council (resumed)",
            date = meeting.GetProperty("date").GetString(),
            place = meeting.GetProperty("place").GetString(),
            documentNumber = meeting.GetProperty("documentNumber").GetString(),
            status = meeting.GetProperty("status").GetString(),
            distributionMarking = meeting.GetProperty("distributionMarking").GetString(),
            expectedVersion = meeting.GetProperty("version").GetInt32(),
        });
        Assert.True(status == 200, answer);

        await Expect(france.Page.Locator(".meeting-name")).ToHaveTextAsync("Special meeting of the European Council (resumed)");
        await Expect(signOut).ToBeFocusedAsync();
    }
}
