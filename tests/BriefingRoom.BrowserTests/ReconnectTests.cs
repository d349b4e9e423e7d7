using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class ReconnectTests : RoomTest
{
    [Fact]
    public async Task WhenTheServerRestartsThePageSaysSoReconnectsAndLosesNothingTypedWhileOffline()
    {
        var france = await OpenAsync("fr", 3);
        await france.TypeAtEndAsync(3, "\nBefore the outage.");
        await Expect(france.Page.Locator(".editor-draft .status-text")).ToHaveTextAsync("All changes saved.");

        await Server.StopAsync();
        await Expect(france.Banner).ToContainTextAsync("Connection lost. Reconnecting");
        await Expect(france.Connection).ToContainTextAsync("Offline");

        await france.TypeAtEndAsync(3, " Typed while offline.");
        await Expect(france.Page.Locator(".editor-draft .editor-status")).ToContainTextAsync("Not saved yet — offline, will send when back.");

        Server.Restart();
        await Expect(france.Banner).ToContainTextAsync("Back online and up to date", new() { Timeout = 20_000 });
        await Expect(france.Page.Locator(".editor-draft .status-text")).ToHaveTextAsync("All changes saved.");
        Assert.EndsWith("\nBefore the outage. Typed while offline.", Server.StoredDraft(3));

        var ireland = await OpenAsync("ie", 3);
        await ireland.ExpectDraftAsync(3, new Regex("Before the outage\\. Typed while offline\\.$"));
        await france.ExpectDraftAsync(3, Server.StoredDraft(3));
    }
}
