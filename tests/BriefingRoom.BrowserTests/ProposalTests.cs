using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.BrowserTests;

/// <summary>The negotiating workflow in three real browsers: a delegate proposes, another backs it, the chair accepts.</summary>
public class ProposalTests : RoomTest
{
    private const string Words = "assets should remain";

    /// <summary>
    /// The delegate selects "should" in item III's draft and opens a proposal of "shall" for it, ready to be tabled; returns
    /// where "should" begins.
    /// </summary>
    private static async Task<int> ProposeShallForShouldAsync(RoomPage delegation)
    {
        var text = await delegation.DraftTextAsync(3);
        var at = text.IndexOf(Words, StringComparison.Ordinal) + "assets ".Length;
        await delegation.SelectInDraftAsync(3, at, at + "should".Length);
        await delegation.Page.GetByRole(AriaRole.Button, new() { Name = "Propose a change" }).ClickAsync();
        await delegation.Page.GetByLabel("Proposed words (empty to delete)").FillAsync("shall");
        return at;
    }

    [Fact]
    public async Task ADelegateProposesAnotherBacksItTheChairAcceptsAndAllThreeScreensShowIt()
    {
        var france = await OpenAsync("fr", 3);
        var germany = await OpenAsync("de", 3);
        var chair = await OpenAsync("chair", 3);
        RoomPage[] everyone = [france, germany, chair];

        // France selects "should" in paragraph 3 and proposes "shall", with a reason.
        await ProposeShallForShouldAsync(france);
        await france.Page.GetByLabel("Reason").FillAsync("A binding obligation.");
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Table the proposal" }).ClickAsync();

        foreach (var room in everyone)
        {
            var item = room.Page.Locator(".proposal-list .proposal").Filter(new() { HasText = "of France" });
            await Expect(item).ToContainTextAsync("should");
            await Expect(item).ToContainTextAsync("shall");
            await Expect(item).ToContainTextAsync("A binding obligation.");
            // In the draft: the words struck through, and the proposed words with the delegation's name.
            await Expect(room.Page.Locator(".editor-draft .proposal-delete")).ToHaveTextAsync("should");
            await Expect(room.Page.Locator(".editor-draft .proposal-insert")).ToHaveTextAsync(new Regex("^France \\d+\\s*shall$"));
        }

        // Germany backs it with one click; everyone sees who backs it, and the chair whether the backers alone would carry it.
        var germanys = germany.Page.Locator(".proposal-list .proposal").Filter(new() { HasText = "of France" });
        await germanys.GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true }).ClickAsync();
        foreach (var room in everyone)
        {
            await Expect(room.Page.Locator(".proposal-list .proposal")).ToContainTextAsync("Backed by Germany");
        }

        await Expect(chair.Page.Locator(".proposal-carry")).ToContainTextAsync("would carry it");
        await Expect(france.Page.Locator(".proposal-list .proposal").GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true })).ToHaveCountAsync(0);

        // The chair accepts: the draft changes on every screen, and the proposal says so.
        await chair.Page.Locator(".proposal-list .proposal").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        foreach (var room in everyone)
        {
            await room.ExpectDraftAsync(3, new Regex("Russia's assets shall remain immobilised"));
            await Expect(room.Page.Locator(".proposal-list .proposal")).ToContainTextAsync("Accepted by António Costa (chair)");
            await Expect(room.Page.Locator(".editor-draft .proposal-insert")).ToHaveCountAsync(0);
        }

        Assert.Contains("Russia's assets shall remain immobilised", Server.StoredDraft(3), StringComparison.Ordinal);
    }

    /// <summary>
    /// A delegate under pressure double-clicks "Table the proposal": the panel sent the form twice before the first
    /// answer came, and the room had two identical proposals of France to decide.
    /// </summary>
    [Fact]
    public async Task ADoubleClickOnTableTheProposalTablesItOnce()
    {
        var france = await OpenAsync("fr", 3);
        var posts = new List<Microsoft.Playwright.IRequest>();
        france.Page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/items/3/proposals", StringComparison.Ordinal))
            {
                lock (posts)
                {
                    posts.Add(request);
                }
            }
        };

        await ProposeShallForShouldAsync(france);
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Table the proposal" }).DblClickAsync();

        var proposals = france.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of France" });
        await Expect(proposals.First).ToContainTextAsync("shall");
        // Every request the double click sent has been answered before counting what the server holds.
        Microsoft.Playwright.IRequest[] sent;
        lock (posts)
        {
            sent = [.. posts];
        }

        foreach (var request in sent)
        {
            await request.ResponseAsync();
        }

        var tabled = Server.Services.GetRequiredService<IServiceScopeFactory>().CreateScope().ServiceProvider.GetRequiredService<BriefingRoom.Data.BriefingDb>()
            .Proposals.Count(p => p.ItemId == 3 && p.DelegationCode == "FR");
        Assert.Equal(1, tabled);
        Assert.Single(sent);
        await Expect(proposals).ToHaveCountAsync(1);
    }

    /// <summary>
    /// The link fails as France tables a proposal: the server tables it, and the answer never reaches the page, which says
    /// it did not get through. France presses "Table the proposal" again: the room had two identical proposals of France.
    /// </summary>
    [Fact]
    public async Task TablingAgainAfterAnAnswerLostOnTheWayTablesTheProposalOnce()
    {
        var france = await OpenAsync("fr", 3);
        var (table, message) = await TableWithTheAnswerLostAsync(france);
        var proposals = france.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of France" });
        await Expect(proposals).ToHaveCountAsync(1);

        await Expect(table).ToBeEnabledAsync();
        await table.ClickAsync();
        await Expect(message).ToContainTextAsync("is tabled");
        await Expect(france.Page.GetByRole(AriaRole.Button, new() { Name = "Table the proposal" })).ToHaveCountAsync(0);
        Assert.Equal(1, FrenchProposalsOnItem3());
        await Expect(proposals).ToHaveCountAsync(1);
    }

    /// <summary>
    /// As above, but the chair accepts France's proposal before France presses again: the answer is the proposal as it
    /// now stands, and the page said "Proposal 3 of France is tabled." of a proposal already accepted.
    /// </summary>
    [Fact]
    public async Task TablingAgainAProposalAcceptedSinceSaysItWasAccepted()
    {
        var france = await OpenAsync("fr", 3);
        var chair = await OpenAsync("chair", 3);
        var (table, message) = await TableWithTheAnswerLostAsync(france);

        await chair.Page.Locator(".proposal-list .proposal").Filter(new() { HasText = "of France" }).GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await france.ExpectDraftAsync(3, new Regex("Russia's assets shall remain immobilised"));

        await table.ClickAsync();
        await Expect(message).ToContainTextAsync("was tabled, and has since been accepted by António Costa (chair).");
        Assert.Equal(1, FrenchProposalsOnItem3());
    }

    /// <summary>
    /// France proposes "shall" for "should" and presses "Table the proposal": the request reaches the server and is
    /// answered, and the answer is lost before the page, which says it did not get through.
    /// </summary>
    private async Task<(ILocator Table, ILocator Message)> TableWithTheAnswerLostAsync(RoomPage france)
    {
        var lost = 0;
        var answeredFirst = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await france.Page.RouteAsync("**/api/meetings/1/items/3/proposals", async route =>
        {
            if (route.Request.Method != "POST" || Interlocked.Exchange(ref lost, 1) == 1)
            {
                await route.ContinueAsync();
                return;
            }

            answeredFirst.TrySetResult((await route.FetchAsync()).Status);
            await route.AbortAsync();
        });

        await ProposeShallForShouldAsync(france);
        var table = france.Page.GetByRole(AriaRole.Button, new() { Name = "Table the proposal" });
        await table.ClickAsync();
        Assert.Equal(200, await answeredFirst.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        var message = france.Page.Locator(".proposals .form-message");
        await Expect(message).Not.ToBeEmptyAsync();
        await Expect(message).Not.ToContainTextAsync("is tabled");
        return (table, message);
    }

    private int FrenchProposalsOnItem3()
    {
        using var scope = Server.Services.GetRequiredService<IServiceScopeFactory>().CreateScope();
        return scope.ServiceProvider.GetRequiredService<BriefingRoom.Data.BriefingDb>().Proposals.Count(p => p.ItemId == 3 && p.DelegationCode == "FR");
    }

    /// <summary>
    /// France proposes "shall" for "should"; Germany then types inside those words. Accepting replaces the words as they
    /// now stand, Germany's included: the chair's list quoted only the words as tabled, and said nothing of the change.
    /// </summary>
    [Fact]
    public async Task TheChairSeesWhenAProposalsWordsWereChangedSinceItWasTabled()
    {
        var france = await OpenAsync("fr", 3);
        var germany = await OpenAsync("de", 3);
        var chair = await OpenAsync("chair", 3);

        var at = await ProposeShallForShouldAsync(france);
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Table the proposal" }).ClickAsync();

        var proposal = chair.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of France" });
        await Expect(proposal).ToContainTextAsync("shall");
        await Expect(proposal.Locator(".proposal-moved")).ToBeHiddenAsync();

        await Expect(germany.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of France" })).ToHaveCountAsync(1);
        await germany.TypeAtAsync(3, at + "sho".Length, "XY");
        await chair.ExpectDraftAsync(3, new Regex("assets shoXYuld remain"));

        await Expect(proposal.Locator(".proposal-moved")).ToBeVisibleAsync();
        await Expect(proposal.Locator(".proposal-moved")).ToContainTextAsync("they now read “shoXYuld”");
    }

    [Fact]
    public async Task WhenTheChairAgreesTheItemItsOpenProposalsLapseOnEveryScreenWithNoButtonsLeft()
    {
        var france = await OpenAsync("fr", 2);
        var chair = await OpenAsync("chair", 2);
        await Expect(france.Page.Locator(".proposal-list .proposal.is-open")).ToHaveCountAsync(3);

        var (status, body) = await chair.FetchAsync("PUT", "/api/meetings/1/items/2/status", new { status = "agreed" });
        Assert.True(status == 200, $"{status}: {body}");

        foreach (var room in new[] { france, chair })
        {
            await Expect(room.Page.Locator(".proposal-list .proposal.is-lapsed")).ToHaveCountAsync(3);
            await Expect(room.Page.Locator(".proposal-list .proposal.is-open")).ToHaveCountAsync(0);
            await Expect(room.Page.Locator(".proposal-list .proposal").First).ToContainTextAsync("Lapsed by António Costa (chair): item II was agreed while it was still open");
            await Expect(room.Page.Locator(".proposal-list .proposal").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        }
    }

    /// <summary>
    /// Agreeing item II lapses its three open proposals: a screen reader heard "Proposal 1 of France lapsed: …", then
    /// Hungary's, then Poland's, each with the same reason. They are said in one sentence.
    /// </summary>
    [Fact]
    public async Task TheProposalsAnAgreementLapsesAreAnnouncedInOneSentence()
    {
        var france = await OpenAsync("fr", 2);
        var chair = await OpenAsync("chair", 2);
        await Expect(france.Page.Locator(".proposal-list .proposal.is-open")).ToHaveCountAsync(3);
        await france.ListenToAnnouncementsAsync();

        var (status, body) = await chair.FetchAsync("PUT", "/api/meetings/1/items/2/status", new { status = "agreed" });
        Assert.True(status == 200, $"{status}: {body}");

        var said = await france.AnnouncedAsync("lapsed");
        var lapsed = Assert.Single(said, m => m.Contains("lapsed", StringComparison.Ordinal));
        Assert.Matches(new Regex("^Proposals \\d+ of \\w+, \\d+ of \\w+ and \\d+ of \\w+ lapsed: item II was agreed while it was still open\\.$"), lapsed);
        Assert.All(new[] { "France", "Hungary", "Poland" }, name => Assert.Contains(name, lapsed, StringComparison.Ordinal));
    }

    /// <summary>
    /// Agreeing an item lapses its open proposals in the same change, for good: the chair's status control said nothing
    /// of it. The chair is now asked first, told which proposals lapse, and may think again (nothing changes then).
    /// </summary>
    [Fact]
    public async Task TheChairIsToldWhichOpenProposalsAgreeingTheItemLapsesAndMayThinkAgain()
    {
        var chair = await OpenAsync("chair", 2);
        var page = chair.Page;
        await Expect(page.Locator(".proposal-list .proposal.is-open")).ToHaveCountAsync(3);
        var dialogs = new Dialogs(page);

        await page.GetByLabel("Status").SelectOptionAsync("agreed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();

        Assert.Equal("Agreeing item II lapses its 3 open proposals (Proposal 1 of France; Proposal 3 of Hungary; Proposal 2 of Poland). " +
            "They can no longer be accepted, even if the item is reopened. Agree it?", await dialogs.NextAsync());
        await Expect(page.GetByLabel("Status")).Not.ToHaveValueAsync("agreed");
        await Expect(page.Locator(".proposal-list .proposal.is-open")).ToHaveCountAsync(3);
        var (_, snapshot) = await chair.FetchAsync("GET", "/api/meetings/1/snapshot", null);
        var items = System.Text.Json.JsonDocument.Parse(snapshot).RootElement.GetProperty("items").EnumerateArray();
        Assert.NotEqual("agreed", items.Single(i => i.GetProperty("id").GetInt32() == 2).GetProperty("status").GetString());

        dialogs.Accept = true;
        await page.GetByLabel("Status").SelectOptionAsync("agreed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();

        await Expect(page.Locator(".proposal-list .proposal.is-lapsed")).ToHaveCountAsync(3);
        Assert.Equal(2, dialogs.Asked.Count);
    }

    /// <summary>
    /// On a locked item the chair was offered "Hold the pen (Presidency)" and France "Propose a change", and both were
    /// refused ("Item III is locked by …"). Neither is offered while the item is locked; both come back when it is unlocked.
    /// </summary>
    [Fact]
    public async Task ALockedItemOffersNeitherThePenNorAProposalUntilItIsUnlocked()
    {
        var chair = await OpenAsync("chair", 3);
        var france = await OpenAsync("fr", 3);
        var pen = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Hold the pen (Presidency)" });
        var propose = france.Page.GetByRole(AriaRole.Button, new() { Name = "Propose a change" });
        await Expect(pen).ToBeEnabledAsync();
        await Expect(propose).ToBeEnabledAsync();

        await chair.Page.GetByLabel("Reason for locking (everyone sees it)").FillAsync("Legal-linguistic check");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();
        await Expect(france.Draft(3)).ToHaveAttributeAsync("aria-readonly", "true");
        await Expect(pen).ToBeDisabledAsync();
        await Expect(propose).ToBeDisabledAsync();

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
        await Expect(pen).ToBeEnabledAsync();
        await Expect(propose).ToBeEnabledAsync();
    }

    /// <summary>
    /// The chair, on the keyboard, presses "Hold the pen (Presidency)": the panel drew a new switch for the new mode and
    /// the focus fell to the top of the page, so the chair had to find the panel again to switch back.
    /// </summary>
    [Fact]
    public async Task TheChairSwitchingThePenByKeyboardKeepsTheFocusOnTheSwitch()
    {
        var chair = await OpenAsync("chair", 3);
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Hold the pen (Presidency)" }).FocusAsync();
        await chair.Page.Keyboard.PressAsync("Enter");

        var open = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open the draft to co-editing" });
        await Expect(open).ToBeVisibleAsync();
        await Expect(open).ToBeFocusedAsync();
        // The switch says what pressing it does: a screen reader heard "Open the draft to co-editing, pressed" while the
        // Presidency held the pen, as though the draft were open.
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open the draft to co-editing", Pressed = true })).ToHaveCountAsync(0);

        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Hold the pen (Presidency)" })).ToBeFocusedAsync();
    }

    /// <summary>
    /// The chair is writing why it rejects a proposal when a delegation backs another one: the list was drawn again, and
    /// the reason form, with what the chair had typed, vanished under the keyboard.
    /// </summary>
    [Fact]
    public async Task AReasonBeingTypedSurvivesAnotherDelegationBackingAProposal()
    {
        var chair = await OpenAsync("chair", 2);
        var germany = await OpenAsync("de", 2);
        var proposals = chair.Page.Locator(".proposal-list .proposal.is-open");
        await Expect(proposals).ToHaveCountAsync(3);

        var france = proposals.Filter(new() { HasText = "of France" });
        await france.GetByRole(AriaRole.Button, new() { Name = "Reject", Exact = true }).ClickAsync();
        var reason = france.GetByPlaceholder("Reason (required)");
        await reason.PressSequentiallyAsync("Outside the mandate");
        await Expect(reason).ToBeFocusedAsync();

        var hungary = germany.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of Hungary" });
        await hungary.GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true }).ClickAsync();
        await Expect(chair.Page.Locator(".proposal-list .proposal").Filter(new() { HasText = "of Hungary" }).Locator(".proposal-backers")).ToContainTextAsync("Germany");

        await Expect(reason).ToHaveValueAsync("Outside the mandate");
        await Expect(reason).ToBeFocusedAsync();
        await chair.Page.Keyboard.TypeAsync(".");
        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(chair.Page.Locator(".proposal-list .proposal").Filter(new() { HasText = "of France" })).ToContainTextAsync("Rejected by António Costa (chair): Outside the mandate.");

        // Escape closes a reason form opened by mistake, and the keyboard is back on its button.
        var second = chair.Page.Locator(".proposal-list .proposal.is-open").First;
        var reject = second.GetByRole(AriaRole.Button, new() { Name = "Reject", Exact = true });
        await reject.ClickAsync();
        await Expect(second.GetByPlaceholder("Reason (required)")).ToBeFocusedAsync();
        await chair.Page.Keyboard.PressAsync("Escape");
        await Expect(second.GetByPlaceholder("Reason (required)")).ToHaveCountAsync(0);
        await Expect(reject).ToBeFocusedAsync();
    }

    /// <summary>
    /// A delegate tables a proposal from the keyboard (Enter in the reason), or cancels one: the form went and the focus
    /// fell to the top of the page, far from the draft and the list the delegate was working in.
    /// </summary>
    [Fact]
    public async Task TablingOrCancellingAProposalByKeyboardLeavesTheFocusOnProposeAChange()
    {
        var france = await OpenAsync("fr", 3);
        var propose = france.Page.GetByRole(AriaRole.Button, new() { Name = "Propose a change" });

        await ProposeShallForShouldAsync(france);
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).FocusAsync();
        await france.Page.Keyboard.PressAsync("Enter");
        await Expect(propose).ToBeFocusedAsync();

        await ProposeShallForShouldAsync(france);
        await france.Page.GetByLabel("Reason").FillAsync("A binding obligation.");
        await france.Page.GetByLabel("Reason").PressAsync("Enter");
        await Expect(france.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "shall" })).ToHaveCountAsync(1);
        await Expect(propose).ToBeFocusedAsync();
    }

    /// <summary>
    /// The server refuses the words proposed (the same words as those selected) or the reason (a bidi override left
    /// open): the refusal was said only in the panel's status line, the field kept no mark, and a screen reader on it
    /// heard nothing wrong. The field named is marked invalid, described by the reason, and has the keyboard.
    /// </summary>
    [Fact]
    public async Task AProposalTheServerRefusesMarksTheFieldItNamesWithTheReason()
    {
        var france = await OpenAsync("fr", 3);
        await ProposeShallForShouldAsync(france);
        var words = france.Page.GetByLabel("Proposed words (empty to delete)");
        var reason = france.Page.GetByLabel("Reason", new() { Exact = true });
        var table = france.Page.GetByRole(AriaRole.Button, new() { Name = "Table the proposal" });

        await words.FillAsync("should");
        await table.ClickAsync();
        await Expect(france.Page.Locator(".proposals .form-message")).ToContainTextAsync("The replacement is the words selected");
        await Expect(words).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(words).ToHaveAccessibleDescriptionAsync(new Regex("The replacement is the words selected"));
        await Expect(words).ToBeFocusedAsync();

        await words.FillAsync("shall");
        await reason.FillAsync("\u202EBinding");
        await table.ClickAsync();
        await Expect(france.Page.Locator(".proposals .form-message")).ToContainTextAsync("U+202E open");
        await Expect(reason).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(reason).ToHaveAccessibleDescriptionAsync(new Regex("U\\+202E open"));
        await Expect(reason).ToBeFocusedAsync();
        await Expect(words).Not.ToHaveAttributeAsync("aria-invalid", "true");
    }

    /// <summary>
    /// The chair's reason for rejecting a proposal is refused (it leaves a bidi override open): the reason field kept no
    /// mark, so a screen reader on it heard nothing wrong. It is marked invalid and described by the reason, and a reason
    /// the server takes rejects the proposal.
    /// </summary>
    [Fact]
    public async Task ARejectionReasonTheServerRefusesIsMarkedOnItsFieldWithTheReason()
    {
        var chair = await OpenAsync("chair", 2);
        var france = chair.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of France" });
        await france.GetByRole(AriaRole.Button, new() { Name = "Reject", Exact = true }).ClickAsync();
        var reason = france.GetByPlaceholder("Reason (required)");
        await reason.FillAsync("\u202EOutside the mandate");
        await reason.PressAsync("Enter");

        await Expect(chair.Page.Locator(".proposals .form-message")).ToContainTextAsync("U+202E open");
        await Expect(reason).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(reason).ToHaveAccessibleDescriptionAsync(new Regex("U\\+202E open"));
        await Expect(reason).ToBeFocusedAsync();

        await reason.FillAsync("Outside the mandate");
        await reason.PressAsync("Enter");
        await Expect(chair.Page.Locator(".proposal-list .proposal").Filter(new() { HasText = "of France" })).ToContainTextAsync("Rejected by António Costa (chair): Outside the mandate");
    }

    /// <summary>
    /// A delegate tables a proposal: every other screen hears "France tabled proposal 4", but the delegate's own page
    /// (which does not announce a person's own changes) said nothing at all, and the form simply went: a screen reader
    /// user could not tell the proposal was tabled rather than lost. The panel's status line says so.
    /// </summary>
    [Fact]
    public async Task TheDelegateWhoTablesAProposalIsToldItIsTabled()
    {
        var france = await OpenAsync("fr", 3);
        await ProposeShallForShouldAsync(france);
        await france.Page.GetByLabel("Reason", new() { Exact = true }).FillAsync("A binding obligation.");
        await france.Page.GetByLabel("Reason", new() { Exact = true }).PressAsync("Enter");

        var tabled = france.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "shall" });
        await Expect(tabled).ToHaveCountAsync(1);
        var name = await tabled.Locator(".proposal-head strong").TextContentAsync();
        await Expect(france.Page.Locator(".proposals [role=status]")).ToHaveTextAsync($"{name} is tabled.");
    }

    /// <summary>
    /// In the draft the proposed words are a box hidden from screen readers and the words a proposal would change read
    /// like any others: a delegate moving through the text by keyboard could not tell they were under a proposal. The
    /// cursor coming into them is told which proposal and what it proposes, and the line under the draft says so too.
    /// </summary>
    [Fact]
    public async Task ACursorMovedIntoAProposalsWordsIsToldWhichProposalAndWhatItProposes()
    {
        var france = await OpenAsync("fr", 3);
        var germany = await OpenAsync("de", 3);
        var at = await ProposeShallForShouldAsync(france);
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Table the proposal" }).ClickAsync();
        await Expect(germany.Page.Locator(".editor-draft .proposal-delete")).ToHaveTextAsync("should", new() { Timeout = 15_000 });

        // Germany's cursor stands on the space before "should", then one key moves it to the proposal's first letter.
        Assert.Equal(await france.DraftTextAsync(3), await germany.DraftTextAsync(3));
        await germany.SelectInDraftAsync(3, at - 1, at - 1);
        var draft = germany.Page.Locator(".editor[data-document-id='draft:3']");
        await Expect(draft.Locator(".editor-where")).ToContainTextAsync("cursor");
        await Expect(draft.Locator(".editor-where")).Not.ToContainTextAsync("proposal");
        await germany.Page.Keyboard.PressAsync("ArrowRight");

        var said = new Regex("^Proposal \\d+ of France: replace “should” with “shall”\\.$");
        await Expect(draft.Locator(".cm-announced")).ToHaveTextAsync(said);
        await Expect(draft.Locator(".editor-where")).ToContainTextAsync(new Regex("in proposal \\d+ of France: replace “should” with “shall”"));
    }

    /// <summary>
    /// With three proposals open, a screen reader tabbing through the list heard "Accept, button", "Reject, button",
    /// "Accept, button"… and never which proposal each button decides. Every action button is described by its proposal.
    /// </summary>
    [Fact]
    public async Task EachProposalsButtonsSayWhichProposalTheyAct()
    {
        var chair = await OpenAsync("chair", 2);
        var germany = await OpenAsync("de", 2);
        await Expect(chair.Page.Locator(".proposal-list .proposal.is-open .accept-proposal")).ToHaveCountAsync(3);
        await Expect(germany.Page.Locator(".proposal-list .proposal.is-open").GetByRole(AriaRole.Button, new() { Name = "Object", Exact = true })).ToHaveCountAsync(3);
        foreach (var room in new[] { chair, germany })
        {
            foreach (var proposer in new[] { "France", "Poland", "Hungary" })
            {
                var buttons = room.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = $"of {proposer}" }).GetByRole(AriaRole.Button);
                Assert.True(await buttons.CountAsync() >= 2, $"the {room} sees the buttons of {proposer}'s proposal");
                foreach (var button in await buttons.AllAsync())
                {
                    await Expect(button).ToHaveAccessibleDescriptionAsync(new Regex($"^Proposal \\d+ of {proposer}$"));
                }
            }
        }
    }

    /// <summary>
    /// The chair accepts France's proposal: Germany's screen reader said "António Costa (chair) is editing the draft of
    /// item II", as if the chair were typing, and then that the chair accepted the proposal. An acceptance is said once,
    /// as what it is.
    /// </summary>
    [Fact]
    public async Task AnAcceptedProposalIsAnnouncedAsAnAcceptanceNotAsTheChairTyping()
    {
        var germany = await OpenAsync("de", 2);
        var chair = await OpenAsync("chair", 2);
        await germany.ListenToAnnouncementsAsync();

        var france = chair.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of France" });
        await france.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(germany.Page.Locator(".proposal-list .proposal").Filter(new() { HasText = "of France" })).ToContainTextAsync("Accepted by António Costa (chair)");
        var said = await germany.AnnouncedAsync("accepted proposal");
        Assert.DoesNotContain(said, m => m.Contains("is editing", StringComparison.Ordinal));
        Assert.Single(said, m => m.Contains("accepted proposal", StringComparison.Ordinal));
    }

    /// <summary>
    /// On an item with no proposals, an observer and a guest, who table nothing, were told to "use “Propose a change”",
    /// a button their page does not have. The empty list says only that there are none; a delegate is still told how.
    /// </summary>
    [Fact]
    public async Task AnEmptyListDoesNotTellThoseWhoDoNotDraftToProposeAChange()
    {
        var observer = await OpenAsync("observer", 3);
        var ukraine = await OpenAsync("ua", 1);
        var france = await OpenAsync("fr", 3);
        foreach (var reader in new[] { observer, ukraine })
        {
            var empty = reader.Page.Locator(".proposal-list .empty");
            await Expect(empty).ToHaveTextAsync("No proposals yet.");
            await Expect(reader.Page.GetByRole(AriaRole.Button, new() { Name = "Propose a change" })).ToHaveCountAsync(0);
        }

        await Expect(france.Page.Locator(".proposal-list .empty")).ToContainTextAsync("use “Propose a change”");
    }

    /// <summary>
    /// France withdraws its proposal, saying why: the other screen readers heard "France withdrew proposal 1." and not
    /// why, while a rejection is announced with its reason. A withdrawal is announced with its reason too.
    /// </summary>
    [Fact]
    public async Task AWithdrawalIsAnnouncedWithItsReason()
    {
        var germany = await OpenAsync("de", 2);
        var france = await OpenAsync("fr", 2);
        await germany.ListenToAnnouncementsAsync();

        var own = france.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of France" });
        await own.GetByRole(AriaRole.Button, new() { Name = "Withdraw", Exact = true }).ClickAsync();
        var reason = own.GetByPlaceholder("Reason (optional)");
        await reason.FillAsync("Overtaken by the Presidency's text");
        await reason.PressAsync("Enter");

        var said = await germany.AnnouncedAsync("withdrew proposal");
        Assert.Matches(new Regex("^France withdrew proposal \\d+: Overtaken by the Presidency's text$"), Assert.Single(said, m => m.Contains("withdrew", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A delegate puts the cursor in the draft, with nothing selected, to propose words to insert there: the field was
    /// named "Proposed words (empty to delete)", though there is nothing to delete and an empty insertion is refused,
    /// and nothing tied to it said what the proposal would do. It is named for an insertion and described by the line
    /// above it ("Insert at the cursor:"), as a replacement's field is by "Replace … by:".
    /// </summary>
    [Fact]
    public async Task TheFieldOfAProposalToInsertSaysItInserts()
    {
        var france = await OpenAsync("fr", 3);
        var text = await france.DraftTextAsync(3);
        var at = text.IndexOf(Words, StringComparison.Ordinal);
        await france.SelectInDraftAsync(3, at, at);
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Propose a change" }).ClickAsync();

        var field = france.Page.Locator(".propose-replacement");
        await Expect(field).ToBeFocusedAsync();
        await Expect(field).ToHaveAccessibleNameAsync("Proposed words to insert");
        await Expect(field).ToHaveAccessibleDescriptionAsync("Insert at the cursor:");

        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await ProposeShallForShouldAsync(france);
        await Expect(field).ToHaveAccessibleDescriptionAsync("Replace should by:");
    }

    /// <summary>
    /// A delegate backs a proposal from the keyboard, then takes the voice back: the list was drawn again while the button
    /// pressed was disabled for the request, and the focus fell to the top of the page instead of staying on the toggle.
    /// </summary>
    [Fact]
    public async Task BackingAProposalByKeyboardKeepsTheFocusOnItsToggle()
    {
        var germany = await OpenAsync("de", 2);
        var hungarys = germany.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of Hungary" });
        await hungarys.GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true }).FocusAsync();
        await germany.Page.Keyboard.PressAsync("Enter");

        var backed = hungarys.GetByRole(AriaRole.Button, new() { Name = "Backed: take back" });
        await Expect(backed).ToBeVisibleAsync();
        await Expect(backed).ToBeFocusedAsync();

        await germany.Page.Keyboard.PressAsync("Enter");
        var back = hungarys.GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true });
        await Expect(back).ToBeVisibleAsync();
        await Expect(back).ToBeFocusedAsync();
    }

    /// <summary>
    /// The room's event that a delegation backed a proposal can reach the page before the server's answer to the press.
    /// The list was drawn again with an enabled "Backed: take back" that ignored a press until that answer came (one
    /// action at a time), so a quick second press was silently dropped. What is drawn meanwhile is disabled like the
    /// rest, and the toggle gets the focus back, and works, once the answer is in.
    /// </summary>
    [Fact]
    public async Task AToggleDrawnAgainBeforeTheAnswerWaitsForItAndThenTakesTheFocus()
    {
        var germany = await OpenAsync("de", 2);
        var held = await HeldAnswers.OnAsync(germany.Page, "**/proposals/*/support");
        var hungarys = germany.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of Hungary" });
        await hungarys.GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true }).FocusAsync();
        await germany.Page.Keyboard.PressAsync("Enter");

        var backed = hungarys.GetByRole(AriaRole.Button, new() { Name = "Backed: take back" });
        await Expect(hungarys.GetByText("Backed by Germany")).ToBeVisibleAsync();
        await Expect(backed).ToBeDisabledAsync();

        held.Release();
        await Expect(backed).ToBeEnabledAsync();
        await Expect(backed).ToBeFocusedAsync();
        await germany.Page.Keyboard.PressAsync("Enter");
        var back = hungarys.GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true });
        await Expect(back).ToBeVisibleAsync();
        await Expect(back).ToBeFocusedAsync();
    }

    /// <summary>
    /// The chair accepts one proposal and rejects another from the keyboard: each closed its proposal, the button or the
    /// reason went with it, and the focus fell to the top of the page. It stays on the proposal, which says how it ended.
    /// </summary>
    [Fact]
    public async Task DecidingAProposalByKeyboardLeavesTheFocusOnItWithItsOutcome()
    {
        var chair = await OpenAsync("chair", 2);
        var list = chair.Page.Locator(".proposal-list .proposal");
        var france = list.Filter(new() { HasText = "of France" });
        await france.GetByRole(AriaRole.Button, new() { Name = "Accept" }).FocusAsync();
        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(france).ToContainTextAsync("Accepted by António Costa (chair)");
        await Expect(france).ToBeFocusedAsync();

        var hungary = list.Filter(new() { HasText = "of Hungary" });
        await hungary.GetByRole(AriaRole.Button, new() { Name = "Reject", Exact = true }).FocusAsync();
        await chair.Page.Keyboard.PressAsync("Enter");
        await chair.Page.Keyboard.TypeAsync("Outside the mandate");
        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(hungary).ToContainTextAsync("Rejected by António Costa (chair): Outside the mandate");
        await Expect(hungary).ToBeFocusedAsync();
    }

    /// <summary>
    /// Germany deletes the very words France proposed to change. The chair's list went on showing the proposal as any
    /// other, with "Accept", which the server then refused: the list was drawn again only on proposal events, not as the
    /// text moved. It says at once that the words were deleted, and offers no acceptance.
    /// </summary>
    [Fact]
    public async Task WhenAProposalsWordsAreDeletedTheChairsListSaysSoAtOnceAndOffersNoAcceptance()
    {
        var france = await OpenAsync("fr", 3);
        var germany = await OpenAsync("de", 3);
        var chair = await OpenAsync("chair", 3);

        var at = await ProposeShallForShouldAsync(france);
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Table the proposal" }).ClickAsync();
        var proposal = chair.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of France" });
        await Expect(proposal.GetByRole(AriaRole.Button, new() { Name = "Accept" })).ToBeVisibleAsync();
        await Expect(germany.Page.Locator(".proposal-list .proposal.is-open").Filter(new() { HasText = "of France" })).ToHaveCountAsync(1);

        Assert.Equal("should", (await germany.DraftTextAsync(3)).Substring(at, "should".Length));
        await germany.SelectInDraftAsync(3, at, at + "should".Length);
        await germany.Page.Keyboard.PressAsync("Backspace");
        await chair.ExpectDraftAsync(3, new Regex("assets  remain"));

        await Expect(proposal.Locator(".proposal-orphaned")).ToContainTextAsync("Its words were deleted from the draft");
        await Expect(proposal.GetByRole(AriaRole.Button, new() { Name = "Accept" })).ToHaveCountAsync(0);
    }

    /// <summary>
    /// An observer and a guest, who read the draft and table nothing, were told "anyone may also table a proposal" beside
    /// a panel with no way to do it. The line says who drafts and proposes.
    /// </summary>
    [Fact]
    public async Task ThoseWhoDoNotDraftAreNotToldTheyMayTableAProposal()
    {
        var observer = await OpenAsync("observer", 2);
        var guest = await OpenAsync("uk", 2);
        var france = await OpenAsync("fr", 2);
        foreach (var reader in new[] { observer, guest })
        {
            var mode = reader.Page.Locator(".proposals .mode-state");
            await Expect(mode).ToContainTextAsync("Open drafting");
            await Expect(mode).Not.ToContainTextAsync("anyone may");
            await Expect(mode).ToContainTextAsync("the delegations co-edit the draft and table proposals");
            await Expect(reader.Page.GetByRole(AriaRole.Button, new() { Name = "Propose a change" })).ToHaveCountAsync(0);
        }

        await Expect(france.Page.Locator(".proposals .mode-state")).ToContainTextAsync("anyone may also table a proposal");
    }
}
