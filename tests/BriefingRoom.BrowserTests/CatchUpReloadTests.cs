using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>A page too far behind to catch up event by event loads the room again: what it does to the editor.</summary>
public class CatchUpReloadTests : RoomTest
{
    /// <summary>Ten missed events are already too many: the page reloads the room instead of catching up.</summary>
    protected override IReadOnlyDictionary<string, string>? ServerSettings => new Dictionary<string, string> { ["Briefing:CatchUpLimit"] = "10" };

    [Fact]
    public async Task UndoAfterTheRoomWasLoadedAgainPutsTheDeletedWordBackWhereItWas()
    {
        // France's page stops hearing the room's events while `deaf` is set, as a laptop that slept would.
        var deaf = false;
        var france = await OpenAsync("fr", 2, missesEvents: () => deaf);
        var ireland = await OpenAsync("ie", 2);
        var original = Server.StoredDraft(2);

        // France deletes a word in the middle of the draft.
        await france.DraftTextAsync(2);
        var at = original.IndexOf(' ', original.Length / 2);
        var word = original[at..original.IndexOf(' ', at + 1)];
        await france.SelectInDraftAsync(2, at, at + word.Length);
        await france.Page.Keyboard.PressAsync("Delete");
        var afterDelete = original.Remove(at, word.Length);
        await ireland.ExpectDraftAsync(2, afterDelete);
        await france.ExpectSavedAsync(2);

        // Ireland writes at both ends of the draft while France's page hears nothing.
        deaf = true;
        await ireland.TypeAtStartAsync(2, "Dublin and Cork agree: ");
        await ireland.TypeAtEndAsync(2, " Agreed by all delegations.");
        await ireland.ExpectSavedAsync(2);
        deaf = false;
        await ireland.TypeAtEndAsync(2, "!");
        var current = "Dublin and Cork agree: " + afterDelete + " Agreed by all delegations.!";
        await france.ExpectDraftAsync(2, current, timeoutMs: 15_000);

        // France's undo takes back France's deletion, in its place, and nothing of Ireland's.
        await france.Draft(2).PressAsync("Control+z");
        var expected = "Dublin and Cork agree: " + original + " Agreed by all delegations.!";
        await ireland.ExpectDraftAsync(2, expected);
        await france.ExpectSavedAsync(2);
        Assert.Equal(expected, Server.StoredDraft(2));
    }

    /// <summary>
    /// The secretariat saved versions while France's page heard nothing; the page, too far behind, loaded the room again,
    /// and its versions list still said "No version saved yet" (it was read only when a version.saved event came).
    /// </summary>
    [Fact]
    public async Task VersionsSavedWhileThePageHeardNothingAreListedOnceTheRoomIsLoadedAgain()
    {
        var deaf = false;
        var france = await OpenAsync("fr", 3, missesEvents: () => deaf);
        var secretariat = await OpenAsync("secretariat", 3);
        var frenchVersions = france.Page.Locator("section.versions .version-label");
        await Expect(france.Page.Locator("section.versions .versions-list")).ToHaveTextAsync("No version saved yet.");

        // More versions than the page may catch up with one by one (CatchUpLimit 10).
        deaf = true;
        for (var n = 1; n <= 11; n++)
        {
            var saved = await secretariat.FetchAsync("POST", "/api/meetings/1/items/3/versions", new { name = $"draft {n}" });
            Assert.Equal(200, saved.Status);
        }

        deaf = false;
        // The next event shows France's page the gap it cannot close event by event.
        await secretariat.FetchAsync("POST", "/api/meetings/1/items/3/versions", new { name = "draft 12" });

        await Expect(frenchVersions).ToHaveCountAsync(12, new() { Timeout = 15_000 });
        await Expect(frenchVersions.Last).ToHaveTextAsync("REV 12");
    }
}
