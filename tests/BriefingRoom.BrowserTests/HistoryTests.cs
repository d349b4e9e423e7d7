using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>A text's history, visible: the revisions on a slider, a word-level comparison, and who wrote what.</summary>
public class HistoryTests : RoomTest
{
    [Fact]
    public async Task TheHistorySliderShowsRevisionZeroAndTheCurrentTextWithWhoAndWhen()
    {
        var france = await OpenAsync("fr", 2);
        var ireland = await OpenAsync("ie", 2);
        var original = Server.StoredDraft(2);
        await france.TypeAtEndAsync(2, " ALPHA");
        await france.ExpectSavedAsync(2);
        var afterFrance = await RevisionAsync(france, 2);
        await ireland.ExpectDraftAsync(2, original + " ALPHA");
        await ireland.TypeAtStartAsync(2, "BETA ");
        var current = "BETA " + original + " ALPHA";
        await france.ExpectDraftAsync(2, current);
        await ireland.ExpectSavedAsync(2);
        var latest = await RevisionAsync(ireland, 2);
        Assert.True(latest > afterFrance && afterFrance > 0);

        var history = await OpenHistoryAsync(france, 2);
        var slider = history.GetByRole(AriaRole.Slider, new() { Name = "Revision" });
        var facts = history.Locator(".history-facts");
        await Expect(facts).ToHaveTextAsync(new Regex($"^Revision {latest} of {latest}: Ireland delegate, .+\\.$"));
        await Expect(history.Locator(".history-text")).ToHaveTextAsync(current);

        await slider.FocusAsync();
        await slider.PressAsync("Home");
        await Expect(facts).ToHaveTextAsync($"Revision 0 of {latest}: the text before the first edit.");
        await Expect(slider).ToHaveAttributeAsync("aria-valuetext", $"Revision 0 of {latest}: the text before the first edit.");
        await Expect(history.Locator(".history-text")).ToHaveTextAsync(original);

        // The last of France's revisions: " ALPHA" typed, before Ireland began.
        for (var i = 0; i < afterFrance; i++)
        {
            await slider.PressAsync("ArrowRight");
        }
        await Expect(facts).ToHaveTextAsync(new Regex($"^Revision {afterFrance} of {latest}: France delegate, "));
        await Expect(history.Locator(".history-text")).ToHaveTextAsync(original + " ALPHA");

        // New edits reach an open panel; "Latest" follows them.
        await ireland.TypeAtEndAsync(2, "!");
        await ireland.ExpectSavedAsync(2);
        var newest = await RevisionAsync(ireland, 2);
        await Expect(slider).ToHaveAttributeAsync("max", newest.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await history.GetByRole(AriaRole.Button, new() { Name = "Latest" }).ClickAsync();
        await Expect(facts).ToHaveTextAsync(new Regex($"^Revision {newest} of {newest}: Ireland delegate, "));
        await Expect(history.Locator(".history-text")).ToHaveTextAsync(current + "!");
    }

    [Fact]
    public async Task ComparingTwoRevisionsMarksTheInsertedAndDeletedWordsInWords()
    {
        var france = await OpenAsync("fr", 2);
        var original = Server.StoredDraft(2);
        var firstWord = original.Split(' ')[0];
        await france.TypeAtEndAsync(2, " ALPHA");
        await france.ExpectSavedAsync(2);
        await france.Draft(2).PressAsync("Control+Home");
        await france.Draft(2).PressAsync("Control+Shift+ArrowRight");
        await france.Draft(2).PressAsync("Delete");
        await france.ExpectDraftAsync(2, original[firstWord.Length..] + " ALPHA");
        await france.ExpectSavedAsync(2);

        var latest = await RevisionAsync(france, 2);

        var history = await OpenHistoryAsync(france, 2);
        await history.GetByLabel("revision", new() { Exact = true }).FillAsync("0");
        await history.GetByLabel("with revision", new() { Exact = true }).FillAsync(latest.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await history.GetByRole(AriaRole.Button, new() { Name = "Show changes" }).ClickAsync();

        var diff = history.Locator(".history-diff");
        await Expect(history.Locator(".history-diff-summary")).ToHaveTextAsync($"From revision 0 to revision {latest}: 1 word inserted, 1 word deleted.");
        await Expect(diff.Locator("ins")).ToHaveTextAsync(new Regex("^\\[inserted: +ALPHA\\]$"));
        await Expect(diff.Locator("del")).ToHaveTextAsync($"[deleted: {firstWord}]");
        // Marked by more than colour: struck through and underlined.
        Assert.Contains("line-through", await diff.Locator("del").EvaluateAsync<string>("e => getComputedStyle(e).textDecorationLine"), StringComparison.Ordinal);
        Assert.Contains("underline", await diff.Locator("ins").EvaluateAsync<string>("e => getComputedStyle(e).textDecorationLine"), StringComparison.Ordinal);

        // "What this revision changed": the slider's revision against the one before it.
        await history.GetByRole(AriaRole.Slider, new() { Name = "Revision" }).FocusAsync();
        await france.Page.Keyboard.PressAsync("End");
        await history.GetByRole(AriaRole.Button, new() { Name = "What this revision changed" }).ClickAsync();
        await Expect(history.Locator(".history-diff-summary")).ToHaveTextAsync($"From revision {latest - 1} to revision {latest}: 0 words inserted, 1 word deleted.");
    }

    [Fact]
    public async Task ComparingWithARevisionLeftEmptyIsAnsweredInWordsNotComparedWithRevisionZero()
    {
        var france = await OpenAsync("fr", 2);
        await france.TypeAtEndAsync(2, " ALPHA");
        await france.ExpectSavedAsync(2);
        var latest = await RevisionAsync(france, 2);

        var history = await OpenHistoryAsync(france, 2);
        var from = history.GetByLabel("revision", new() { Exact = true });
        var to = history.GetByLabel("with revision", new() { Exact = true });
        var show = history.GetByRole(AriaRole.Button, new() { Name = "Show changes" });
        await from.FillAsync("");
        await to.FillAsync(latest.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await show.ClickAsync();
        await Expect(history.Locator(".history-diff-summary")).ToHaveTextAsync($"Revisions go from 0 to {latest}.");
        await Expect(history.Locator(".history-diff")).ToBeEmptyAsync();

        await from.FillAsync("1");
        await to.FillAsync("");
        await to.PressAsync("Enter");
        await Expect(history.Locator(".history-diff-summary")).ToHaveTextAsync($"Revisions go from 0 to {latest}.");
    }

    [Fact]
    public async Task WhoWroteWhatColoursEachPassageAndNamesItsAuthor()
    {
        var france = await OpenAsync("fr", 3);
        var ireland = await OpenAsync("ie", 3);
        var original = Server.StoredDraft(3);
        await france.TypeAtEndAsync(3, " Paris adds this.");
        await ireland.ExpectDraftAsync(3, original + " Paris adds this.");
        await ireland.TypeAtStartAsync(3, "Dublin adds this. ");
        await france.ExpectDraftAsync(3, "Dublin adds this. " + original + " Paris adds this.");
        await ireland.ExpectSavedAsync(3);

        var editor = france.Page.Locator(".editor[data-document-id='draft:3']");
        var who = editor.GetByRole(AriaRole.Button, new() { Name = "Who wrote what" });
        await who.ClickAsync();
        await Expect(who).ToHaveAttributeAsync("aria-pressed", "true");

        await Expect(editor.Locator(".author-label")).ToHaveTextAsync(["Ireland delegate", "France delegate"]);
        await Expect(editor.Locator(".authored[title='Written by Ireland delegate']")).ToHaveTextAsync("Dublin adds this. ");
        await Expect(editor.Locator(".authored[title='Written by France delegate']")).ToHaveTextAsync(" Paris adds this.");
        var legend = editor.Locator(".author-legend");
        await Expect(legend).ToContainTextAsync("Text as it stood before the first edit:");
        await Expect(legend).ToContainTextAsync("Ireland delegate:");
        await Expect(legend).ToContainTextAsync("France delegate:");

        // What anyone writes from now on is theirs, live.
        await ireland.TypeAtEndAsync(3, " Agreed.");
        await Expect(editor.Locator(".authored[title='Written by Ireland delegate']").Last).ToHaveTextAsync(" Agreed.");

        await who.ClickAsync();
        await Expect(editor.Locator(".authored")).ToHaveCountAsync(0);
        await Expect(legend).ToBeHiddenAsync();
    }

    [Fact]
    public async Task WhoWroteWhatNamesInItsKeySomeoneWhoStartsWritingWhileItIsOn()
    {
        var france = await OpenFirstAsync("fr", 3);
        var germany = await OpenAsync("de", 3);
        var original = Server.StoredDraft(3);
        await france.TypeAtEndAsync(3, " Paris adds this.");
        await france.ExpectSavedAsync(3);

        var editor = france.Page.Locator(".editor[data-document-id='draft:3']");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Who wrote what" }).ClickAsync();
        var legend = editor.Locator(".author-legend");
        await Expect(legend).ToContainTextAsync("France delegate:");

        // Germany writes for the first time while France looks: the text shows Germany's words in Germany's colour, and
        // the key listing who wrote the text must say Germany too, not only the authors there were when it was turned on.
        await germany.TypeAtStartAsync(3, "Berlin adds a long passage of its own to this draft. ");
        await france.ExpectDraftAsync(3, "Berlin adds a long passage of its own to this draft. " + original + " Paris adds this.");
        await Expect(editor.Locator(".authored[title='Written by Germany delegate']")).ToHaveCountAsync(1);
        await Expect(legend).ToContainTextAsync("Germany delegate:");
    }

    [Fact]
    public async Task AScreenReaderReadsTheDraftWithoutTheAuthorsNamesWhenWhoWroteWhatIsOn()
    {
        var france = await OpenAsync("fr", 3);
        await france.TypeAtEndAsync(3, " Paris adds this.");
        await france.ExpectSavedAsync(3);

        var editor = france.Page.Locator(".editor[data-document-id='draft:3']");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Who wrote what" }).ClickAsync();
        await Expect(editor.Locator(".author-label")).ToHaveTextAsync(["France delegate"]);

        // The names are drawn in the text for the eye; read out, they would sound like words of the draft. The line under
        // the editor says whose words the caret is in.
        var read = await france.Draft(3).Locator(".cm-line").Filter(new() { HasText = "Paris adds this." }).AriaSnapshotAsync();
        Assert.Contains("Paris adds this.", read, StringComparison.Ordinal);
        Assert.DoesNotContain("France delegate", read, StringComparison.Ordinal);
    }

    /// <summary>
    /// "Who wrote what" pressed, then pressed again to turn it off before the history had come: the first reading, come
    /// last, coloured the text and showed the button pressed all the same.
    /// </summary>
    [Fact]
    public async Task WhoWroteWhatPressedAgainWhileTheHistoryIsReadStaysOff()
    {
        var france = await OpenAsync("fr", 3);
        await france.TypeAtEndAsync(3, " Paris adds this.");
        await france.ExpectSavedAsync(3);
        // When the page is done with a page of the history (a task after reading it: the editor has drawn it by then).
        await france.CountAnswersAsync("historyReads", "(response) => response.url.includes('/texts/draft%3A3/history')");
        var held = await HeldRequests.OnAsync(france.Page, "**/texts/*/history*");
        var editor = france.Page.Locator(".editor[data-document-id='draft:3']");
        var who = editor.GetByRole(AriaRole.Button, new() { Name = "Who wrote what" });

        await who.ClickAsync();
        await held.Requested;
        await who.ClickAsync();
        held.Release();

        await france.Page.WaitForFunctionAsync("() => window.historyReads >= 1");
        await Expect(who).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(editor.Locator(".authored")).ToHaveCountAsync(0);
        await Expect(editor.Locator(".author-legend")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task WhoWroteWhatSaysSoBesideTheButtonWhenTheHistoryCannotBeRead()
    {
        var france = await OpenAsync("fr", 3);
        await france.TypeAtEndAsync(3, " Paris adds this.");
        await france.ExpectSavedAsync(3);

        // The history panel is closed: the answer must not go to it, where nobody sees it.
        await france.Page.RouteAsync("**/texts/*/history*", route => route.AbortAsync());
        var editor = france.Page.Locator(".editor[data-document-id='draft:3']");
        var who = editor.GetByRole(AriaRole.Button, new() { Name = "Who wrote what" });
        await who.ClickAsync();

        var said = editor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Could not read who wrote what" });
        await Expect(said).ToBeVisibleAsync();
        await Expect(who).ToHaveAttributeAsync("aria-pressed", "false");

        // Once the history can be read again, the same button colours the text, and the message goes.
        await france.Page.UnrouteAsync("**/texts/*/history*");
        await who.ClickAsync();
        await Expect(who).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(editor.Locator(".authored[title='Written by France delegate']")).ToHaveTextAsync(" Paris adds this.");
        await Expect(said).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AGuestReadsTheHistoryOfAnItemItIsInvitedToAndOfNoOther()
    {
        var ireland = await OpenAsync("ie", 2);
        var original = Server.StoredDraft(2);
        await ireland.TypeAtEndAsync(2, " With our partners.");
        await ireland.ExpectSavedAsync(2);

        var unitedKingdom = await OpenAsync("uk", 2);
        var history = await OpenHistoryAsync(unitedKingdom, 2);
        var slider = history.GetByRole(AriaRole.Slider, new() { Name = "Revision" });
        await Expect(history.Locator(".history-text")).ToHaveTextAsync(original + " With our partners.");
        await slider.FocusAsync();
        await slider.PressAsync("Home");
        await Expect(history.Locator(".history-text")).ToHaveTextAsync(original);

        var notInvited = await unitedKingdom.FetchAsync("GET", "/api/meetings/1/texts/draft:1/history?since=0", null);
        Assert.Equal(404, notInvited.Status);
        var notInvitedRevision = await unitedKingdom.FetchAsync("GET", "/api/meetings/1/texts/draft:1/revisions/0", null);
        Assert.Equal(404, notInvitedRevision.Status);
    }

    /// <summary>The revision the page's editor says it is at ("12 edits" under the draft; "No edits yet" at 0).</summary>
    private static async Task<int> RevisionAsync(RoomPage page, int itemId)
    {
        var text = (await page.Page.Locator($".editor[data-document-id='draft:{itemId}'] .editor-status .revision").TextContentAsync())!;
        return text == "No edits yet"
            ? 0
            : int.Parse(text.Split(' ')[0].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<ILocator> OpenHistoryAsync(RoomPage page, int itemId)
    {
        var editor = page.Page.Locator($".editor[data-document-id='draft:{itemId}']");
        var button = editor.GetByRole(AriaRole.Button, new() { Name = "History" });
        await button.ClickAsync();
        await Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
        var history = editor.Locator(".history-panel");
        await Expect(history).ToBeVisibleAsync();
        await Expect(history.Locator(".history-status")).ToHaveTextAsync("");
        return history;
    }
}
