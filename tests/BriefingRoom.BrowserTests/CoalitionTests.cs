using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class CoalitionTests : RoomTest
{
    /// <summary>
    /// Item I: 26 member states support it and Hungary opposes. The chair records that the Council did not agree and
    /// lets the willing sign; France withdraws and signs again, each seen in the other browser; once the chair closes
    /// the list, France can no longer sign, on the page or around it.
    /// </summary>
    [Fact]
    public async Task TheWillingSignLiveUntilTheChairClosesTheList()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);

        await MakeCoalitionStatementAsync(chair);

        var theirs = france.Page.Locator(".coalition");
        await Expect(theirs.Locator(".coalition-wording")).ToHaveTextAsync("Firmly supported by 26 heads of state or government");
        await Expect(theirs.Locator(".signatory-list > li")).ToHaveCountAsync(26);
        await Expect(theirs.Locator(".signatory-list > li[data-key='FR']")).ToContainTextAsync("France");
        await Expect(theirs.Locator(".signatory-list > li[data-key='HU']")).ToHaveCountAsync(0);
        await Expect(france.Page.Locator(".item-chips")).ToContainTextAsync("Coalition of the willing");

        var mine = chair.Page.Locator(".coalition");
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the signature of France" }).ClickAsync();
        await Expect(mine.Locator(".coalition-wording")).ToHaveTextAsync("Firmly supported by 25 heads of state or government");
        await Expect(mine.Locator(".signatory-list > li[data-key='FR']")).ToHaveCountAsync(0);

        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Sign for France" }).ClickAsync();
        await Expect(mine.Locator(".coalition-wording")).ToHaveTextAsync("Firmly supported by 26 heads of state or government");
        await Expect(mine.Locator(".signatory-list > li[data-key='FR']")).ToHaveCountAsync(1);

        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the signature of France" }).ClickAsync();
        await Expect(mine.Locator(".signatory-list > li")).ToHaveCountAsync(25);
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the list" }).ClickAsync();

        await Expect(theirs.Locator(".coalition-list-state")).ToContainTextAsync("List closed by António Costa (chair)");
        var sign = france.Page.GetByRole(AriaRole.Button, new() { Name = "Sign for France" });
        await Expect(sign).ToBeDisabledAsync();
        await Expect(theirs.Locator(".coalition-own-status")).ToContainTextAsync("France has not signed. The chair has closed the list.");
        var forced = await france.FetchAsync("POST", "/api/meetings/1/items/1/coalition/signatories/FR", null);
        Assert.Equal(409, forced.Status);
        Assert.Contains("closed", forced.Body, StringComparison.Ordinal);
        await Expect(mine.Locator(".signatory-list > li")).ToHaveCountAsync(25);
        await Expect(mine.Locator(".coalition-wording")).ToHaveTextAsync("Firmly supported by 25 heads of state or government");
    }

    [Fact]
    public async Task AnItemStillUnderDiscussionCannotBecomeACoalitionStatement()
    {
        var chair = await OpenAsync("chair", 1);

        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Coalition of the willing…" })).ToHaveCountAsync(0);
        await Expect(chair.Page.Locator(".coalition-hint")).ToContainTextAsync("Set the status to “Not agreed”");
        await Expect(chair.Page.GetByLabel("Status").Locator("option[value='coalition']")).ToBeDisabledAsync();

        var forced = await chair.FetchAsync("POST", "/api/meetings/1/items/1/coalition", null);
        Assert.Equal(409, forced.Status);
        await Expect(chair.Page.Locator(".coalition")).ToBeHiddenAsync();
    }

    /// <summary>
    /// The chair changes a statement open for signature from the keyboard: Enter in the reason, then "Reopen for
    /// signature". Each hid the control the keyboard was on and dropped the focus at the top of the page; it now goes to
    /// the control shown in its place.
    /// </summary>
    [Fact]
    public async Task TheChairsKeyboardStaysOnTheStatementWhileChangingItsTextAndReopeningIt()
    {
        var chair = await OpenAsync("chair", 1);
        await MakeCoalitionStatementAsync(chair);
        await Expect(chair.Page.Locator(".coalition .signatory-list > li")).ToHaveCountAsync(26);

        var reason = chair.Page.GetByLabel("Change the signed text");
        await reason.FillAsync("A typo in paragraph 2");
        await reason.PressAsync("Enter");
        var reopen = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Reopen for signature" });
        await Expect(reopen).ToBeFocusedAsync();

        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(reopen).ToBeHiddenAsync();
        await Expect(reason).ToBeFocusedAsync();
    }

    /// <summary>
    /// The chair turns item I into a coalition statement from the keyboard. "Cancel" and "Make it a coalition statement"
    /// each removed the button the keyboard was on and dropped the focus at the top of the page.
    /// </summary>
    [Fact]
    public async Task TheChairMakesACoalitionStatementFromTheKeyboardWithoutLosingTheFocus()
    {
        var chair = await OpenAsync("chair", 1);
        await chair.Page.GetByLabel("Status").SelectOptionAsync("notAgreed");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();
        var toggle = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Coalition of the willing…" });
        await toggle.FocusAsync();

        await chair.Page.Keyboard.PressAsync("Enter");
        var create = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Make it a coalition statement" });
        await Expect(create).ToBeFocusedAsync();
        await chair.Page.Keyboard.PressAsync("Tab");
        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(create).ToHaveCountAsync(0);
        await Expect(toggle).ToBeFocusedAsync();

        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(create).ToBeFocusedAsync();
        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(chair.Page.Locator(".coalition .signatory-list > li")).ToHaveCountAsync(26);
        await Expect(chair.Page.GetByLabel("Status")).ToBeFocusedAsync();
        await Expect(chair.Page.GetByLabel("Status")).ToHaveValueAsync("coalition");
    }

    /// <summary>
    /// France signs; then the chair changes the text, which withdraws every signature. France's panel said "France has
    /// not signed" and, under the button, still "France signed the statement of item I.": the answer to its own click,
    /// no longer true. It goes once the signature does.
    /// </summary>
    [Fact]
    public async Task TheAnswerToASignatureGoesWhenTheChairsChangeWithdrawsIt()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);
        await MakeCoalitionStatementAsync(chair);
        var theirs = france.Page.Locator(".coalition");
        await Expect(theirs.Locator(".signatory-list > li[data-key='FR']")).ToHaveCountAsync(1);
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the signature of France" }).ClickAsync();
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Sign for France" }).ClickAsync();
        await Expect(theirs.Locator(".form-message")).ToHaveTextAsync("France signed the statement of item I.");
        await Expect(theirs.Locator(".signatory-list > li[data-key='FR']")).ToHaveCountAsync(1);

        var (status, body) = await chair.FetchAsync("POST", "/api/meetings/1/items/1/coalition/revision", new { reason = "A typo in paragraph 2" });
        Assert.True(status == 200, $"{status}: {body}");

        await Expect(theirs.Locator(".coalition-own-status")).ToContainTextAsync("France has not signed.");
        await Expect(theirs.Locator(".form-message")).ToHaveTextAsync("");
    }

    /// <summary>
    /// France signs, and the room hears of it and then of the chair's change of the text, which withdraws the signature,
    /// all before the answer to France's own click comes back. The answer then said "France signed the statement of item
    /// I." under "France has not signed", for good: the room never showed it signed again after the answer.
    /// </summary>
    [Fact]
    public async Task ASignaturesAnswerThatTheChairsChangeOvertookIsNotSaid()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);
        await MakeCoalitionStatementAsync(chair);
        var theirs = france.Page.Locator(".coalition");
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the signature of France" }).ClickAsync();
        await Expect(theirs.Locator(".signatory-list > li[data-key='FR']")).ToHaveCountAsync(0);
        await france.CountAnswersAsync("signAnswers", "(response) => response.url.endsWith('/coalition/signatories/FR')");
        var held = await HeldAnswers.OnAsync(france.Page, "**/api/meetings/1/items/1/coalition/signatories/FR", "POST");

        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Sign for France" }).ClickAsync();
        await held.Answered;
        await Expect(theirs.Locator(".signatory-list > li[data-key='FR']")).ToHaveCountAsync(1);
        var (status, body) = await chair.FetchAsync("POST", "/api/meetings/1/items/1/coalition/revision", new { reason = "A typo in paragraph 2" });
        Assert.True(status == 200, $"{status}: {body}");
        await Expect(theirs.Locator(".coalition-own-status")).ToContainTextAsync("France has not signed.");

        held.Release();
        await france.Page.WaitForFunctionAsync("() => window.signAnswers === 1");
        await Expect(theirs.Locator(".coalition-own-status")).ToContainTextAsync("France has not signed.");
        await Expect(theirs.Locator(".form-message")).ToHaveTextAsync("");
    }

    /// <summary>
    /// France withdraws, and the room hears of it and then of the chair recording France's signature again, before the
    /// answer to France's click comes back. The answer then said "France withdrew from the statement of item I." under
    /// "France has signed", for good.
    /// </summary>
    [Fact]
    public async Task AWithdrawalsAnswerThatASignatureSinceOvertookIsNotSaid()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);
        await MakeCoalitionStatementAsync(chair);
        var theirs = france.Page.Locator(".coalition");
        await Expect(theirs.Locator(".signatory-list > li[data-key='FR']")).ToHaveCountAsync(1);
        await france.CountAnswersAsync("withdrawAnswers", "(response) => response.url.endsWith('/coalition/signatories/FR')");
        var held = await HeldAnswers.OnAsync(france.Page, "**/api/meetings/1/items/1/coalition/signatories/FR", "DELETE");

        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the signature of France" }).ClickAsync();
        await held.Answered;
        await Expect(theirs.Locator(".signatory-list > li[data-key='FR']")).ToHaveCountAsync(0);
        var (status, body) = await chair.FetchAsync("POST", "/api/meetings/1/items/1/coalition/signatories/FR", null);
        Assert.True(status == 200, $"{status}: {body}");
        await Expect(theirs.Locator(".coalition-own-status")).ToContainTextAsync("France has signed.");

        held.Release();
        await france.Page.WaitForFunctionAsync("() => window.withdrawAnswers === 1");
        await Expect(theirs.Locator(".coalition-own-status")).ToContainTextAsync("France has signed.");
        await Expect(theirs.Locator(".form-message")).ToHaveTextAsync("");
    }

    /// <summary>
    /// The chair closes the meeting with item I a statement open for signature. France was still offered "Withdraw the
    /// signature of France", and the chair "Close the list" and "Change the text…", and every press was refused ("The
    /// meeting is closed"). They are disabled, saying why, until the meeting is reopened.
    /// </summary>
    /// <summary>
    /// The way back to an archived statement was hidden and read again on every change to the item: the chair's keyboard
    /// on "Restore the coalition statement" went to the top of the page when a colleague, say, handed the pen over.
    /// </summary>
    [Fact]
    public async Task TheChairsKeyboardStaysOnRestoreWhileTheItemChanges()
    {
        var chair = await OpenAsync("chair", 1);
        await MakeItemOneAStatementAsync(chair);
        Assert.Equal(200, (await chair.FetchAsync("PUT", "/api/meetings/1/items/1/status", new { status = "notAgreed", confirm = true })).Status);
        var restore = chair.Page.Locator(".coalition-restore").GetByRole(AriaRole.Button, new() { Name = "Restore the coalition statement" });
        await restore.FocusAsync();

        Assert.Equal(200, (await chair.FetchAsync("PUT", "/api/meetings/1/items/1/drafting-mode", new { mode = "presidencyPen" })).Status);

        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open the draft to co-editing" })).ToBeVisibleAsync();
        await Expect(restore).ToBeFocusedAsync();
    }

    [Fact]
    public async Task AClosedMeetingOffersNoSignatureOrChangeOfTheStatementUntilItIsReopened()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);
        await MakeCoalitionStatementAsync(chair);
        var theirs = france.Page.Locator(".coalition");
        await Expect(theirs.Locator(".signatory-list > li[data-key='FR']")).ToHaveCountAsync(1);
        var withdraw = france.Page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the signature of France" });
        var closeList = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the list" });
        var reason = chair.Page.GetByLabel("Change the signed text");
        await Expect(withdraw).ToBeEnabledAsync();
        chair.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" }).ClickAsync();

        await Expect(withdraw).ToBeDisabledAsync();
        await Expect(theirs.Locator(".coalition-own-status")).ToContainTextAsync("France has signed. The meeting is closed");
        await Expect(closeList).ToBeDisabledAsync();
        await Expect(reason).ToBeDisabledAsync();

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Reopen the meeting" }).ClickAsync();
        await Expect(withdraw).ToBeEnabledAsync();
        await Expect(closeList).ToBeEnabledAsync();
        await Expect(reason).ToBeEnabledAsync();
    }

    /// <summary>The chair records that the Council did not agree on the open item and makes it a coalition statement.</summary>
    private static async Task MakeCoalitionStatementAsync(RoomPage chair)
    {
        await chair.Page.GetByLabel("Status").SelectOptionAsync("notAgreed");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Coalition of the willing…" }).ClickAsync();
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Make it a coalition statement" }).ClickAsync();
    }
}
