using System.Diagnostics;
using System.Text.RegularExpressions;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>Issue 14, point 4: the page says "offline" as soon as the browser knows, and never "Saving…" under "Live" over a dead link.</summary>
public class ConnectionTruthTests : RoomTest
{
    [Fact]
    public async Task ABrowserThatGoesOfflineSaysSoWithinTwoSecondsKeepsWhatIsTypedAndSendsItWhenBack()
    {
        var france = await OpenAsync("fr", 3);
        var ireland = await OpenAsync("ie", 3);
        var status = france.Page.Locator(".editor-draft .status-text");

        var clock = Stopwatch.StartNew();
        await france.Page.Context.SetOfflineAsync(true);
        await Expect(france.Banner).ToContainTextAsync("Connection lost", new() { Timeout = 10_000 });
        var noticed = clock.Elapsed;
        await Expect(france.Connection).ToContainTextAsync("Offline");
        Assert.True(noticed < TimeSpan.FromSeconds(2), $"the page took {noticed.TotalMilliseconds:F0} ms to say it was offline");

        await france.TypeAtEndAsync(3, " Typed during the drop.");
        await Expect(status).ToHaveTextAsync("Not saved yet — offline, will send when back.");
        await Expect(france.Connection).Not.ToContainTextAsync("Live");
        await Expect(france.Page.Locator(".editor-draft .status-text", new() { HasText = "Saving" })).ToHaveCountAsync(0);
        Assert.DoesNotContain("Typed during the drop.", Server.StoredDraft(3), StringComparison.Ordinal);

        await france.Page.Context.SetOfflineAsync(false);
        await Expect(france.Banner).ToContainTextAsync("Back online and up to date", new() { Timeout = 15_000 });
        await Expect(france.Connection).ToContainTextAsync("Live");
        await france.ExpectSavedAsync(3);
        Assert.EndsWith(" Typed during the drop.", Server.StoredDraft(3));
        await ireland.ExpectDraftAsync(3, new Regex("Typed during the drop\\.$"));
    }
}
