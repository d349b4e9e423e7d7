using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;
using BriefingRoom.Versions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.BrowserTests;

/// <summary>Named versions compared word by word, and a silence procedure's countdown broken by a delegation, as people see them.</summary>
public class VersionsAndSilenceTests : RoomTest
{
    [Fact]
    public async Task TheSecretariatSavesTwoVersionsAndADelegateComparesThemWordByWord()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var france = await OpenAsync("fr", 3);
        var versions = secretariat.Page.Locator("section.versions");

        await versions.GetByLabel("Name of the version").FillAsync("before the tour de table");
        await versions.GetByRole(AriaRole.Button, new() { Name = "Save as version" }).ClickAsync();
        await Expect(versions.Locator(".version")).ToHaveCountAsync(1);
        // France's list follows live.
        var frenchVersions = france.Page.Locator("section.versions");
        await Expect(frenchVersions.Locator(".version-label")).ToHaveTextAsync(["REV 1"]);

        await france.TypeAtEndAsync(3, " ALPHA");
        await france.ExpectSavedAsync(3);
        await versions.GetByLabel("Name of the version").FillAsync("compromise after the tour de table");
        await versions.GetByRole(AriaRole.Button, new() { Name = "Save as version" }).ClickAsync();
        await Expect(frenchVersions.Locator(".version-label")).ToHaveTextAsync(["REV 1", "REV 2"]);

        await frenchVersions.GetByLabel("Compare from").SelectOptionAsync("1");
        await frenchVersions.GetByLabel("Compare with").SelectOptionAsync("2");
        await frenchVersions.GetByRole(AriaRole.Button, new() { Name = "Compare", Exact = true }).ClickAsync();
        await Expect(frenchVersions.Locator(".versions-diff-summary"))
            .ToHaveTextAsync("From REV 1 – before the tour de table to REV 2 – compromise after the tour de table: 1 word inserted, 0 words deleted.");
        await Expect(frenchVersions.Locator(".versions-diff ins")).ToHaveTextAsync(new Regex("^\\[inserted: +ALPHA\\]$"));
        await Expect(frenchVersions.Locator(".versions-diff del")).ToHaveCountAsync(0);

        // A version against the text now: France's later word shows as inserted.
        await france.TypeAtEndAsync(3, " OMEGA");
        await france.ExpectSavedAsync(3);
        await frenchVersions.GetByRole(AriaRole.Button, new() { Name = "Compare with now (REV 2)" }).ClickAsync();
        await Expect(frenchVersions.Locator(".versions-diff ins")).ToHaveTextAsync(new Regex("^\\[inserted: +OMEGA\\]$"));
    }

    /// <summary>
    /// France pressed "Compare with now" on REV 1, then, before that answer came, on REV 2: the answers came back in the
    /// other order and the panel showed REV 1's comparison under choices that said REV 2, the last answer winning rather
    /// than the last question. The panel now shows the comparison last asked for.
    /// </summary>
    [Fact]
    public async Task ASlowComparisonAnsweredAfterALaterOneDoesNotReplaceIt()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var france = await OpenAsync("fr", 3);
        Assert.Equal(200, (await secretariat.FetchAsync("POST", "/api/meetings/1/items/3/versions", new { name = "before" })).Status);
        await secretariat.TypeAtEndAsync(3, " ALPHA");
        await secretariat.ExpectSavedAsync(3);
        Assert.Equal(200, (await secretariat.FetchAsync("POST", "/api/meetings/1/items/3/versions", new { name = "after" })).Status);
        var versions = france.Page.Locator("section.versions");
        await Expect(versions.Locator(".version-label")).ToHaveTextAsync(["REV 1", "REV 2"]);

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource<Microsoft.Playwright.IResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await france.Page.RouteAsync(new Regex("/versions/compare\\?from=1&"), async route =>
        {
            var answer = await route.FetchAsync();
            await release.Task;
            await route.FulfillAsync(new() { Response = answer });
        });
        france.Page.Response += (_, response) =>
        {
            if (response.Url.Contains("/versions/compare?from=1&", StringComparison.Ordinal))
            {
                held.TrySetResult(response);
            }
        };

        await versions.GetByRole(AriaRole.Button, new() { Name = "Compare with now (REV 1)" }).ClickAsync();
        await versions.GetByRole(AriaRole.Button, new() { Name = "Compare with now (REV 2)" }).ClickAsync();
        var summary = versions.Locator(".versions-diff-summary");
        await Expect(summary).ToHaveTextAsync("REV 2 – after and Current text are the same text.");

        release.SetResult();
        await (await held.Task)!.FinishedAsync();
        await france.Page.EvaluateAsync("() => new Promise((done) => requestAnimationFrame(() => done()))");
        await Expect(summary).ToHaveTextAsync("REV 2 – after and Current text are the same text.");
        await Expect(versions.GetByLabel("Compare from")).ToHaveValueAsync("2");
    }

    /// <summary>
    /// The secretariat saved REV 1 and REV 2 in quick succession: France's panel read its list once for each, and when the
    /// first answer (REV 1 alone) came back after the second, the list lost REV 2 until the next version was saved. The
    /// list now shows the last one asked for.
    /// </summary>
    [Fact]
    public async Task AListAnsweredLateDoesNotHideAVersionSavedSince()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var france = await OpenAsync("fr", 3);
        var versions = france.Page.Locator("section.versions");
        await Expect(versions.Locator(".versions-list")).ToHaveTextAsync("No version saved yet.");

        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource<Microsoft.Playwright.IResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = 0;
        await france.Page.RouteAsync(new Regex("/api/meetings/1/items/3/versions$"), async route =>
        {
            if (route.Request.Method != "GET" || Interlocked.Increment(ref reads) != 1)
            {
                await route.ContinueAsync();
                return;
            }

            var answer = await route.FetchAsync();
            firstRead.SetResult();
            await release.Task;
            await route.FulfillAsync(new() { Response = answer });
        });

        Assert.Equal(200, (await secretariat.FetchAsync("POST", "/api/meetings/1/items/3/versions", new { name = "before" })).Status);
        await firstRead.Task;
        Assert.Equal(200, (await secretariat.FetchAsync("POST", "/api/meetings/1/items/3/versions", new { name = "after" })).Status);
        await Expect(versions.Locator(".version-label")).ToHaveTextAsync(["REV 1", "REV 2"]);

        // Only the read held back is still to be answered.
        france.Page.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/items/3/versions", StringComparison.Ordinal) && response.Request.Method == "GET")
            {
                held.TrySetResult(response);
            }
        };
        release.SetResult();
        await (await held.Task)!.FinishedAsync();
        await france.Page.EvaluateAsync("() => new Promise((done) => requestAnimationFrame(() => done()))");
        await Expect(versions.Locator(".version-label")).ToHaveTextAsync(["REV 1", "REV 2"]);
    }

    /// <summary>
    /// Every version's buttons were named alike, "Compare with now" and "Export this version": a screen reader listing
    /// the buttons read them over and over without saying which version each one acts on. Each now names its version.
    /// </summary>
    [Fact]
    public async Task EachVersionsButtonsNameTheirVersionForAScreenReader()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var versions = secretariat.Page.Locator("section.versions");
        foreach (var name in new[] { "before the tour de table", "after the tour de table" })
        {
            await versions.GetByLabel("Name of the version").FillAsync(name);
            await versions.GetByRole(AriaRole.Button, new() { Name = "Save as version" }).ClickAsync();
            await Expect(versions.Locator(".version").Filter(new() { HasText = name })).ToHaveCountAsync(1);
        }

        foreach (var label in new[] { "REV 1", "REV 2" })
        {
            await Expect(versions.GetByRole(AriaRole.Button, new() { Name = $"Compare with now ({label})", Exact = true })).ToHaveCountAsync(1);
            await Expect(versions.GetByRole(AriaRole.Button, new() { Name = $"Export this version ({label})", Exact = true })).ToHaveCountAsync(1);
        }
    }

    /// <summary>
    /// The list is drawn anew whenever anyone saves a version: a keyboard user on a version's "Compare with now" or
    /// "Export this version" lost the focus to the top of the page each time a colleague saved one.
    /// </summary>
    [Fact]
    public async Task AVersionSavedByAColleagueLeavesTheKeyboardOnTheVersionsButton()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var chair = await OpenAsync("chair", 3);
        Assert.Equal(200, (await secretariat.FetchAsync("POST", "/api/meetings/1/items/3/versions", new { name = "before" })).Status);
        var versions = chair.Page.Locator("section.versions");
        var export = versions.GetByRole(AriaRole.Button, new() { Name = "Export this version (REV 1)", Exact = true });
        await export.FocusAsync();

        Assert.Equal(200, (await secretariat.FetchAsync("POST", "/api/meetings/1/items/3/versions", new { name = "after" })).Status);

        await Expect(versions.Locator(".version-label")).ToHaveTextAsync(["REV 1", "REV 2"]);
        await Expect(export).ToBeFocusedAsync();
    }

    [Fact]
    public async Task ADelegationBreaksTheSilenceCountdownAndTheChairSeesWhoAndWhy()
    {
        var chair = await OpenAsync("chair", 3);
        var france = await OpenAsync("fr", 3);
        var hungary = await OpenAsync("hu", 3);

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();

        // Every member delegation sees the countdown, and the draft frozen.
        var countdown = france.Page.Locator(".silence-countdown");
        await Expect(countdown).ToHaveTextAsync(new Regex("^(23 h 5\\d min|1 d 0 h 00 min)"));
        var first = await countdown.TextContentAsync();
        await Expect(countdown).Not.ToHaveTextAsync(first!, new() { Timeout = 3_000 });
        await Expect(france.Draft(3)).ToHaveAttributeAsync("aria-readonly", "true");
        await Expect(hungary.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
        await Expect(chair.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence" })).ToHaveCountAsync(0);
        // The procedure decides the item: the chair is not offered a lock the server would refuse.
        var lockItem = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" });
        await Expect(lockItem).ToBeDisabledAsync();

        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence" }).ClickAsync();
        await hungary.Page.GetByLabel("Why your delegation breaks silence").FillAsync("Hungary cannot accept the transfer of frozen assets.");
        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence now" }).ClickAsync();

        var outcome = chair.Page.Locator(".silence-broken");
        await Expect(outcome).ToContainTextAsync("Silence was broken by Hungary");
        await Expect(outcome.Locator(".silence-reason")).ToHaveTextAsync("Hungary cannot accept the transfer of frozen assets.");
        await Expect(chair.Page.Locator(".silence-countdown")).ToHaveCountAsync(0);
        await Expect(lockItem).ToBeEnabledAsync();
        await Expect(france.Page.Locator(".silence-broken")).ToContainTextAsync("Hungary");
        await Expect(france.Draft(3)).Not.ToHaveAttributeAsync("aria-readonly", "true");
    }

    /// <summary>
    /// Denmark does not take part in item V (its opt-out): silence there is a tacit unanimity it is not counted in, and the
    /// server refuses its objection. The page offered it "Break silence" all the same, to end in that refusal.
    /// </summary>
    [Fact]
    public async Task AMemberStateNotTakingPartInTheItemIsNotOfferedToBreakSilence()
    {
        var chair = await OpenAsync("chair", 5);
        var denmark = await OpenAsync("dk", 5);
        var hungary = await OpenAsync("hu", 5);
        Assert.Equal(200, (await chair.FetchAsync("PUT", "/api/meetings/1/items/5/status", new { status = "underDiscussion" })).Status);
        int version;
        using (var scope = Server.Services.CreateScope())
        {
            version = scope.ServiceProvider.GetRequiredService<BriefingRoom.Data.BriefingDb>().Positions.SingleOrDefault(p => p.ItemId == 5 && p.DelegationCode == "DK")?.Version ?? 0;
        }

        Assert.Equal(200, (await denmark.FetchAsync("PUT", "/api/meetings/1/items/5/positions/DK", new { stance = "notTakingPart", expectedVersion = version })).Status);

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();

        await Expect(hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence" })).ToBeVisibleAsync();
        await Expect(denmark.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
        await Expect(denmark.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence" })).ToHaveCountAsync(0);
    }

    /// <summary>
    /// "Cancel the procedure" sits beside the countdown and ended the procedure at the first press: a slip of the mouse
    /// threw away the deadline every capital had been told of. The chair is asked first; "Cancel" in the question keeps it.
    /// </summary>
    [Fact]
    public async Task TheChairIsAskedBeforeCancellingTheSilenceProcedure()
    {
        var chair = await OpenAsync("chair", 3);
        var france = await OpenAsync("fr", 3);
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        await Expect(france.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
        var dialogs = new Dialogs(chair.Page) { Accept = false };
        var cancel = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel the procedure" });

        await cancel.ClickAsync();

        Assert.StartsWith("Cancel the silence procedure?", await dialogs.NextAsync(), StringComparison.Ordinal);
        await Expect(cancel).ToBeEnabledAsync();
        Assert.Equal(1, await CountAsync<BriefingRoom.Silence.SilenceProcedure>(s => s.ItemId == 3 && s.State == BriefingRoom.Silence.SilenceState.Open));

        dialogs.Accept = true;
        await cancel.ClickAsync();

        await dialogs.NextAsync();
        await Expect(france.Page.Locator(".silence-outcome")).ToContainTextAsync("The chair cancelled the silence procedure");
        await Expect(france.Draft(3)).Not.ToHaveAttributeAsync("aria-readonly", "true");
        Assert.Equal(0, await CountAsync<BriefingRoom.Silence.SilenceProcedure>(s => s.ItemId == 3 && s.State == BriefingRoom.Silence.SilenceState.Open));
    }

    /// <summary>
    /// The room's event that the procedure opened can reach the chair's page before the server's answer. The banner it drew
    /// offered "Cancel the procedure" enabled, yet a press on it was dropped until that answer came (one action at a
    /// time). It is disabled until the answer, as the rest of the panel is, and usable after.
    /// </summary>
    [Fact]
    public async Task TheBannerDrawnBeforeTheChairsAnswerWaitsForIt()
    {
        var chair = await OpenAsync("chair", 3);
        var held = await HeldAnswers.OnAsync(chair.Page, "**/items/3/silence", "POST");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();

        await Expect(chair.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
        var cancel = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel the procedure" });
        await Expect(cancel).ToBeDisabledAsync();

        held.Release();
        await Expect(cancel).ToBeEnabledAsync();
        var dialogs = new Dialogs(chair.Page) { Accept = true };
        await cancel.ClickAsync();
        await dialogs.NextAsync();
        await Expect(chair.Page.Locator(".silence-outcome")).ToContainTextAsync("The chair cancelled the silence procedure");
    }

    /// <summary>
    /// The name field stays usable while a version is saved: the next version's name, typed meanwhile, was wiped when the
    /// answer came.
    /// </summary>
    [Fact]
    public async Task TheNextVersionsNameTypedWhileOneIsSavedIsKept()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var versions = secretariat.Page.Locator("section.versions");
        var held = await HeldAnswers.OnAsync(secretariat.Page, "**/api/meetings/1/items/3/versions", "POST");
        var named = versions.GetByLabel("Name of the version");

        await named.FillAsync("before the tour de table");
        await versions.GetByRole(AriaRole.Button, new() { Name = "Save as version" }).ClickAsync();
        await held.Answered;
        await named.FillAsync("after the tour de table");
        held.Release();

        await Expect(versions.Locator(".versions-status")).ToHaveTextAsync("Saved REV 1.");
        await Expect(named).ToHaveValueAsync("after the tour de table");
    }

    /// <summary>
    /// The secretariat double-clicks "Save as version": the panel sent the form twice before the first answer, and the
    /// item had REV 1 and REV 2 of the same text under the same name, a REV number the conclusions would carry for nothing.
    /// </summary>
    [Fact]
    public async Task ADoubleClickOnSaveAsVersionSavesOneVersion()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var posts = Watch(secretariat, "POST", "/items/3/versions");
        var versions = secretariat.Page.Locator("section.versions");

        await versions.GetByLabel("Name of the version").FillAsync("before the tour de table");
        await versions.GetByRole(AriaRole.Button, new() { Name = "Save as version" }).DblClickAsync();

        await Expect(versions.Locator(".version-label").First).ToHaveTextAsync("REV 1");
        await AnsweredAsync(posts);
        Assert.Equal(1, await CountAsync<ItemVersion>(v => v.ItemId == 3));
        Assert.Single(posts);
        await Expect(versions.Locator(".version")).ToHaveCountAsync(1);
        await Expect(versions.Locator(".versions-status")).ToHaveTextAsync("Saved REV 1.");
    }

    /// <summary>
    /// The secretariat double-clicked "Export this version": the panel asked for the file twice, so the register of
    /// copies held two traced copies of REV 1 where one was handed out, and the file was downloaded twice. One press, one
    /// copy, as in the export panel.
    /// </summary>
    [Fact]
    public async Task ADoubleClickOnExportThisVersionMakesOneCopy()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var versions = secretariat.Page.Locator("section.versions");
        await versions.GetByLabel("Name of the version").FillAsync("before the tour de table");
        await versions.GetByRole(AriaRole.Button, new() { Name = "Save as version" }).ClickAsync();
        await Expect(versions.Locator(".versions-status")).ToHaveTextAsync("Saved REV 1.");
        var exports = Watch(secretariat, "GET", "/conclusions.pdf");

        await versions.GetByRole(AriaRole.Button, new() { Name = "Export this version (REV 1)" }).DblClickAsync();

        await Expect(versions.Locator(".versions-status")).ToContainTextAsync("Saved REV-1-item-3.pdf");
        await AnsweredAsync(exports);
        Assert.Single(exports);
        Assert.Equal(1, await CountAsync<BriefingRoom.Conclusions.ExportedCopy>(c => c.MeetingId == 1));
    }

    /// <summary>
    /// The secretariat types the last words of the compromise and presses "Save as version" before they have reached the
    /// server (here: the link is down, so that the order is certain; live, it is the few milliseconds of a round trip).
    /// The panel sent the save at once: the version was frozen without the words on the secretariat's screen, or, offline,
    /// nothing was saved at all. It now waits for the words to arrive, then saves the text that holds them.
    /// </summary>
    [Fact]
    public async Task AVersionSavedRightAfterTypingHoldsTheWordsTypedBeforeThePress()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var versions = secretariat.Page.Locator("section.versions");
        var before = Server.StoredDraft(3);

        await secretariat.Page.Context.SetOfflineAsync(true);
        await secretariat.TypeAtEndAsync(3, " FINAL");
        await versions.GetByLabel("Name of the version").FillAsync("final compromise");
        await versions.GetByRole(AriaRole.Button, new() { Name = "Save as version" }).ClickAsync();
        await Expect(versions.Locator(".versions-status")).ToHaveTextAsync("Saving once your last words have reached the server…");
        await secretariat.Page.Context.SetOfflineAsync(false);

        await Expect(versions.Locator(".versions-status")).ToHaveTextAsync("Saved REV 1.", new() { Timeout = 15_000 });
        await using var scope = Server.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var saved = await scope.ServiceProvider.GetRequiredService<BriefingRoom.Data.BriefingDb>().Set<ItemVersion>().SingleAsync(v => v.ItemId == 3, Ct);
        Assert.Equal(before + " FINAL", saved.Text);
    }

    /// <summary>
    /// The chair types a last correction into the draft and opens the silence procedure before it has reached the server
    /// (here the link is down, so that the order is certain; live, it is a round trip). The panel asked at once: the draft
    /// was put to silence without the correction, which the server then refused as an edit of a silenced text, so the
    /// chair's words were lost (offline, nothing opened at all). It now waits for them, then opens on the text that holds them.
    /// </summary>
    [Fact]
    public async Task SilenceOpenedRightAfterTypingPutsTheWordsTypedBeforeThePressToSilence()
    {
        var chair = await OpenAsync("chair", 3);
        var before = Server.StoredDraft(3);

        await chair.Page.Context.SetOfflineAsync(true);
        await chair.TypeAtEndAsync(3, " FINAL");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        await Expect(chair.Page.Locator(".silence-status")).ToHaveTextAsync("Opening once your last words have reached the server…");
        await chair.Page.Context.SetOfflineAsync(false);

        await Expect(chair.Page.Locator(".silence-countdown")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await using var scope = Server.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var procedure = await scope.ServiceProvider.GetRequiredService<BriefingRoom.Data.BriefingDb>().Set<BriefingRoom.Silence.SilenceProcedure>().SingleAsync(s => s.ItemId == 3, Ct);
        Assert.Equal(ItemVersion.HashOf(before + " FINAL"), procedure.TextSha256);
    }

    /// <summary>
    /// Hungary double-clicks "Break silence now": the second press reached the server after the first had broken silence,
    /// and Hungary's delegate read "Silence on item 3 was already broken by Hungary …" in place of its own success.
    /// </summary>
    [Fact]
    public async Task ADoubleClickOnBreakSilenceNowBreaksItOnceAndSaysSo()
    {
        var chair = await OpenAsync("chair", 3);
        var hungary = await OpenAsync("hu", 3);
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        await Expect(hungary.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
        var posts = Watch(hungary, "POST", "/items/3/silence/break");

        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence" }).ClickAsync();
        await hungary.Page.GetByLabel("Why your delegation breaks silence").FillAsync("Hungary cannot accept the transfer of frozen assets.");
        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence now" }).DblClickAsync();

        await Expect(hungary.Page.Locator(".silence-broken")).ToContainTextAsync("Silence was broken by Hungary");
        await AnsweredAsync(posts);
        Assert.Single(posts);
        await Expect(hungary.Page.Locator(".silence-status")).ToHaveTextAsync("Your delegation broke silence.");
    }

    /// <summary>
    /// Closing the meeting hid the chair's controls but left "Open silence procedure" under them, and every press was
    /// refused ("The meeting is closed"). It goes while the meeting is closed and comes back when it is reopened.
    /// </summary>
    [Fact]
    public async Task AClosedMeetingOffersTheChairNoSilenceProcedureUntilItIsReopened()
    {
        var chair = await OpenAsync("chair", 3);
        var openSilence = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" });
        await Expect(openSilence).ToBeVisibleAsync();
        chair.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Close the meeting…" }).ClickAsync();
        await Expect(chair.Page.Locator(".chair-controls")).ToBeHiddenAsync();
        await Expect(openSilence).ToHaveCountAsync(0);

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Reopen the meeting" }).ClickAsync();
        await Expect(openSilence).ToBeVisibleAsync();
    }

    /// <summary>
    /// An item not agreed, put to silence: the chair was offered "Coalition of the willing…", and making the statement was
    /// refused ("cancel the procedure first"). The controls say so instead, and offer it again once silence is broken.
    /// </summary>
    [Fact]
    public async Task AnItemUnderSilenceOffersTheChairNoCoalitionOfTheWillingUntilTheProcedureEnds()
    {
        var chair = await OpenAsync("chair", 3);
        var hungary = await OpenAsync("hu", 3);
        await chair.Page.Locator(".chair-controls").GetByLabel("Status").SelectOptionAsync("notAgreed");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();
        var coalition = chair.Page.GetByRole(AriaRole.Button, new() { Name = "Coalition of the willing…" });
        await Expect(coalition).ToBeVisibleAsync();

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        await Expect(chair.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
        await Expect(coalition).ToHaveCountAsync(0);
        await Expect(chair.Page.Locator(".coalition-hint")).ToContainTextAsync("A silence procedure runs");

        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence" }).ClickAsync();
        await hungary.Page.GetByLabel("Why your delegation breaks silence").FillAsync("Not before the legal basis is known.");
        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence now" }).ClickAsync();
        await Expect(coalition).ToBeVisibleAsync();
    }

    /// <summary>
    /// The deadline was shown as "12/5/2026, 12:49:00 PM", in each screen's own time zone and without naming it: a
    /// delegate whose laptop keeps Helsinki time read an hour that the chair in Brussels had not set, with nothing to say
    /// so, beside refusals that name UTC. Every deadline on the page now names its zone, and the chair's picker says
    /// which zone it reads in.
    /// </summary>
    /// <summary>
    /// A deadline the server refuses (more than its longest notice away) was said in the status line only: the field kept
    /// no mark, so a screen reader on it heard nothing wrong. It is now marked invalid, described by the reason, and
    /// focused; a deadline it accepts clears the mark.
    /// </summary>
    [Fact]
    public async Task ADeadlineTheServerRefusesIsMarkedOnTheFieldWithTheReason()
    {
        var chair = await OpenAsync("chair", 3);
        var field = chair.Page.GetByLabel("Deadline of the silence procedure", new() { Exact = false });
        await field.FillAsync(DateTime.Now.AddDays(60).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();

        await Expect(chair.Page.Locator(".silence-status")).ToContainTextAsync("The deadline may be at most");
        await Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(field).ToHaveAccessibleDescriptionAsync(new Regex("The deadline may be at most"));
        await Expect(field).ToBeFocusedAsync();

        await field.FillAsync(DateTime.Now.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        await Expect(chair.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheSilenceDeadlineNamesTheTimeZoneItIsShownIn()
    {
        var chair = await OpenAsync("chair", 3, timeZone: "Europe/Brussels");
        var finland = await OpenAsync("fi", 3, timeZone: "Europe/Helsinki");
        await Expect(chair.Page.Locator(".silence-open")).ToContainTextAsync("Europe/Brussels");

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        await Expect(finland.Page.Locator(".silence-countdown")).ToBeVisibleAsync();

        var listed = await finland.FetchAsync("GET", "/api/meetings/1/silences", null);
        var deadline = System.Text.Json.JsonDocument.Parse(listed.Body).RootElement[0].GetProperty("deadline").GetDateTimeOffset();
        string ZoneOf(string id)
        {
            var offset = TimeZoneInfo.FindSystemTimeZoneById(id).GetUtcOffset(deadline);
            return $"GMT+{offset.Hours}";
        }

        await Expect(finland.Page.Locator(".silence-banner")).ToContainTextAsync(ZoneOf("Europe/Helsinki"));
        await Expect(chair.Page.Locator(".silence-banner")).ToContainTextAsync(ZoneOf("Europe/Brussels"));
    }

    /// <summary>
    /// Between the deadline and the server's conclusion (a moment; longer on a screen whose clock runs ahead), the banner
    /// said "0 s left" and still offered "Break silence", which the server then refused ("The deadline passed…"). Past
    /// the deadline it now says so, and offers nothing the server would refuse. Hungary's clock is moved past the
    /// deadline here after its page read the server's clock (as time passing would); the server's is not, so the
    /// procedure is still open on the server.
    /// </summary>
    [Fact]
    public async Task PastTheDeadlineTheBannerSaysSoAndOffersNoBreak()
    {
        var chair = await OpenAsync("chair", 3);
        var hungary = await OpenAsync("hu", 3);
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        var banner = hungary.Page.Locator(".silence-banner");
        await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Break silence" })).ToBeVisibleAsync();

        var listed = await hungary.FetchAsync("GET", "/api/meetings/1/silences", null);
        var deadline = System.Text.Json.JsonDocument.Parse(listed.Body).RootElement[0].GetProperty("deadline").GetDateTimeOffset();
        await hungary.Page.Clock.InstallAsync();
        await hungary.Page.Clock.SetSystemTimeAsync(deadline.AddSeconds(2).UtcDateTime);

        await Expect(banner).ToContainTextAsync("has passed: silence can no longer be broken, and the outcome is on its way.");
        await Expect(banner.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(hungary.Page.Locator(".silence-countdown")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The countdown ran on the screen's own clock: a delegation whose laptop ran a day fast was told the deadline had
    /// passed and offered no "Break silence" the moment the chair opened the procedure, though the server would take its
    /// objection for a day yet (and a clock an hour off showed an hour too little or too much). The server's clock rules
    /// the deadline, so the page now counts down on it: how far the screen's clock is from the server's is read from the
    /// server's answers.
    /// </summary>
    [Fact]
    public async Task TheCountdownRunsOnTheServersClockNotTheScreens()
    {
        var chair = await OpenAsync("chair", 3);
        var hungary = await OpenAsync("hu", 3);
        await hungary.Page.Clock.InstallAsync(new() { TimeDate = DateTime.UtcNow.AddHours(25) });
        await hungary.Page.ReloadAsync();
        await Expect(hungary.Draft(3)).ToBeVisibleAsync();
        await Expect(hungary.Connection).ToContainTextAsync("Live");

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        await Expect(hungary.Page.Locator(".silence-countdown")).ToHaveTextAsync(new Regex("^(23 h 5\\d min|1 d 0 h 00 min)"));
        await Expect(hungary.Page.Locator(".silence-banner").GetByRole(AriaRole.Button, new() { Name = "Break silence" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// When a version was saved was shown as "12/4/2026, 1:20:00 PM", in the screen's own zone without naming it, beside
    /// deadlines that now name theirs: a delegation in Helsinki and the secretariat in Brussels read different hours for
    /// the same REV. Its time names its zone, as every other instant on the page.
    /// </summary>
    [Fact]
    public async Task AVersionsTimeNamesTheTimeZoneItIsShownIn()
    {
        var secretariat = await OpenAsync("secretariat", 3);
        var finland = await OpenAsync("fi", 3, timeZone: "Europe/Helsinki");
        var versions = secretariat.Page.Locator("section.versions");
        await versions.GetByLabel("Name of the version").FillAsync("before the tour de table");
        await versions.GetByRole(AriaRole.Button, new() { Name = "Save as version" }).ClickAsync();

        var offset = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki").GetUtcOffset(DateTimeOffset.UtcNow);
        await Expect(finland.Page.Locator("section.versions .version")).ToContainTextAsync($"GMT+{offset.Hours}");
    }

    /// <summary>
    /// A keyboard user who opened or broke silence was sent to the top of the page: the button pressed was redrawn away,
    /// and the focus went with it to the page's body. It stays in the procedure's section, on what took the button's place.
    /// </summary>
    [Fact]
    public async Task OpeningAndBreakingSilenceKeepTheKeyboardInTheProcedure()
    {
        var chair = await OpenAsync("chair", 3);
        var hungary = await OpenAsync("hu", 3);

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).FocusAsync();
        await chair.Page.Keyboard.PressAsync("Enter");
        await Expect(chair.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
        await Expect(chair.Page.Locator("section.silence .silence-banner")).ToBeFocusedAsync();

        await Expect(hungary.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence" }).FocusAsync();
        await hungary.Page.Keyboard.PressAsync("Enter");
        await hungary.Page.Keyboard.TypeAsync("Not before the legal basis is known.");
        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence now" }).FocusAsync();
        await hungary.Page.Keyboard.PressAsync("Enter");
        await Expect(hungary.Page.Locator(".silence-broken")).ToBeVisibleAsync();
        await Expect(hungary.Page.Locator("section.silence .silence-broken")).ToBeFocusedAsync();
    }

    /// <summary>
    /// A delegate who pressed "Break silence" by mistake had no way back: the toggle was gone, and the reason box and
    /// "Break silence now" stayed in front of them (and of the keyboard) for as long as the procedure ran. Escape, or
    /// "Keep silence", puts the form away and the keyboard back on "Break silence", and nothing is sent.
    /// </summary>
    [Fact]
    public async Task ADelegateWhoOpensTheBreakFormByMistakePutsItAwayWithEscape()
    {
        var chair = await OpenAsync("chair", 3);
        var hungary = await OpenAsync("hu", 3);
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        var toggle = hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence", Exact = true });
        var posts = Watch(hungary, "POST", "/items/3/silence/break");

        await toggle.FocusAsync();
        await hungary.Page.Keyboard.PressAsync("Enter");
        var reason = hungary.Page.GetByLabel("Why your delegation breaks silence");
        await Expect(reason).ToBeFocusedAsync();
        await hungary.Page.Keyboard.TypeAsync("On second thoughts");
        await hungary.Page.Keyboard.PressAsync("Escape");
        await Expect(reason).ToBeHiddenAsync();
        await Expect(toggle).ToBeFocusedAsync();

        await hungary.Page.Keyboard.PressAsync("Enter");
        await hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Keep silence" }).ClickAsync();
        await Expect(reason).ToBeHiddenAsync();
        await Expect(toggle).ToBeFocusedAsync();
        Assert.Empty(posts);
        await Expect(chair.Page.Locator(".silence-countdown")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Hungary's voting rights were suspended under Art. 7(3) TEU while silence ran: its delegate was still offered "Break
    /// silence", and breaking was refused. The button goes when the rights are suspended and comes back when restored.
    /// </summary>
    [Fact]
    public async Task ADelegationWhoseVotingRightsAreSuspendedMeanwhileIsNoLongerOfferedToBreakSilence()
    {
        var chair = await OpenAsync("chair", 3);
        var hungary = await OpenAsync("hu", 3);
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Open silence procedure" }).ClickAsync();
        var breakSilence = hungary.Page.GetByRole(AriaRole.Button, new() { Name = "Break silence" });
        await Expect(breakSilence).ToBeVisibleAsync();

        var suspended = await chair.FetchAsync("PUT", "/api/meetings/1/participants/HU", new { headOfDelegation = "Viktor Orbán", votingRightsSuspended = true, expectedVersion = 0 });
        Assert.True(suspended.Status == 200, suspended.Body);
        await Expect(breakSilence).ToHaveCountAsync(0);
        await Expect(hungary.Page.Locator(".silence-countdown")).ToBeVisibleAsync();

        var restored = await chair.FetchAsync("PUT", "/api/meetings/1/participants/HU", new { headOfDelegation = "Viktor Orbán", votingRightsSuspended = false, expectedVersion = 1 });
        Assert.True(restored.Status == 200, restored.Body);
        await Expect(breakSilence).ToBeVisibleAsync();
    }

    private static List<Microsoft.Playwright.IRequest> Watch(RoomPage person, string method, string pathEnd)
    {
        var seen = new List<Microsoft.Playwright.IRequest>();
        person.Page.Request += (_, request) =>
        {
            if (request.Method == method && new Uri(request.Url).AbsolutePath.EndsWith(pathEnd, StringComparison.Ordinal))
            {
                lock (seen)
                {
                    seen.Add(request);
                }
            }
        };
        return seen;
    }

    /// <summary>Every request seen so far has been answered, so that the server's state is final.</summary>
    private static async Task AnsweredAsync(List<Microsoft.Playwright.IRequest> seen)
    {
        Microsoft.Playwright.IRequest[] sent;
        lock (seen)
        {
            sent = [.. seen];
        }

        foreach (var request in sent)
        {
            await request.ResponseAsync();
        }
    }

    private async Task<int> CountAsync<T>(System.Linq.Expressions.Expression<Func<T, bool>> where) where T : class
    {
        await using var scope = Server.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BriefingRoom.Data.BriefingDb>().Set<T>().CountAsync(where, Ct);
    }
}
