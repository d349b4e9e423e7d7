using System.Text;
using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>The editor as delegates use it: their own undo among others' edits, composition, large pastes, the keyboard.</summary>
public class EditorTests : RoomTest
{
    [Fact]
    public async Task UndoTakesBackOnlyTheDelegatesOwnTypingAndRedoBringsItBack()
    {
        var a = await OpenAsync("fr", 2);
        var b = await OpenAsync("ie", 2);
        var original = Server.StoredDraft(2);

        await a.TypeAtEndAsync(2, " ALPHA");
        await b.ExpectDraftAsync(2, original + " ALPHA");
        await b.TypeAtStartAsync(2, "BETA ");
        await a.ExpectDraftAsync(2, "BETA " + original + " ALPHA");

        await a.Draft(2).PressAsync("Control+z");

        await a.ExpectDraftAsync(2, "BETA " + original);
        await b.ExpectDraftAsync(2, "BETA " + original);
        await a.ExpectSavedAsync(2);
        Assert.Equal("BETA " + original, Server.StoredDraft(2));

        await a.Draft(2).PressAsync("Control+Shift+z");
        await a.ExpectDraftAsync(2, "BETA " + original + " ALPHA");
        await b.ExpectDraftAsync(2, "BETA " + original + " ALPHA");

        // Ctrl+Z then Ctrl+Y: the other way to redo.
        await a.Draft(2).PressAsync("Control+z");
        await b.ExpectDraftAsync(2, "BETA " + original);
        await a.Draft(2).PressAsync("Control+y");
        await b.ExpectDraftAsync(2, "BETA " + original + " ALPHA");
        await a.ExpectSavedAsync(2);
        Assert.Equal("BETA " + original + " ALPHA", Server.StoredDraft(2));
    }

    [Fact]
    public async Task UndoAfterOthersEditedBeforeAndAfterOnesOwnTextRevertsOnlyOnesOwnEditsWhereTheyNowAre()
    {
        var a = await OpenAsync("fr", 3);
        var b = await OpenAsync("ie", 3);
        var c = await OpenAsync("de", 3);
        var original = Server.StoredDraft(3);
        var middle = original.IndexOf('\n', StringComparison.Ordinal);
        Assert.True(middle > 0, "the demo draft of item III has several paragraphs");

        // A writes in the middle; B before it and C after it; A writes at the start; B and C again on both sides.
        await a.TypeAtAsync(3, middle, " [A1]");
        var expected = original[..middle] + " [A1]" + original[middle..];
        await c.ExpectDraftAsync(3, expected);
        await b.TypeAtStartAsync(3, "b1 ");
        await c.TypeAtEndAsync(3, " c1");
        expected = "b1 " + expected + " c1";
        await a.ExpectDraftAsync(3, expected);
        await a.TypeAtAsync(3, 0, "[A2] ");
        expected = "[A2] " + expected;
        await b.ExpectDraftAsync(3, expected);
        await b.TypeAtAsync(3, expected.IndexOf("[A1]", StringComparison.Ordinal), "b2 ");
        expected = expected.Replace("[A1]", "b2 [A1]", StringComparison.Ordinal);
        await c.ExpectDraftAsync(3, expected);
        await c.TypeAtEndAsync(3, " c2");
        expected += " c2";
        await a.ExpectDraftAsync(3, expected);

        await a.Draft(3).PressAsync("Control+z");
        expected = expected.Replace("[A2] ", "", StringComparison.Ordinal);
        await b.ExpectDraftAsync(3, expected);
        // A's " [A1]" now has B's "b2 " inside it: undo takes A's space and A's word, and leaves B's words.
        await a.Draft(3).PressAsync("Control+z");
        expected = expected.Replace(" b2 [A1]", "b2 ", StringComparison.Ordinal);
        await c.ExpectDraftAsync(3, expected);
        await a.ExpectDraftAsync(3, expected);
        Assert.Equal("b1 " + original[..middle] + "b2 " + original[middle..] + " c1 c2", expected);

        // A third undo has nothing of A's left: the others' words stay.
        await a.Draft(3).PressAsync("Control+z");
        await a.ExpectSavedAsync(3);
        Assert.Equal(expected, await a.DraftTextAsync(3));
        await b.ExpectDraftAsync(3, expected);
        Assert.Equal(expected, Server.StoredDraft(3));
    }

    [Fact]
    public async Task ARemoteEditDuringACompositionLeavesItAloneAndTheComposedTextEndsWhereTheUserWasTyping()
    {
        var greek = await OpenAsync("el", 4);
        var ireland = await OpenAsync("ie", 4);
        var original = Server.StoredDraft(4);

        await greek.Draft(4).FocusAsync();
        await greek.Draft(4).PressAsync("Control+End");
        await greek.Draft(4).PressSequentiallyAsync(" Η ");
        await ireland.ExpectDraftAsync(4, original + " Η ");
        var cdp = await greek.Page.Context.NewCDPSessionAsync(greek.Page);
        await cdp.SendAsync("Input.imeSetComposition", new() { ["text"] = "Ελ", ["selectionStart"] = 2, ["selectionEnd"] = 2 });
        await cdp.SendAsync("Input.imeSetComposition", new() { ["text"] = "Ελλά", ["selectionStart"] = 4, ["selectionEnd"] = 4 });
        Assert.True(await greek.IsComposingAsync(4), "the composition has started");

        await ireland.TypeAtStartAsync(4, "Dublin: ");
        await greek.ExpectDraftAsync(4, new Regex("^Dublin: "));
        Assert.True(await greek.IsComposingAsync(4), "the remote edit did not end the composition");

        await cdp.SendAsync("Input.insertText", new() { ["text"] = "Ελλάδα" });
        var expected = "Dublin: " + original + " Η Ελλάδα";
        await greek.ExpectDraftAsync(4, expected);
        await ireland.ExpectDraftAsync(4, expected);
        await greek.ExpectSavedAsync(4);
        Assert.Equal(expected, Server.StoredDraft(4));

        // The caret is still where the Greek delegate was typing: the next word follows the composed one.
        await greek.Page.Keyboard.TypeAsync(" συμφωνεί.");
        await ireland.ExpectDraftAsync(4, expected + " συμφωνεί.");
    }

    [Fact]
    public async Task PastingFiftyThousandCharactersReachesEveryoneAndTheBrowsersFindSeesItAll()
    {
        var france = await OpenAsync("fr", 1);
        var ireland = await OpenAsync("ie", 1);
        var original = Server.StoredDraft(1);
        var pasted = LongText(50_000, "CLOSINGWORD");

        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", pasted);
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+End");
        await france.Draft(1).PressAsync("Enter");
        await france.Draft(1).PressAsync("Control+v");

        var expected = original + "\n" + pasted;
        await france.ExpectDraftAsync(1, expected);
        await ireland.ExpectDraftAsync(1, expected, timeoutMs: 15_000);
        await france.ExpectSavedAsync(1);
        Assert.Equal(expected, Server.StoredDraft(1));

        // Only the lines near the screen are drawn while one types; Ctrl+F draws them all, so the browser's own find
        // reaches the last word of a long draft without scrolling first.
        await ireland.Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await ireland.Draft(1).FocusAsync();
        await ireland.Page.Keyboard.PressAsync("Control+f");
        await Expect(ireland.Page.Locator(".cm-editor[data-document-id='draft:1'] .cm-line").Last).ToContainTextAsync("CLOSINGWORD");
        Assert.True(await ireland.Page.EvaluateAsync<bool>("() => window.find('CLOSINGWORD')"), "the browser's find sees the end of a long draft");
    }

    [Fact]
    public async Task PastedTextFromWordOrAPdfWithLineBreakControlsIsSavedWithLineFeeds()
    {
        var france = await OpenAsync("fr", 1);
        var ireland = await OpenAsync("ie", 1);
        var original = Server.StoredDraft(1);

        // Windows line ends, Word's manual line break (U+000B), a PDF's page break (U+000C), NEL (U+0085), and control
        // characters that are no text at all: what the server takes is line feeds and the words.
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", "one\r\ntwo\u000bthree\u000cfour\u0085five \u0001\u007fsix\u009b.");
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+End");
        await france.Draft(1).PressAsync("Enter");
        await france.Draft(1).PressAsync("Control+v");

        var expected = original + "\none\ntwo\nthree\nfour\nfive six.";
        await france.ExpectDraftAsync(1, expected);
        await ireland.ExpectDraftAsync(1, expected);
        await france.ExpectSavedAsync(1);
        Assert.Equal(expected, Server.StoredDraft(1));
        // Line ends made line feeds are no loss; the three control characters left out are, and the editor says so.
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");
        await Expect(notice).ToContainTextAsync("Pasted without 3 characters no text may hold");
        await Expect(notice).Not.ToContainTextAsync("not saved");
    }

    [Fact]
    public async Task TheScreenReaderIsToldOfOthersTypingNotOfThePersonsOwnTypingInAnotherWindow()
    {
        var laptop = await OpenAsync("fr", 1);
        var tablet = await OpenAsync("fr", 1);
        var ireland = await OpenAsync("ie", 1);
        // Everything the live region says, in order (each message replaces the one before it).
        await laptop.ListenToAnnouncementsAsync();

        await tablet.TypeAtEndAsync(1, " Typed on the tablet.");
        await laptop.ExpectDraftAsync(1, new Regex("Typed on the tablet\\.$"));
        await ireland.TypeAtEndAsync(1, " Typed in Dublin.");
        await laptop.ExpectDraftAsync(1, new Regex("Typed in Dublin\\.$"));
        // Ireland's typing is said (the region paces its messages: it may come after others).
        await laptop.Page.WaitForFunctionAsync("() => window.__said.some(m => m.includes('is editing the draft') && !m.includes('France'))");

        var said = await laptop.Page.EvaluateAsync<string[]>("() => window.__said");
        Assert.DoesNotContain(said, m => m.Contains("France", StringComparison.Ordinal) && m.Contains("is editing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APasteOfOnlyCharactersNoTextMayHoldLeavesTheSelectedWordsAndSaysWhy()
    {
        var france = await OpenAsync("fr", 1);
        var original = Server.StoredDraft(1);
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");

        // Control characters alone (a stray copy from a terminal or a PDF's hidden marks): left out of a paste, they
        // left nothing to paste, and the words selected were replaced by that nothing.
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", "\u0001\u0002\u007f");
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+a");
        await france.Draft(1).PressAsync("Control+v");

        await Expect(notice).ToContainTextAsync("nothing was pasted");
        await france.ExpectDraftAsync(1, original);

        // The next edit is saved, and the notice goes.
        await france.Draft(1).PressAsync("Control+End");
        await france.Draft(1).PressSequentiallyAsync(" Kept.");
        await france.ExpectSavedAsync(1);
        Assert.Equal(original + " Kept.", Server.StoredDraft(1));
        await Expect(notice).ToBeHiddenAsync();
    }

    [Fact]
    public async Task APasteWhoseWordsHoldCharactersNoTextMayHoldIsSavedWithoutThemAndSaysHowManyWereLeftOut()
    {
        var france = await OpenAsync("fr", 1);
        var original = Server.StoredDraft(1);
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");

        // Words copied from a PDF with two hidden control characters among them: the words are pasted and saved, and
        // the delegate is told the text is not quite the one copied.
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", " Article\u0002 5 applies.\u0007");
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+End");
        // What the editor's own live region says (CodeMirror clears it a moment later).
        await france.Page.EvaluateAsync("""
            () => {
              window.__editorSaid = [];
              const region = document.querySelector(".editor[data-document-id='draft:1'] .cm-announced");
              new MutationObserver(() => { if (region.textContent.trim()) window.__editorSaid.push(region.textContent); })
                .observe(region, { childList: true, characterData: true, subtree: true });
            }
            """);
        await france.Draft(1).PressAsync("Control+v");

        await Expect(notice).ToContainTextAsync("Pasted without 2 characters no text may hold");
        await Expect(notice).Not.ToContainTextAsync("not saved");
        await france.ExpectDraftAsync(1, original + " Article 5 applies.");
        await france.ExpectSavedAsync(1);
        Assert.Equal(original + " Article 5 applies.", Server.StoredDraft(1));
        await france.Page.WaitForFunctionAsync("() => window.__editorSaid.some(m => m.includes('Pasted without 2 characters'))");

        // The next edit is the delegate's own: the note goes.
        await france.Draft(1).PressSequentiallyAsync(" Kept.");
        await france.ExpectSavedAsync(1);
        await Expect(notice).ToBeHiddenAsync();
    }

    /// <summary>
    /// A paste that loses a control character, refused by the server because the chair locked the item meanwhile: once
    /// the item is unlocked, the notice said "Pasted without one character" of a paste that is not in the text.
    /// </summary>
    [Fact]
    public async Task ARefusedPasteIsNotSaidToHaveBeenPastedOnceTheLockThatRefusedItIsLifted()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);
        var original = Server.StoredDraft(1);
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", " Article\u0002 5 applies.");
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+End");

        // Held back by a dropped link, so that the order is certain: the paste is on its way when the chair locks.
        await france.Page.Context.SetOfflineAsync(true);
        await france.Draft(1).PressAsync("Control+v");
        await Expect(notice).ToContainTextAsync("Pasted without one character");
        await chair.Page.GetByLabel("Reason for locking (everyone sees it)").FillAsync("Legal-linguistic check");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();
        await Expect(chair.Page.Locator(".item-chips")).ToContainTextAsync("Locked");
        await france.Page.Context.SetOfflineAsync(false);
        await Expect(notice).ToContainTextAsync("Your last edit was not saved", new() { Timeout = 15_000 });
        await france.ExpectDraftAsync(1, original);

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
        await Expect(france.Page.Locator(".item-chips")).Not.ToContainTextAsync("Locked");
        await france.ExpectDraftAsync(1, original);
        await Expect(notice).ToBeHiddenAsync();
    }

    /// <summary>
    /// A paste too long for one edit that also held a control character is refused in the browser; the words "Pasted
    /// without one character" were kept behind that refusal, and shown once a lock had come and gone.
    /// </summary>
    [Fact]
    public async Task APasteRefusedAsTooLongIsNotSaidToHaveBeenPastedWhenALockComesAndGoes()
    {
        var chair = await OpenAsync("chair", 1);
        var france = await OpenAsync("fr", 1);
        var original = Server.StoredDraft(1);
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", "\u0002" + LongText(1_100_000, "TOOLONG"));
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+End");
        await france.Draft(1).PressAsync("Control+v");
        await Expect(notice).ToContainTextAsync("in parts");
        await france.ExpectDraftAsync(1, original);

        await chair.Page.GetByLabel("Reason for locking (everyone sees it)").FillAsync("Legal-linguistic check");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();
        await Expect(notice).ToContainTextAsync("Locked by");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
        await Expect(france.Page.Locator(".item-chips")).Not.ToContainTextAsync("Locked");
        await france.ExpectDraftAsync(1, original);
        await Expect(notice).ToBeHiddenAsync();
    }

    [Fact]
    public async Task APasteTheServerRefusesIsSaidUntilTheNextEditIsSavedAndThenNoLonger()
    {
        var france = await OpenAsync("fr", 1);
        var original = Server.StoredDraft(1);
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");

        // Within what one edit may insert, but the draft would be longer than a draft may be: the server refuses the
        // paste, and the page says so.
        Assert.True(original.Length + 199_999 > 200_000, "the draft is long enough for the paste to make it too long");
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", LongText(199_999, "TOOLONG"));
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+End");
        await france.Draft(1).PressAsync("Control+v");
        await Expect(notice).ToContainTextAsync("Your last edit was not saved", new() { Timeout = 15_000 });
        await france.ExpectDraftAsync(1, original);

        // The delegate goes on typing and it is saved: "your last edit was not saved" is no longer true, and goes.
        await france.Draft(1).PressSequentiallyAsync(" Shorter.");
        await france.ExpectSavedAsync(1);
        Assert.Equal(original + " Shorter.", Server.StoredDraft(1));
        await Expect(notice).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AfterTheServerRefusesAPasteOverTheDelegatesWordsUndoStillTakesBackTheirSavedTyping()
    {
        var france = await OpenFirstAsync("fr", 1);
        var original = Server.StoredDraft(1);
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");
        await france.TypeAtEndAsync(1, " Typed.");
        await france.ExpectSavedAsync(1);

        // The delegate selects their words and pastes over them a text the server refuses (the draft would be too long).
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", LongText(199_999, "TOOLONG"));
        for (var i = 0; i < " Typed.".Length; i++)
        {
            await france.Draft(1).PressAsync("Shift+ArrowLeft");
        }

        await france.Draft(1).PressAsync("Control+v");
        await Expect(notice).ToContainTextAsync("Your last edit was not saved", new() { Timeout = 15_000 });
        await france.ExpectDraftAsync(1, original + " Typed.");

        // Undo forgets the refused paste, not the delegate's saved typing: it takes that back, once, and redo returns it.
        await france.Draft(1).PressAsync("Control+z");
        await france.ExpectDraftAsync(1, original);
        await france.ExpectSavedAsync(1);
        Assert.Equal(original, Server.StoredDraft(1));
        await france.Draft(1).PressAsync("Control+Shift+z");
        await france.ExpectDraftAsync(1, original + " Typed.");
        await france.ExpectSavedAsync(1);
        Assert.Equal(original + " Typed.", Server.StoredDraft(1));
    }

    [Fact]
    public async Task WhenAnEditMadeWhileAnotherWasOnItsWayIsRefusedUndoStillTakesBackTheOneSaved()
    {
        var france = await OpenAsync("fr", 1);
        var original = Server.StoredDraft(1);
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+End");

        // Held back by a dropped link, so that the order is certain: the first paste is on its way (unconfirmed) when
        // the second is made; the server takes the first and refuses the second (the draft would be too long).
        await france.Page.Context.SetOfflineAsync(true);
        await france.Page.EvaluateAsync("() => navigator.clipboard.writeText(' Pasted.')");
        await france.Draft(1).PressAsync("Control+v");
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", LongText(199_999, "TOOLONG"));
        await france.Draft(1).PressAsync("Control+v");
        await france.Page.Context.SetOfflineAsync(false);
        await Expect(notice).ToContainTextAsync("Your last edit was not saved", new() { Timeout = 15_000 });
        await france.ExpectDraftAsync(1, original + " Pasted.");
        await france.ExpectSavedAsync(1);
        Assert.Equal(original + " Pasted.", Server.StoredDraft(1));

        // Undo forgets the refused paste and takes back the saved one, once; redo returns it.
        await france.Draft(1).PressAsync("Control+z");
        await france.ExpectDraftAsync(1, original);
        await france.ExpectSavedAsync(1);
        Assert.Equal(original, Server.StoredDraft(1));
        await france.Draft(1).PressAsync("Control+Shift+z");
        await france.ExpectDraftAsync(1, original + " Pasted.");
        await france.ExpectSavedAsync(1);
        Assert.Equal(original + " Pasted.", Server.StoredDraft(1));
    }

    [Fact]
    public async Task APasteLargerThanTheConnectionCarriesIsRefusedInWordsAndTheRoomStaysLive()
    {
        var france = await OpenAsync("fr", 1);
        var ireland = await OpenAsync("ie", 1);
        var original = Server.StoredDraft(1);
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");

        // A whole report pasted at once: more than one edit may insert, and more bytes than the server reads in one
        // message. It used to close the connection, which then sent it again on every reconnect, for ever.
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("text => navigator.clipboard.writeText(text)", LongText(1_100_000, "TOOLONG"));
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+End");
        await france.Draft(1).PressAsync("Control+v");
        await Expect(notice).ToContainTextAsync("Your last edit was not saved", new() { Timeout = 15_000 });
        await Expect(notice).ToContainTextAsync("in parts");
        await france.ExpectDraftAsync(1, original);

        await france.Draft(1).PressSequentiallyAsync(" Shorter.");
        await ireland.ExpectDraftAsync(1, original + " Shorter.");
        await france.ExpectSavedAsync(1);
        await Expect(france.Connection).ToContainTextAsync("Live");
        Assert.Equal(original + " Shorter.", Server.StoredDraft(1));
    }

    /// <summary>
    /// Offline, edits made while one is unconfirmed are merged into one operation. Four pastes of 120,000 Chinese
    /// characters, each within what one edit may add, merged into one of 360,000 (over 1 MB as UTF-8): back online it
    /// closed the connection, and was sent again on every reconnect, for ever. What already waits now counts: the
    /// third paste is refused in words, and back online the room is live.
    /// </summary>
    [Fact]
    public async Task PastesMadeOfflineThatTogetherPassWhatOneEditMayAddAreRefusedInWordsAndTheRoomStaysLive()
    {
        var france = await OpenAsync("fr", 1);
        var original = Server.StoredDraft(1);
        var notice = france.Page.Locator(".editor[data-document-id='draft:1'] .editor-notice");
        await france.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await france.Page.EvaluateAsync("() => navigator.clipboard.writeText('議'.repeat(120000))");
        await france.Draft(1).FocusAsync();
        await france.Draft(1).PressAsync("Control+End");

        await france.Page.Context.SetOfflineAsync(true);
        await france.Draft(1).PressAsync("Control+v");
        await france.Draft(1).PressAsync("Control+v");
        await france.Draft(1).PressAsync("Control+v");
        await Expect(notice).ToContainTextAsync("still waiting to be saved");
        await france.Draft(1).PressAsync("Control+v");
        Assert.Equal(original.Length + 240_000, (await france.TextAsync("draft:1")).Length);
        await france.Page.Context.SetOfflineAsync(false);

        // The first paste is saved; the second makes the draft longer than a draft may be, and is refused in words.
        await Expect(france.Connection).ToContainTextAsync("Live", new() { Timeout = 15_000 });
        await Expect(france.Page.Locator(".kept-text.is-offered")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await france.ExpectDraftAsync(1, original + new string('議', 120_000));
        Assert.Equal(original + new string('議', 120_000), Server.StoredDraft(1));
    }

    [Fact]
    public async Task TheEditorIsALabelledDescribedSpellCheckedTextboxThatTheKeyboardEntersAndLeaves()
    {
        var france = await OpenAsync("fr", 1);
        var draft = france.Page.GetByRole(AriaRole.Textbox, new() { Name = "Draft conclusions" });

        await Expect(draft).ToHaveAttributeAsync("aria-multiline", "true");
        await Expect(draft).ToHaveAttributeAsync("spellcheck", "true");
        await Expect(draft).ToHaveAttributeAsync("lang", "en");
        var describedBy = (await draft.GetAttributeAsync("aria-describedby"))!.Split(' ');
        await Expect(france.Page.Locator($"[id='{describedBy[^1]}']")).ToContainTextAsync("All changes saved.");

        // Go to paragraph 3 with the keyboard alone: the caret lands there and the description says so.
        await france.Page.GetByLabel("Go to paragraph").FocusAsync();
        await france.Page.Keyboard.TypeAsync("3");
        await france.Page.Keyboard.PressAsync("Enter");
        await Expect(draft).ToBeFocusedAsync();
        await Expect(france.Page.Locator($"[id='{describedBy[1]}']")).ToContainTextAsync("cursor paragraph 3");
        var third = Server.StoredDraft(1).Split('\n')[2];
        await france.Page.Keyboard.TypeAsync("THIRD ");
        await france.ExpectDraftAsync(1, new Regex($"\\nTHIRD {Regex.Escape(third)}"));

        // Tab leaves the editor (it does not type a tab), as it left the textarea.
        await france.Page.Keyboard.PressAsync("Tab");
        await Expect(draft).Not.ToBeFocusedAsync();
        Assert.DoesNotContain('\t', await france.DraftTextAsync(1));

        // A paragraph that is not there is answered in words.
        await france.Page.GetByLabel("Go to paragraph").FillAsync("99");
        await france.Page.GetByLabel("Go to paragraph").PressAsync("Enter");
        await Expect(france.Page.Locator(".goto-error")).ToHaveTextAsync("This text has paragraphs 1 to 5.");
    }

    [Fact]
    public async Task AReadOnlyDraftCanBeReadAndCopiedButNotChanged()
    {
        var observer = await OpenAsync("observer", 1);
        var draft = observer.Draft(1);
        var before = Server.StoredDraft(1);

        await Expect(draft).ToHaveAttributeAsync("aria-readonly", "true");
        await Expect(draft).ToHaveAttributeAsync("spellcheck", "false");
        await Expect(observer.Page.Locator(".editor-draft .editor-notice")).ToContainTextAsync("Read-only.");
        await draft.FocusAsync();
        await draft.PressAsync("Control+End");
        await observer.Page.Keyboard.TypeAsync("Observers cannot write.");
        await observer.Page.Keyboard.PressAsync("Control+a");
        await observer.Page.Keyboard.PressAsync("Delete");

        Assert.Equal(before, await observer.DraftTextAsync(1));
        var selected = await observer.Page.EvaluateAsync<string>("() => document.getSelection().toString()");
        Assert.Contains("peace", selected, StringComparison.Ordinal);
        Assert.Equal(before, Server.StoredDraft(1));
    }

    [Fact]
    public async Task AnObserverToldTheItemIsLockedIsNoLongerToldSoOnceItIsUnlocked()
    {
        var chair = await OpenAsync("chair", 1);
        var observer = await OpenAsync("observer", 1);
        var notice = observer.Page.Locator(".editor-draft .editor-notice");
        await Expect(notice).ToContainTextAsync("Guests and observers read the draft conclusions");

        await chair.Page.GetByLabel("Reason for locking (everyone sees it)").FillAsync("Legal-linguistic check");
        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Lock item" }).ClickAsync();
        await Expect(notice).ToContainTextAsync("Locked by");

        await chair.Page.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
        await Expect(observer.Page.Locator(".item-chips")).Not.ToContainTextAsync("Locked");
        await Expect(notice).Not.ToContainTextAsync("Locked");
        await Expect(notice).ToContainTextAsync("Guests and observers read the draft conclusions");
    }

    [Fact]
    public async Task LeavingTheDraftDoesNotMoveWhatIsBelowItSoAClickThereLands()
    {
        // The line under the draft says where the caret is while the draft has the focus; at 1,440 px it is long
        // enough to wrap, and it used to unwrap on blur, moving every button below between a click's press and release.
        var france = await OpenAsync("fr", 3);
        await france.TypeAtEndAsync(3, " ALPHA");
        await france.ExpectSavedAsync(3);
        var compare = france.Page.Locator("section.versions").GetByRole(AriaRole.Button, new() { Name = "Compare", Exact = true });
        var focused = await compare.BoundingBoxAsync();

        await france.Page.Locator("#item-title").FocusAsync();

        var blurred = await compare.BoundingBoxAsync();
        Assert.Equal(focused!.Y, blurred!.Y);
        await compare.ClickAsync();
        await Expect(france.Page.Locator(".versions-diff-summary")).ToHaveTextAsync("There is no version to compare yet.");
    }

    /// <summary>Realistic prose of about <paramref name="length"/> characters in paragraphs, ending with a marker word.</summary>
    private static string LongText(int length, string lastWord)
    {
        string[] sentences =
        [
            "The European Council underlines the need to step up support for Ukraine's defence.",
            "Member States will continue to provide military equipment, ammunition and air defence.",
            "The Union will use the proceeds of immobilised Russian assets in accordance with the law.",
            "Security guarantees must be robust and credible, and agreed with Ukraine.",
        ];
        var text = new StringBuilder();
        for (var i = 0; text.Length < length - lastWord.Length - 1; i++)
        {
            text.Append(sentences[i % sentences.Length]).Append(i % 5 == 4 ? '\n' : ' ');
        }
        var result = text.ToString()[..(length - lastWord.Length - 1)].TrimEnd();
        return result.PadRight(length - lastWord.Length - 1, '.') + " " + lastWord;
    }
}
