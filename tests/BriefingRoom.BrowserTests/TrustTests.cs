using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>
/// Trust in the room (issue 14), in Chromium with one browser context per person: a signed statement stays signed,
/// nothing destructive happens without a guard, guests see what guests should, a delegate finds its own stance first.
/// </summary>
public class TrustTests : RoomTest
{
    private const string M = "/api/meetings/1";

    /// <summary>The first page of a fresh server waits for the app's first start (a cold process on a busy machine), not 5 s.</summary>
    /// <summary>
    /// Hungary, which did not sign, cannot type into the statement the 26 signed; France's screen does not move. The
    /// chair changes the text, giving a reason: France sees that its signature was withdrawn and why, and signs again.
    /// </summary>
    [Fact]
    public async Task ASignedStatementIsFrozenAndTheChairsChangeWithdrawsFrancesSignatureBeforeHerEyes()
    {
        var chair = await OpenFirstAsync("chair", 1);
        await MakeItemOneAStatementAsync(chair);
        var france = await OpenAsync("fr", 1);
        var hungary = await OpenAsync("hu", 1);
        var signed = await france.DraftTextAsync(1);
        await Expect(france.Page.Locator(".coalition-own-status")).ToContainTextAsync("France has signed.");

        await Expect(hungary.Draft(1)).ToHaveAttributeAsync("aria-readonly", "true");
        await Expect(hungary.Page.Locator(".editor-draft")).ToContainTextAsync("the statement’s text is frozen");
        await hungary.Draft(1).ClickAsync();
        await hungary.Page.Keyboard.PressAsync("Control+Home");
        await hungary.Page.Keyboard.TypeAsync("NOT ");
        var forced = await hungary.FetchAsync("POST", $"{M}/texts/draft:1/operations",
            new { documentId = "draft:1", baseRevision = 0, clientOpId = "hu-not", operation = new object[] { "NOT ", signed.Length } });
        Assert.Equal(409, forced.Status);
        Assert.Contains("frozen", forced.Body, StringComparison.Ordinal);
        await france.ExpectDraftAsync(1, signed);
        await hungary.ExpectDraftAsync(1, signed);
        // A coalition statement is not decided by a vote: no "if Hungary abstains: adopted".
        await Expect(france.Page.Locator(".tally-flips")).ToHaveCountAsync(0);

        await chair.Page.GetByLabel("Change the signed text").FillAsync("Paragraph 2 corrected after the legal service's review");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Change the text…" }).ClickAsync();

        var notice = france.Page.Locator(".coalition-notice");
        await Expect(notice).ToHaveTextAsync("Your signature was withdrawn because António Costa (chair) changed the text: Paragraph 2 corrected after the legal service's review");
        await Expect(france.Page.Locator(".coalition .signatory-list > li")).ToHaveCountAsync(0);
        await chair.TypeAtEndAsync(1, " Revised.");
        await france.ExpectDraftAsync(1, signed + " Revised.");
        await Expect(france.Page.GetByRole(AriaRole.Button, new() { Name = "Sign for France" })).ToBeDisabledAsync();

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Reopen for signature" }).ClickAsync();
        await france.Page.GetByRole(AriaRole.Button, new() { Name = "Sign for France" }).ClickAsync();
        await Expect(chair.Page.Locator(".coalition .signatory-list > li[data-key='FR']")).ToHaveCountAsync(1);
        // Signed again: the page no longer says France's signature is withdrawn, only that the earlier ones were, and why.
        await Expect(notice).Not.ToContainTextAsync("Your signature");
        await Expect(notice).ToContainTextAsync("were withdrawn when António Costa (chair) changed the text");
    }

    /// <summary>Setting a coalition item back to "under discussion" asks first, saying what will happen; the chair can restore it.</summary>
    [Fact]
    public async Task LeavingTheCoalitionStateAsksFirstAndTheChairRestoresTheStatement()
    {
        var chair = await OpenAsync("chair", 1);
        await MakeItemOneAStatementAsync(chair);
        await Expect(chair.Page.Locator(".coalition .signatory-list > li")).ToHaveCountAsync(26);

        string? asked = null;
        chair.Page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            if (asked.Contains("ends its coalition statement", StringComparison.Ordinal) && asked.Length > 0 && dialog.Type == "confirm")
            {
                await dialog.AcceptAsync();
            }
        };
        await chair.Page.GetByLabel("Status").SelectOptionAsync("underDiscussion");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();

        await Expect(chair.Page.Locator(".item-chips")).ToContainTextAsync("Under discussion");
        Assert.Contains("its 26 signatures are archived", asked, StringComparison.Ordinal);
        await Expect(chair.Page.Locator(".coalition")).ToBeHiddenAsync();
        var restore = chair.Page.Locator(".coalition-restore");
        await Expect(restore).ToContainTextAsync("An earlier coalition statement is kept: 26 signatures");
        await restore.GetByRole(AriaRole.Button, new() { Name = "Restore the coalition statement" }).ClickAsync();
        await Expect(chair.Page.Locator(".coalition .signatory-list > li")).ToHaveCountAsync(26);
        await Expect(chair.Page.Locator(".coalition .coalition-wording")).ToHaveTextAsync("Firmly supported by 26 heads of state or government");
    }

    /// <summary>
    /// The chair restores a coalition whose text changed after it ended: the page says what the server says, that the 26
    /// signatures did not come back and why, not a bare "Restored." above an empty list of signatories.
    /// </summary>
    [Fact]
    public async Task RestoringACoalitionWhoseTextChangedTellsTheChairWhyNoSignatureCameBack()
    {
        var chair = await OpenAsync("chair", 1);
        await MakeItemOneAStatementAsync(chair);
        Assert.Equal(200, (await chair.FetchAsync("PUT", $"{M}/items/1/status", new { status = "notAgreed", confirm = true })).Status);
        await Expect(chair.Page.Locator(".item-chips")).ToContainTextAsync("Not agreed");
        await chair.TypeAtEndAsync(1, " Amended.");
        await chair.ExpectSavedAsync(1);

        var restore = chair.Page.Locator(".coalition-restore");
        await Expect(restore).ToContainTextAsync("An earlier coalition statement is kept: 26 signatures");
        await restore.GetByRole(AriaRole.Button, new() { Name = "Restore the coalition statement" }).ClickAsync();

        await Expect(chair.Page.Locator(".coalition .coalition-wording")).ToHaveTextAsync("Not yet supported by any head of state or government");
        await Expect(chair.Page.Locator(".coalition .form-message")).ToContainTextAsync("26 signatures were not restored, because the text is no longer the one signed");
    }

    /// <summary>Ukraine sees item I's outcome in words and its own row, never Hungary's stance or name as a blocker, until the chair opens the item.</summary>
    [Fact]
    public async Task UkraineSeesTheOutcomeButNoMemberStatesPositionUntilTheChairSharesThem()
    {
        var ukraine = await OpenAsync("ua", 1);
        var chair = await OpenAsync("chair", 1);

        var rows = ukraine.Page.Locator(".positions-table tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Ukraine");
        await Expect(ukraine.Page.Locator(".positions-withheld")).ToBeVisibleAsync();
        var tally = ukraine.Page.Locator(".tally");
        await Expect(tally.Locator(".tally-reason")).ToHaveTextAsync(new Regex("^(Not adopted: unanimity not reached|Not yet decided: the positions are still being given)$"));
        await Expect(tally).Not.ToContainTextAsync("Hungary");
        await Expect(tally).Not.ToContainTextAsync("Blocking");
        await Expect(ukraine.Page.Locator(".positions")).Not.ToContainTextAsync("Hungary");

        await chair.Page.GetByLabel("Share member positions with this item’s guests").CheckAsync();

        await Expect(ukraine.Page.Locator(".positions-table tbody tr[data-key='HU']")).ToHaveCountAsync(1);
        await Expect(ukraine.Page.Locator(".tally-blockers")).ToContainTextAsync("Hungary");
        await Expect(ukraine.Page.Locator(".positions-withheld")).ToBeHiddenAsync();
    }

    /// <summary>A link to an item the guest may not see says so, rather than show item I under item III's address.</summary>
    [Fact]
    public async Task AGuestFollowingALinkToAnItemItMayNotSeeIsToldItIsNotAvailable()
    {
        var uk = await OpenAsync("uk", 2);
        var itemThree = new Uri(Server.BaseAddress, $"/#/meetings/1/items/3").ToString();

        await uk.Page.GotoAsync(itemThree);

        await Expect(uk.Page.Locator(".item-unavailable")).ToContainTextAsync("This item is not available to you");
        await Expect(uk.Page.Locator(".editor-draft")).ToHaveCountAsync(0);
        Assert.EndsWith("/items/3", uk.Page.Url, StringComparison.Ordinal);
    }

    /// <summary>Hungary's own row is first, with its stance controls; constructive abstention is offered only on the Art. 31(1) item.</summary>
    [Fact]
    public async Task HungarysOwnStanceIsPinnedFirstAndConstructiveAbstentionIsOfferedOnlyUnderArticle31()
    {
        var hungary = await OpenAsync("hu", 1);

        var first = hungary.Page.Locator(".positions-table tbody tr").First;
        await Expect(first).ToHaveAttributeAsync("data-key", "HU");
        await Expect(first).ToContainTextAsync("Your delegation");
        await Expect(first.GetByLabel("Your stance")).ToBeVisibleAsync();
        var box = await first.BoundingBoxAsync();
        Assert.True(box!.Y < 900 * 2, $"Hungary's row starts at {box.Y} px");
        await Expect(first.Locator("option[value='abstainConstructively']")).ToBeDisabledAsync();

        await hungary.OpenItemAsync(4);
        var own = hungary.Page.Locator(".positions-table tbody tr").First;
        await Expect(own).ToHaveAttributeAsync("data-key", "HU");
        await Expect(own.Locator("option[value='abstainConstructively']")).ToBeEnabledAsync();
    }

    /// <summary>The export says which items it left out, at the top of the panel, under the button.</summary>
    [Fact]
    public async Task TheExportNamesTheItemsItLeftOutRightUnderItsButton()
    {
        var secretariat = await OpenAsync("secretariat", 5);

        await secretariat.Page.RunAndWaitForDownloadAsync(() =>
            secretariat.Page.GetByRole(AriaRole.Button, new() { Name = "Export conclusions" }).ClickAsync());

        var leftOut = secretariat.Page.Locator(".export-result .export-left-out");
        await Expect(leftOut).ToContainTextAsync("Left out: item I (under discussion), item II (under discussion), item III (under discussion), item IV (under discussion).");
        var result = await secretariat.Page.Locator(".export-result").BoundingBoxAsync();
        var button = await secretariat.Page.GetByRole(AriaRole.Button, new() { Name = "Export conclusions" }).BoundingBoxAsync();
        var trace = await secretariat.Page.GetByText("Trace a leaked copy").First.BoundingBoxAsync();
        Assert.True(result!.Y > button!.Y && result.Y < trace!.Y, "the result sits right under the export button");
    }
}
