using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>Issue 14, point 9: readable badges, the keyboard focus kept where the person works, and a clean console.</summary>
public class PageDetailTests : RoomTest
{
    [Fact]
    public async Task NoBadgeInTheRoomIsSetInTextSmallerThanTwelvePixels()
    {
        var chair = await OpenAsync("chair", 1);
        await OpenAsync("fr", 1);
        await Expect(chair.Page.Locator(".presence-list > li")).ToHaveCountAsync(2);

        var sizes = await chair.Page.EvaluateAsync<double[]>(
            "() => [...document.querySelectorAll('.chip, .tag, .person-tag, .remote-caret-label')].map(e => parseFloat(getComputedStyle(e).fontSize))");
        Assert.True(sizes.Length > 10, $"only {sizes.Length} badges on the page");
        Assert.True(sizes.Min() >= 12, $"the smallest badge text is {sizes.Min()} px");
    }

    [Fact]
    public async Task EnterOnSaveStanceKeepsTheKeyboardFocusOnTheButton()
    {
        var hungary = await OpenAsync("hu", 3);
        var save = hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Save stance" });
        await hungary.Page.GetByLabel("Your stance").SelectOptionAsync("abstain");
        await save.FocusAsync();

        await hungary.Page.Keyboard.PressAsync("Enter");

        await Expect(hungary.Page.Locator(".stance-form .form-message")).ToHaveTextAsync("Saved.");
        await Expect(save).ToBeFocusedAsync();
    }

    /// <summary>
    /// The chair types a reason and presses Enter to lock the item. The lock form gave way to "Unlock" and took the focus
    /// with it to the top of the page; only a click on "Lock item" kept it.
    /// </summary>
    [Fact]
    public async Task EnterInTheLockReasonPutsTheKeyboardOnUnlock()
    {
        var chair = await OpenAsync("chair", 3);
        var reason = chair.Page.GetByLabel("Reason for locking (everyone sees it)");
        await reason.FillAsync("Legal-linguistic check");

        await reason.PressAsync("Enter");

        var unlock = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Unlock" });
        await Expect(unlock).ToBeFocusedAsync();
        await Expect(chair.Page.Locator(".chair-controls .form-message")).ToHaveTextAsync("Locked. The texts are read-only for everyone.");
        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task OpeningAMeetingPutsTheFocusOnTheItemHeading()
    {
        var france = await OpenAsync("fr", 3);
        await france.Page.GotoAsync(new Uri(Server.BaseAddress, "/#/meetings").ToString());
        await france.Page.GetByRole(AriaRole.Link, new() { Name = "Special meeting of the European Council" }).First.ClickAsync();

        await Expect(france.Connection).ToContainTextAsync("Live");
        var focused = await france.Page.EvaluateAsync<string>("() => `${document.activeElement?.tagName}#${document.activeElement?.id}`");
        Assert.Equal("H2#item-title", focused);
    }

    [Fact]
    public async Task TheItemHeadingKeepsTheKeyboardFocusWhenTheChairLocksAnotherItem()
    {
        var france = await OpenAsync("fr", 3);
        var chair = await OpenAsync("chair", 1);
        await france.Page.Locator("#item-title").FocusAsync();

        var (status, _) = await chair.FetchAsync("POST", "/api/meetings/1/items/2/lock", new { reason = "Checking the legal basis" });
        Assert.Equal(200, status);
        await Expect(france.Page.Locator(".agenda-list > li[data-key='2']")).ToHaveClassAsync(new Regex("is-locked"));

        // A screen reader user who opened item III is still on its heading, not thrown back to the top of the page.
        await Expect(france.Page.Locator("#item-title")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task AKeyboardUserInAnItemTheChairDeletesIsTakenToTheHeadingOfTheItemShownInstead()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 3);
        await france.Draft(3).FocusAsync();

        var (status, body) = await chair.FetchAsync("DELETE", "/api/meetings/1/items/3", null);
        Assert.True(status == 200, $"{status}: {body}");
        await Expect(france.Page.Locator(".cm-editor[data-document-id='draft:3']")).ToHaveCountAsync(0);

        // Not dropped at the top of the page with the editor that held it: on the item now shown, where the work is.
        await Expect(france.Page.Locator("#item-title")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task LoadingThePagesLogsNoErrorAndNoRequestIsAnswered401()
    {
        var page = await NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.Response += (_, response) => { if (response.Status == 401) errors.Add($"401 {response.Url}"); };

        await page.GotoAsync(Server.BaseAddress.ToString());
        await Expect(page.GetByLabel("E-mail address")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByLabel("E-mail address")).ToBeVisibleAsync();
        var room = new RoomPage(page, Server);
        await room.SignInAsync("fr");
        await room.OpenItemAsync(3);
        await page.ReloadAsync();
        await Expect(room.Connection).ToContainTextAsync("Live");

        Assert.Empty(errors);
    }

    /// <summary>
    /// The tab names the meeting by its document number: when the chair changed the number, every open tab went on showing
    /// the old one (among several tabs, the one a delegate picks by it), until reloaded.
    /// </summary>
    [Fact]
    public async Task TheTabsTitleFollowsTheMeetingsDocumentNumber()
    {
        var france = await OpenFirstAsync("fr", 3);
        await Expect(france.Page).ToHaveTitleAsync("EUCO 6/25 · BriefingRoom");
        var chair = new RoomPage(await NewPageAsync(), Server);
        await chair.SignInAsync("chair");
        var (_, body) = await chair.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}", null);
        var meeting = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("meeting");

        var (status, answer) = await chair.FetchAsync("PUT", $"/api/meetings/{RoomServer.DemoMeetingId}", new
        {
            title = meeting.GetProperty("title").GetString(),
            date = meeting.GetProperty("date").GetString(),
            place = meeting.GetProperty("place").GetString(),
            documentNumber = "EUCO 6/25 REV 1",
            status = meeting.GetProperty("status").GetString(),
            distributionMarking = meeting.GetProperty("distributionMarking").GetString(),
            expectedVersion = meeting.GetProperty("version").GetInt32(),
        });
        Assert.True(status == 200, answer);

        await Expect(france.Page.Locator(".doc-number")).ToHaveTextAsync("EUCO 6/25 REV 1");
        await Expect(france.Page).ToHaveTitleAsync("EUCO 6/25 REV 1 · BriefingRoom");
    }
}
