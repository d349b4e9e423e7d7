using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class PositionsGridTests : RoomTest
{
    /// <summary>
    /// Hungary's delegate starts changing its stance on item I; meanwhile the chair records Hungary's stance in a tour
    /// de table. Saving what the delegate chose must not overwrite the chair's record unseen: the save is refused as
    /// stale, and the form shows the stance the chair recorded.
    /// </summary>
    [Fact]
    public async Task ADelegatesUnsavedStanceDoesNotOverwriteAStanceTheChairRecordedMeanwhile()
    {
        var hungary = await OpenAsync("hu", 1);
        var chair = await OpenAsync("chair", 1);
        var row = hungary.Page.Locator(".positions tr[data-key='HU']");
        await hungary.Page.GetByLabel("Your stance").SelectOptionAsync("abstain");

        await SaveAfterTheChairRecordedSupportMeanwhileAsync(hungary, chair, row);

        await Expect(chair.Page.Locator(".positions tr[data-key='HU']")).ToHaveAttributeAsync("data-stance", "support");
        await Expect(row).ToHaveAttributeAsync("data-stance", "support");
    }

    /// <summary>
    /// Hungary's delegate writes a reservation; meanwhile the chair records Hungary's stance. The save is refused as
    /// stale and the form shows the chair's stance, but the reservation's words the delegate had typed went with it:
    /// choosing "Support with reservation" again showed an empty box. They are kept, to be saved again.
    /// </summary>
    [Fact]
    public async Task AReservationTypedWhileTheChairRecordedTheStanceIsKeptWhenTheSaveIsRefusedAsStale()
    {
        var hungary = await OpenAsync("hu", 1);
        var chair = await OpenAsync("chair", 1);
        var row = hungary.Page.Locator(".positions tr[data-key='HU']");
        const string words = "Subject to the approval of the Országgyűlés, which has not yet debated the text.";
        await hungary.Page.GetByLabel("Your stance").SelectOptionAsync("supportWithReservation");
        await hungary.Page.GetByLabel("Reservation text").FillAsync(words);

        await SaveAfterTheChairRecordedSupportMeanwhileAsync(hungary, chair, row);

        await hungary.Page.GetByLabel("Your stance").SelectOptionAsync("supportWithReservation");
        await Expect(hungary.Page.GetByLabel("Reservation text")).ToHaveValueAsync(words);

        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Save stance" }).ClickAsync();
        await Expect(row.Locator(".stance-form .form-message")).ToContainTextAsync("Saved.");
        await Expect(chair.Page.Locator(".positions tr[data-key='HU'] .reservation-text")).ToHaveTextAsync(words);
    }

    /// <summary>
    /// Ireland's delegate is rewording its reservation on paragraph 1 of item II when France starts a new paragraph above
    /// it. The save is refused as stale, but not as someone's restatement: Ireland is told the draft moved the paragraph,
    /// its words are kept, the paragraph field follows them, and the second save records them on paragraph 2. Then France
    /// deletes that paragraph's words: saving with the field left empty asks first, as it would put the reservation on
    /// the whole text; the second press does.
    /// </summary>
    [Fact]
    public async Task AReservationBeingRewordedWhenTheDraftMovesItsParagraphIsSavedWhereItsWordsAreNow()
    {
        var ireland = await OpenAsync("ie", 2);
        var france = await OpenAsync("fr", 2);
        var original = Server.StoredDraft(2);
        var page = ireland.Page;
        var row = page.Locator(".positions tr[data-key='IE']");
        var paragraph = page.GetByLabel("On paragraph (as the margin numbers it)");
        var message = row.Locator(".stance-form .form-message");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save stance" });
        const string words = "Subject to Ireland's policy of military neutrality, and to the approval of the Dáil.";
        await Expect(paragraph).ToHaveValueAsync("1");
        await page.GetByLabel("Reservation text").FillAsync(words);

        const string opening = "A new first paragraph.";
        await france.TypeAtStartAsync(2, opening);
        await france.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".footnotes .footnote").First).ToContainTextAsync("Paragraph 2");

        await save.ClickAsync();
        await Expect(message).ToHaveTextAsync("Meanwhile the draft moved this reservation’s paragraph: its words are now paragraph 2. Check it and save again.");
        await Expect(paragraph).ToHaveValueAsync("2");
        await Expect(page.GetByLabel("Reservation text")).ToHaveValueAsync(words);
        await save.ClickAsync();
        await Expect(message).ToHaveTextAsync("Saved.");
        await Expect(page.Locator(".footnotes .footnote").Filter(new() { HasText = "Dáil" })).ToHaveTextAsync("Paragraph 2IE: general reservation. " + words);

        var (from, to) = BriefingRoom.Drafting.DraftParagraphs.SpanOf(original, 1)!.Value;
        await france.SelectInDraftAsync(2, opening.Length + 1 + from, opening.Length + 1 + to);
        await france.Page.Keyboard.PressAsync("Backspace");
        await Expect(row.Locator(".reservation-paragraph")).ToHaveTextAsync("on a deleted paragraph");
        await Expect(paragraph).ToHaveAttributeAsync("placeholder", "Its paragraph was deleted");

        await page.GetByLabel("Reservation text").FillAsync(words + " Restated.");
        await save.ClickAsync();
        await Expect(message).ToHaveTextAsync("Every word of the paragraph this reservation named has been deleted. Name the paragraph it is on now, or save again to put it on the whole text.");
        await save.ClickAsync();
        await Expect(message).ToHaveTextAsync("Saved.");
        await Expect(page.Locator(".footnotes .footnote").Filter(new() { HasText = "Restated" })).ToContainTextAsync("Whole text");
    }

    /// <summary>
    /// Hungary's delegate saves a stance just as the chair locks item I. The lock greys the form, and the refusal that
    /// follows ("locked") gave "Save stance" back, alone enabled in a frozen form, to be refused at every press.
    /// </summary>
    [Fact]
    public async Task ASaveRefusedBecauseTheItemWasLockedMeanwhileLeavesTheSaveButtonDisabled()
    {
        var hungary = await OpenAsync("hu", 1);
        var chair = await OpenAsync("chair", 1);
        var saving = await HeldRequests.OnAsync(hungary.Page, "**/api/meetings/1/items/1/positions/HU");
        var row = hungary.Page.Locator(".positions tr[data-key='HU']");
        var save = hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Save stance" });
        await hungary.Page.GetByLabel("Your stance").SelectOptionAsync("abstain");
        await save.ClickAsync();
        await saving.Requested;

        var (status, _) = await chair.FetchAsync("POST", "/api/meetings/1/items/1/lock", new { reason = "Tour de table closed" });
        Assert.Equal(200, status);
        await Expect(hungary.Page.GetByLabel("Your stance")).ToBeDisabledAsync();
        saving.Release();

        await Expect(row.Locator(".stance-form .form-message")).ToContainTextAsync("Not saved");
        await Expect(save).ToBeDisabledAsync();
        await Expect(row).ToHaveAttributeAsync("data-stance", "oppose");
    }

    /// <summary>
    /// In a tour de table the chair records Germany's stance. The form said "Recorded for Germany." and was taken away
    /// in the same moment, the keyboard back on "Record": a screen reader heard nothing of it, and the room does not
    /// announce a person's own changes. The grid says it in a status that stays.
    /// </summary>
    [Fact]
    public async Task TheChairHearsThatAStanceWasRecordedOnADelegationsBehalf()
    {
        var chair = await OpenAsync("chair", 1);
        var record = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Record stance of Germany" });
        await record.ClickAsync();
        var form = chair.Page.GetByRole(AriaRole.Form, new() { Name = "Record the stance of Germany" });
        await form.GetByLabel("Stance of Germany").SelectOptionAsync("abstain");

        await form.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();

        await Expect(form).ToHaveCountAsync(0);
        await Expect(record).ToBeFocusedAsync();
        await Expect(chair.Page.Locator(".positions").GetByRole(AriaRole.Status)).ToContainTextAsync(["Recorded for Germany: abstain."]);
    }

    /// <summary>
    /// The chair had Ukraine's "Record" form open when Ukraine was dropped from item I's guests and invited back. Its row
    /// came back with a "Record" button that said it was expanded, no form under it, and two presses to open one: the
    /// grid remembered the old row's form.
    /// </summary>
    [Fact]
    public async Task ARowThatLeavesAndComesBackStartsWithItsRecordFormClosed()
    {
        var chair = await OpenAsync("chair", 1);
        var record = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Record stance of Ukraine" });
        await record.ClickAsync();
        await Expect(record).ToHaveAttributeAsync("aria-expanded", "true");

        async Task SetGuestsAsync(params string[] guests)
        {
            var (_, snapshot) = await chair.FetchAsync("GET", "/api/meetings/1/snapshot", null);
            var item = System.Text.Json.JsonDocument.Parse(snapshot).RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == 1);
            var (status, body) = await chair.FetchAsync("PUT", "/api/meetings/1/items/1", new
            {
                title = item.GetProperty("title").GetString(), rule = item.GetProperty("rule").GetString(), guests, expectedVersion = item.GetProperty("version").GetInt32(),
            });
            Assert.True(status == 200, $"{status}: {body}");
        }

        var row = chair.Page.Locator(".positions tr[data-key='UA']");
        await SetGuestsAsync();
        await Expect(row).ToHaveCountAsync(0);
        await SetGuestsAsync("UA");
        await Expect(row).ToHaveCountAsync(1);

        await Expect(record).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(row.Locator(".stance-form")).ToHaveCountAsync(0);
        await record.ClickAsync();
        await Expect(row.Locator(".stance-form")).ToBeVisibleAsync();
        await Expect(record).ToHaveAttributeAsync("aria-expanded", "true");
    }

    /// <summary>
    /// The chair opens item I's positions to Ukraine. Until Ukraine's page has the room that carries them, it shows what
    /// it showed before (its own row, "not shared"), never every member state as "No position yet".
    /// </summary>
    [Fact]
    public async Task AGuestsGridOpensOnlyWithTheMemberPositionsItWasGiven()
    {
        var ukraine = await OpenAsync("ua", 1);
        var chair = await OpenAsync("chair", 1);
        var snapshot = await HeldRequests.OnAsync(ukraine.Page, "**/api/meetings/1/snapshot");
        var rows = ukraine.Page.Locator(".positions-table tbody tr");
        await Expect(rows).ToHaveCountAsync(1);

        await chair.Page.GetByLabel("Share member positions with this item’s guests").CheckAsync();
        await snapshot.Requested;

        await Expect(rows).ToHaveCountAsync(1);
        await Expect(ukraine.Page.Locator(".positions-table tbody tr[data-key='HU']")).ToHaveCountAsync(0);
        await Expect(ukraine.Page.Locator(".positions-withheld")).ToBeVisibleAsync();

        snapshot.Release();
        await Expect(ukraine.Page.Locator(".positions-table tbody tr[data-key='HU']")).ToHaveAttributeAsync("data-stance", "oppose");
        await Expect(ukraine.Page.Locator(".positions-withheld")).ToBeHiddenAsync();
    }

    /// <summary>
    /// A reservation's text may run to 2,000 characters (the footnote the conclusions print), but the page's box stopped at
    /// 500, so a longer reservation pasted in was cut without a word and the footnote printed the first 500 characters.
    /// </summary>
    [Fact]
    public async Task ALongReservationIsKeptWholeNotCutAtFiveHundredCharacters()
    {
        var hungary = await OpenAsync("hu", 1);
        var reservation = string.Concat(Enumerable.Repeat("Hungary maintains a parliamentary scrutiny reservation on this paragraph. ", 9)).Trim();
        Assert.InRange(reservation.Length, 501, 2_000);

        await hungary.Page.GetByLabel("Your stance").SelectOptionAsync("supportWithReservation");
        var box = hungary.Page.GetByLabel("Reservation text");
        await box.FocusAsync();
        await hungary.Page.Keyboard.InsertTextAsync(reservation);
        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Save stance" }).ClickAsync();

        await Expect(hungary.Page.Locator(".positions tr[data-key='HU'] .stance-form .form-message")).ToContainTextAsync("Saved.");
        var (status, body) = await hungary.FetchAsync("GET", "/api/meetings/1/snapshot", null);
        Assert.Equal(200, status);
        Assert.Contains($"\"reservationText\":\"{reservation}\"", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// In a tour de table the chair tabs along the rows' "Record" buttons. Every stance another delegation saved meanwhile
    /// redrew every row's button, and the focus fell to the top of the page: the chair had to find the row again.
    /// </summary>
    [Fact]
    public async Task TheChairsRecordButtonKeepsTheFocusWhenAnotherDelegationChangesItsStance()
    {
        var chair = await OpenAsync("chair", 1);
        var record = chair.Page.Locator(".positions tr[data-key='DE'] .stance-current button");
        await record.FocusAsync();

        var (status, _) = await chair.FetchAsync("PUT", "/api/meetings/1/items/1/positions/FR", new { stance = "abstain", expectedVersion = 1 });
        Assert.Equal(200, status);
        await Expect(chair.Page.Locator(".positions tr[data-key='FR']")).ToHaveAttributeAsync("data-stance", "abstain");

        await Expect(record).ToBeFocusedAsync();
    }

    /// <summary>
    /// The chair ticked "Share member positions with this item's guests", then unticked it before the first answer came:
    /// that answer, come last, said "Shared with the guests." beside the unticked box of an item no longer shared.
    /// </summary>
    [Fact]
    public async Task AnAnswerToAnEarlierShareThatComesLastDoesNotSpeakOverTheLaterOne()
    {
        var chair = await OpenAsync("chair", 1);
        var share = chair.Page.GetByLabel("Share member positions with this item’s guests");
        var message = chair.Page.Locator(".positions-share .form-message");
        // How many answers the page is done with (a task after reading each: the panel has drawn it by then).
        await chair.CountAnswersAsync("shareAnswers", "(response) => response.url.endsWith('/items/1/guest-positions')");
        // The server shares the positions (and the room hears of it); only its answer to the chair is late.
        var held = await HeldAnswers.OnAsync(chair.Page, "**/api/meetings/1/items/1/guest-positions");

        await share.CheckAsync();
        await held.Answered;
        await share.UncheckAsync();
        await Expect(message).ToHaveTextAsync("No longer shared with the guests.");

        held.Release();
        await chair.Page.WaitForFunctionAsync("() => window.shareAnswers === 2");
        await Expect(share).Not.ToBeCheckedAsync();
        await Expect(message).ToHaveTextAsync("No longer shared with the guests.");
    }

    /// <summary>
    /// The chair records Hungary's stance as support in a tour de table; then Hungary's delegate, whose form still holds
    /// the stance it had, presses "Save stance": refused as stale, the form shows the chair's stance.
    /// </summary>
    private static async Task SaveAfterTheChairRecordedSupportMeanwhileAsync(RoomPage hungary, RoomPage chair, ILocator row)
    {
        var (status, _) = await chair.FetchAsync("PUT", "/api/meetings/1/items/1/positions/HU", new { stance = "support", expectedVersion = 1 });
        Assert.Equal(200, status);
        await Expect(row.Locator(".updated-by")).ToContainTextAsync("Tour de table, by");

        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Save stance" }).ClickAsync();

        await Expect(row.Locator(".stance-form .form-message")).ToContainTextAsync("Someone changed this first");
        await Expect(hungary.Page.GetByLabel("Your stance")).ToHaveValueAsync("support");
    }
}
