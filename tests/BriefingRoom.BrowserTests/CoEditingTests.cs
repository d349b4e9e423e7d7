using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class CoEditingTests : RoomTest
{
    [Fact]
    public async Task WhatOneDelegateTypesAppearsInAnotherDelegatesDraftWithinOneSecond()
    {
        var france = await OpenAsync("fr", 1);
        var ireland = await OpenAsync("ie", 1);

        await france.TypeAtEndAsync(1, "\nThe European Council will revert to this at its next meeting.");

        await ireland.ExpectDraftAsync(1, new Regex("will revert to this at its next meeting\\.$"), timeoutMs: 1_000);
    }

    [Fact]
    public async Task EditsWhoseEventsThePageMissedAreFetchedWhenTheNextEventShowsTheGap()
    {
        var missing = false;
        var france = await OpenAsync("fr", 2, missesEvents: () => missing);
        var ireland = await OpenAsync("ie", 2);
        var original = Server.StoredDraft(2);

        // Ireland's first words never reach France's page; the next event shows France that some are missing.
        missing = true;
        await ireland.TypeAtStartAsync(2, "Dublin: ");
        await ireland.ExpectSavedAsync(2);
        missing = false;
        await ireland.TypeAtEndAsync(2, " Agreed.");

        await france.ExpectDraftAsync(2, "Dublin: " + original + " Agreed.");
        await france.TypeAtEndAsync(2, " Paris too.");
        await ireland.ExpectDraftAsync(2, "Dublin: " + original + " Agreed. Paris too.");
    }

    [Fact]
    public async Task TwoDelegatesTypingAtOnceEndWithTheSameText()
    {
        var france = await OpenAsync("fr", 2);
        var ireland = await OpenAsync("ie", 2);

        await Task.WhenAll(
            france.TypeAtStartAsync(2, "Paris: "),
            ireland.TypeAtEndAsync(2, " Dublin agrees."));

        var both = new Regex("^Paris: .*Dublin agrees\\.$", RegexOptions.Singleline);
        await france.ExpectDraftAsync(2, both);
        await ireland.ExpectDraftAsync(2, both);
        await Expect(france.Page.Locator(".editor-draft .status-text")).ToHaveTextAsync("All changes saved.");
        await Expect(ireland.Page.Locator(".editor-draft .status-text")).ToHaveTextAsync("All changes saved.");

        var stored = Server.StoredDraft(2);
        await france.ExpectDraftAsync(2, stored);
        await ireland.ExpectDraftAsync(2, stored);
    }

    [Fact]
    public async Task AnotherEditorsCaretIsShownWithTheirName()
    {
        var france = await OpenAsync("fr", 1);
        var ireland = await OpenAsync("ie", 1);

        await france.TypeAtStartAsync(1, "Note: ");

        await Expect(ireland.Page.Locator(".editor-draft .remote-caret-label")).ToHaveTextAsync("France delegate");
        await Expect(ireland.Page.Locator(".editor-draft .coeditors")).ToContainTextAsync("France delegate, paragraph 1");
    }

    [Fact]
    public async Task AScreenReaderFindsNoEmptyListOfOthersWhenNobodyElseIsInTheText()
    {
        var france = await OpenFirstAsync("fr", 1);
        var others = france.Page.Locator(".editor-draft").GetByRole(AriaRole.List, new() { Name = "Others in this text" });

        // Alone in the draft: no list "Others in this text" with nothing in it is read out under the editor.
        await Expect(france.Draft(1)).ToBeVisibleAsync();
        await Expect(others).ToHaveCountAsync(0);

        var ireland = await OpenAsync("ie", 1);
        await ireland.TypeAtStartAsync(1, "Note: ");
        await Expect(others).ToContainTextAsync("Ireland delegate, paragraph 1");
    }

    [Fact]
    public async Task ACaretGoesWhenItsTabTurnsToAnotherItemOrCloses()
    {
        var france = await OpenAsync("fr", 1);
        var franceSecondTab = await OpenAsync("fr", 1);
        var ireland = await OpenAsync("ie", 1);
        var carets = ireland.Page.Locator(".editor-draft .remote-caret-label");

        await france.TypeAtStartAsync(1, "Note: ");
        await franceSecondTab.TypeAtEndAsync(1, " End.");
        await Expect(carets).ToHaveCountAsync(2);

        // France is still on item I in its second tab: only the first tab's caret goes.
        await france.OpenItemAsync(2);
        await Expect(carets).ToHaveCountAsync(1);

        await franceSecondTab.Page.CloseAsync();
        await Expect(carets).ToHaveCountAsync(0);
    }
}
