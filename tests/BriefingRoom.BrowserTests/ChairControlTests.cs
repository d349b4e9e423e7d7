using BriefingRoom.BrowserTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BriefingRoom.BrowserTests;

public class ChairControlTests : RoomTest
{
    [Fact]
    public async Task WhenTheChairLocksAnItemTheDelegatesEditorTurnsReadOnlyAtOnceAndAForcedEditIsRefused()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);
        var before = Server.StoredDraft(1);

        await chair.Page.GetByLabel("Reason for locking (everyone sees it)").FillAsync("Legal-linguistic check");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();

        await Expect(france.Draft(1)).ToHaveAttributeAsync("aria-readonly", "true", new() { Timeout = 1_000 });
        await Expect(france.Page.Locator(".editor-draft .editor-notice")).ToContainTextAsync("Locked by António Costa (chair): Legal-linguistic check");
        await Expect(france.Page.Locator(".item-chips")).ToContainTextAsync("Locked");

        var forced = await france.FetchAsync("POST", "/api/meetings/1/texts/draft:1/operations",
            new { documentId = "draft:1", baseRevision = 0, clientOpId = "forced-1", operation = new object[] { "Forced. ", before.Length } });
        Assert.Equal(409, forced.Status);
        Assert.Contains("locked", forced.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, Server.StoredDraft(1));

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
        await Expect(france.Draft(1)).Not.ToHaveAttributeAsync("aria-readonly", "true");
    }

    [Fact]
    public async Task WhenTheChairClosesTheMeetingEveryScreenFreezesSayingWhyAndReopeningThawsIt()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);
        var before = Server.StoredDraft(1);
        // A delegate has nothing to close: the panel appears for them only once the meeting is closed.
        await Expect(france.Page.Locator(".meeting-status")).ToBeHiddenAsync();

        string? asked = null;
        chair.Page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" }).ClickAsync();

        Assert.Contains("Nothing in it will change any more", asked, StringComparison.Ordinal);
        await Expect(france.Draft(1)).ToHaveAttributeAsync("aria-readonly", "true");
        await Expect(france.Page.Locator(".editor-draft .editor-notice")).ToContainTextAsync("The meeting is closed");
        await Expect(france.Page.Locator(".meeting-status")).ToContainTextAsync("The meeting is closed");
        await Expect(france.Page.Locator(".meeting-facts")).ToContainTextAsync("Closed");
        // The chair's own controls go: nothing on an item can be changed before the meeting is reopened.
        await Expect(chair.Page.Locator(".chair-controls")).ToBeHiddenAsync();
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Move item I down" })).ToHaveCountAsync(0);
        await Expect(chair.Draft(1)).ToHaveAttributeAsync("aria-readonly", "true");

        var forced = await france.FetchAsync("POST", "/api/meetings/1/texts/draft:1/operations",
            new { documentId = "draft:1", baseRevision = 0, clientOpId = "closed-1", operation = new object[] { "Forced. ", before.Length } });
        Assert.Equal(409, forced.Status);
        Assert.Contains("The meeting is closed", forced.Body, StringComparison.Ordinal);
        Assert.Equal(before, Server.StoredDraft(1));

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Reopen the meeting" }).ClickAsync();
        await Expect(france.Draft(1)).Not.ToHaveAttributeAsync("aria-readonly", "true");
        await Expect(france.Page.Locator(".meeting-status")).ToBeHiddenAsync();
        await Expect(chair.Page.Locator(".chair-controls")).ToBeVisibleAsync();
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Move item I down" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// The chair's panel said "Closed. Nothing in the meeting changes until you reopen it." under a "Close the meeting…"
    /// button after another chair (here an administrator) had reopened it: the answer to the chair's own click outlived
    /// the state it described.
    /// </summary>
    [Fact]
    public async Task TheChairsCloseAnswerGoesWhenAnotherChairReopensTheMeeting()
    {
        var chair = await OpenAsync("chair", 1);
        var admin = await OpenAsync("admin", 1);
        chair.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var message = chair.Page.Locator(".meeting-status .form-message");

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" }).ClickAsync();
        await Expect(message).ToHaveTextAsync("Closed. Nothing in the meeting changes until you reopen it.");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Reopen the meeting" }).ClickAsync();

        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" })).ToBeVisibleAsync();
        await Expect(message).ToHaveTextAsync("");
    }

    /// <summary>
    /// The answer to the chair's close came after the room had heard of the closing and of another chair's reopening
    /// since: the panel said "Closed. Nothing in the meeting changes until you reopen it." under "Close the meeting…".
    /// </summary>
    [Fact]
    public async Task ACloseAnswerThatArrivesAfterAnotherChairReopenedTheMeetingIsNotShown()
    {
        var chair = await OpenAsync("chair", 1);
        var admin = await OpenAsync("admin", 1);
        chair.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var message = chair.Page.Locator(".meeting-status .form-message");
        // When the page is done with the close's answer (a task after reading it: the panel has drawn it by then).
        await chair.CountAnswersAsync("meetingAnswers", "(response, body) => response.url.endsWith('/api/meetings/1') && body?.status === 'closed'");
        // The server closes the meeting (and the room hears of it); only its answer to the chair is late.
        var held = await HeldAnswers.OnAsync(chair.Page, "**/api/meetings/1", "PUT");

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" }).ClickAsync();
        await held.Answered;
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Reopen the meeting" }).ClickAsync();
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" })).ToBeVisibleAsync();

        held.Release();
        await chair.Page.WaitForFunctionAsync("() => window.meetingAnswers === 1");
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" })).ToBeVisibleAsync();
        await Expect(message).ToHaveTextAsync("");
    }

    /// <summary>
    /// The room's event that the item locked can reach the chair's page before the answer to "Lock item": the "Unlock" it
    /// drew, with the keyboard on it, ignored a press until that answer came (one action at a time), so the chair's quick
    /// change of mind was dropped without a word and the item stayed locked. It waits for the answer, then takes the
    /// keyboard and works.
    /// </summary>
    [Fact]
    public async Task UnlockDrawnBeforeTheAnswerToLockWaitsForItThenTakesTheKeyboard()
    {
        var chair = await OpenAsync("chair", 1);
        var held = await HeldAnswers.OnAsync(chair.Page, "**/items/1/lock", "POST");
        var reason = chair.Page.GetByLabel("Reason for locking (everyone sees it)");
        await reason.FillAsync("Legal-linguistic check");
        await reason.PressAsync("Enter");

        var unlock = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Unlock" });
        await Expect(unlock).ToBeVisibleAsync();
        await Expect(unlock).ToBeDisabledAsync();

        held.Release();
        await Expect(unlock).ToBeEnabledAsync();
        await Expect(unlock).ToBeFocusedAsync();
        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" })).ToBeFocusedAsync();
        await Expect(chair.Page.Locator(".chair-controls .form-message")).ToHaveTextAsync("Unlocked.");
    }

    /// <summary>
    /// The chair's controls run one action at a time, and the others used to stay enabled while one was on its way: a
    /// "Lock item" pressed while a status change waited for the server was dropped without a word, and the item stayed
    /// unlocked. They are disabled until the answer, then work.
    /// </summary>
    [Fact]
    public async Task WhileAStatusChangeIsOnItsWayTheLockWaitsForItVisibly()
    {
        var chair = await OpenAsync("chair", 1);
        var held = await HeldRequests.OnAsync(chair.Page, "**/items/1/status");
        var setStatus = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" });
        var lockItem = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" });
        await chair.Page.GetByLabel("Status").SelectOptionAsync("notAgreed");
        await setStatus.ClickAsync();
        await held.Requested;

        await Expect(lockItem).ToBeDisabledAsync();
        await Expect(setStatus).ToBeDisabledAsync();

        held.Release();
        var message = chair.Page.Locator(".chair-controls .form-message");
        await Expect(message).ToContainTextAsync("Status set to");
        await Expect(lockItem).ToBeEnabledAsync();
        await lockItem.ClickAsync();
        await Expect(message).ToHaveTextAsync("Locked. The texts are read-only for everyone.");
    }

    /// <summary>And "Set status" while a lock is on its way: disabled, not a press dropped.</summary>
    [Fact]
    public async Task WhileALockIsOnItsWaySetStatusWaitsForItVisibly()
    {
        var chair = await OpenAsync("chair", 1);
        var held = await HeldRequests.OnAsync(chair.Page, "**/items/1/lock");
        await chair.Page.GetByLabel("Reason for locking (everyone sees it)").FillAsync("Legal-linguistic check");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();
        await held.Requested;

        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" })).ToBeDisabledAsync();

        held.Release();
        await Expect(chair.Page.Locator(".chair-controls .form-message")).ToHaveTextAsync("Locked. The texts are read-only for everyone.");
        var unlock = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Unlock" });
        await Expect(unlock).ToBeEnabledAsync();
        await unlock.ClickAsync();
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" })).ToBeEnabledAsync();
    }

    /// <summary>
    /// The same order on closing the meeting: the room's event turned the button into "Reopen the meeting" before the
    /// answer came, and a press on it then was dropped. It is disabled until the answer, then has the keyboard back.
    /// </summary>
    [Fact]
    public async Task ReopenDrawnBeforeTheAnswerToCloseWaitsForIt()
    {
        var chair = await OpenAsync("chair", 1);
        var dialogs = new Dialogs(chair.Page) { Accept = true };
        var held = await HeldAnswers.OnAsync(chair.Page, "**/api/meetings/1", "PUT");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" }).FocusAsync();
        await chair.Page.Keyboard.PressAsync("Enter");
        await dialogs.NextAsync();

        var reopen = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Reopen the meeting" });
        await Expect(reopen).ToBeVisibleAsync();
        await Expect(reopen).ToBeDisabledAsync();

        held.Release();
        await Expect(reopen).ToBeEnabledAsync();
        await Expect(reopen).ToBeFocusedAsync();
        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ADelegateNeitherSeesChairControlsNorCanForceThem()
    {
        var hungary = await OpenAsync("hu", 1);

        await Expect(hungary.Page.Locator(".chair-controls")).ToHaveCountAsync(0);
        await Expect(hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Move item I down" })).ToHaveCountAsync(0);
        await Expect(hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" })).ToHaveCountAsync(0);
        await Expect(hungary.Page.Locator(".positions .link-button")).ToHaveCountAsync(0);

        var lockItem = await hungary.FetchAsync("POST", "/api/meetings/1/items/1/lock", new { reason = "Hungary says so" });
        Assert.Equal(403, lockItem.Status);
        var reorder = await hungary.FetchAsync("PUT", "/api/meetings/1/agenda/order", new { itemIds = new[] { 5, 4, 3, 2, 1 } });
        Assert.Equal(403, reorder.Status);
        var status = await hungary.FetchAsync("PUT", "/api/meetings/1/items/1/status", new { status = "agreed" });
        Assert.Equal(403, status.Status);
        var france = await hungary.FetchAsync("PUT", "/api/meetings/1/items/1/positions/FR", new { stance = "oppose", expectedVersion = 1 });
        Assert.Equal(403, france.Status);
    }

    [Fact]
    public async Task TheChairReordersTheAgendaWithTheKeyboardAndKeepsFocusOnTheItem()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);

        var down = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Move item I down" });
        await down.FocusAsync();
        await chair.Page.Keyboard.PressAsync("Enter");

        await Expect(france.Page.Locator(".agenda-list > li").Nth(1)).ToContainTextAsync("Ukraine: strategic interests");
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Move item II down" })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task AChairMadeSecretariatWhileOfflineNoLongerSeesTheChairsControlsOnceBack()
    {
        var chair = await OpenAsync("chair", 1);
        await Expect(chair.Page.Locator(".chair-controls")).ToHaveCountAsync(1);
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Move item I down" })).ToHaveCountAsync(1);

        await Server.StopAsync();
        await Expect(chair.Banner).ToContainTextAsync("Connection lost. Reconnecting");
        // The seat changes while the page cannot hear of it (an admin's change, seen by no open connection).
        await using (var db = new SqliteConnection($"Data Source={Server.DatabasePath}"))
        {
            await db.OpenAsync(Ct);
            await using var update = db.CreateCommand();
            update.CommandText = """
                UPDATE "Memberships" SET "Role" = 'Secretariat'
                WHERE "MeetingId" = 1 AND "UserId" = (SELECT "Id" FROM "AspNetUsers" WHERE "NormalizedEmail" = 'CHAIR@BRIEFING.EXAMPLE')
                """;
            Assert.Equal(1, await update.ExecuteNonQueryAsync(Ct));
        }

        SqliteConnection.ClearAllPools();
        Server.Restart();
        await Expect(chair.Banner).ToContainTextAsync("Back online and up to date", new() { Timeout = 20_000 });

        await Expect(chair.Page.Locator(".chair-controls")).ToHaveCountAsync(0);
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" })).ToHaveCountAsync(0);
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Move item I down" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ALongLockReasonIsKeptWholeNotCutAtFiveHundredCharacters()
    {
        var chair = await OpenAsync("chair", 1);
        // Within the server's limit for a reason (2,000 characters), as a legal note pasted in may be.
        var reason = string.Concat(Enumerable.Repeat("Legal-linguistic check of paragraphs 3 to 7 pending. ", 14)).Trim();
        Assert.InRange(reason.Length, 501, 2_000);

        var input = chair.Page.GetByLabel("Reason for locking (everyone sees it)");
        await input.FocusAsync();
        await chair.Page.Keyboard.InsertTextAsync(reason);
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();

        await Expect(chair.Page.Locator(".lock-state")).ToContainTextAsync(reason);
        var (status, room) = await chair.FetchAsync("GET", "/api/meetings/1", null);
        Assert.Equal(200, status);
        Assert.Contains($"\"reason\":\"{reason}\"", room, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADoubleClickOnLockLocksOnceAndShowsNoError()
    {
        var chair = await OpenAsync("chair", 1);
        var message = chair.Page.Locator(".chair-controls .form-message");

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).DblClickAsync();

        await Expect(chair.Page.Locator(".lock-state")).ToContainTextAsync("Locked by");
        await Expect(message).ToHaveTextAsync("Locked. The texts are read-only for everyone.");
        await Expect(message).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("tone-text-bad"));
    }

    [Fact]
    public async Task ADoubleClickOnMoveDownMovesTheItemAndShowsNoError()
    {
        var chair = await OpenAsync("chair", 1);

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Move item I down" }).DblClickAsync();

        await Expect(chair.Page.Locator(".agenda-list > li").Nth(1)).ToContainTextAsync("Ukraine: strategic interests");
        await Expect(chair.Page.Locator(".agenda .form-error")).ToBeHiddenAsync();
    }

    /// <summary>
    /// Ending a coalition statement asks the chair first. A chair who answered "Cancel" was shown the question again as a
    /// red error, and the status control went on saying the status the chair had just declined, not the item's.
    /// </summary>
    [Fact]
    public async Task DecliningToEndACoalitionStatementLeavesTheStatusAsItIsAndShowsNoError()
    {
        var chair = await OpenAsync("chair", 1);
        var status = chair.Page.GetByLabel("Status");
        await status.SelectOptionAsync("notAgreed");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Coalition of the willing…" }).ClickAsync();
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Make it a coalition statement" }).ClickAsync();
        await Expect(status).ToHaveValueAsync("coalition");
        string? asked = null;
        chair.Page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.DismissAsync();
        };

        await status.SelectOptionAsync("underDiscussion");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();

        var message = chair.Page.Locator(".chair-controls .form-message");
        await Expect(message).ToHaveTextAsync("Nothing changed: item I stays a coalition statement.");
        Assert.NotNull(asked);
        await Expect(message).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("tone-text-bad"));
        await Expect(status).ToHaveValueAsync("coalition");
        await Expect(chair.Page.Locator(".item-chips")).ToContainTextAsync("Coalition of the willing");
        await Expect(chair.Page.Locator(".coalition .signatory-list > li")).ToHaveCountAsync(26);
    }

    /// <summary>
    /// The answer to the chair's own action stayed under the controls whatever happened next: "Locked. The texts are
    /// read-only for everyone." went on showing under an item the chair's colleague had since unlocked.
    /// </summary>
    [Fact]
    public async Task TheAnswerToALockGoesOnceSomeoneElseUnlocksTheItem()
    {
        var chair = await OpenAsync("chair", 1);
        var message = chair.Page.Locator(".chair-controls .form-message");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();
        await Expect(message).ToHaveTextAsync("Locked. The texts are read-only for everyone.");

        var (status, body) = await chair.FetchAsync("DELETE", "/api/meetings/1/items/1/lock", null);
        Assert.True(status == 200, $"{status}: {body}");

        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" })).ToBeVisibleAsync();
        await Expect(message).ToHaveTextAsync("");
    }

    /// <summary>
    /// The answer to the chair's lock came after the room had heard of the lock and of a colleague's unlock since: the
    /// controls said "Locked. The texts are read-only for everyone." under the Lock form, until the item next changed.
    /// </summary>
    [Fact]
    public async Task ALockAnswerThatArrivesAfterSomeoneElseUnlockedTheItemIsNotShown()
    {
        var chair = await OpenAsync("chair", 1);
        var message = chair.Page.Locator(".chair-controls .form-message");
        // When the page is done with the lock's answer (a task after reading it: the panel has drawn it by then).
        await chair.CountAnswersAsync("lockAnswers", "(response, body) => response.url.endsWith('/items/1/lock')");
        // The server locks the item (and the room hears of it); only its answer to the chair is late.
        var held = await HeldAnswers.OnAsync(chair.Page, "**/api/meetings/1/items/1/lock", "POST");

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();
        await held.Answered;
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Unlock" })).ToBeVisibleAsync();
        var (status, body) = await chair.FetchAsync("DELETE", "/api/meetings/1/items/1/lock", null);
        Assert.True(status == 200, $"{status}: {body}");
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" })).ToBeVisibleAsync();

        held.Release();
        await chair.Page.WaitForFunctionAsync("() => window.lockAnswers === 1");
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" })).ToBeVisibleAsync();
        await Expect(message).ToHaveTextAsync("");
    }

    /// <summary>
    /// A status change refused because a colleague changed the item while the request was on its way (the version
    /// moved) left the Status control showing the refused status, under an item that never took it, until the item's
    /// status changed some other way.
    /// </summary>
    [Fact]
    public async Task AStatusChangeRefusedBecauseTheItemMovedMeanwhileShowsTheItemsStatusAgain()
    {
        var chair = await OpenAsync("chair", 1);
        var status = chair.Page.GetByLabel("Status");
        var shown = await status.InputValueAsync();
        await chair.Page.RouteAsync("**/api/meetings/1/items/1/status", async route =>
        {
            // The colleague's lock and unlock land before the chair's request: each moves the item's version on.
            Assert.Equal(200, (await chair.FetchAsync("POST", "/api/meetings/1/items/1/lock", new { reason = "A check" })).Status);
            Assert.Equal(200, (await chair.FetchAsync("DELETE", "/api/meetings/1/items/1/lock", null)).Status);
            await route.ContinueAsync();
        });

        await status.SelectOptionAsync("agreed");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();

        var message = chair.Page.Locator(".chair-controls .form-message");
        await Expect(message).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("tone-text-bad"));
        await Expect(message).ToContainTextAsync("Nothing changed");
        await Expect(status).ToHaveValueAsync(shown);
        await Expect(chair.Page.Locator(".item-chips")).Not.ToContainTextAsync("Agreed");
    }
}
