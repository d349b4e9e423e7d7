using System.Text.Json;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>
/// Issue 14, point 7: on phones and tablets the draft comes first and nothing scrolls sideways. Every run renders
/// the room at 1440, 768 and 390 px for a delegate and for the chair; with BRIEFINGROOM_SCREENSHOT=1 the pictures
/// go to docs/images (room-{who}-{width}.png), otherwise to the temp folder.
/// </summary>
public class SmallScreenTests : RoomTest
{
    public static TheoryData<string, int, int> Screens => new()
    {
        { "hu", 390, 844 }, { "chair", 390, 844 }, { "hu", 768, 1024 }, { "chair", 768, 1024 }, { "hu", 1440, 900 }, { "chair", 1440, 900 },
    };

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task TheDraftStartsOnTheFirstScreenAndNothingScrollsSideways(string who, int width, int height)
    {
        var room = await OpenAsync(who, 1, width, height);
        var page = room.Page;
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");

        var path = Environment.GetEnvironmentVariable("BRIEFINGROOM_SCREENSHOT") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "images", $"room-{(who == "chair" ? "chair" : "delegate")}-{width}.png")
            : Path.Combine(Path.GetTempPath(), $"briefingroom-room-{who}-{width}-{Guid.NewGuid():N}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = path });
        if (Environment.GetEnvironmentVariable("BRIEFINGROOM_SCREENSHOT_FULL") is { Length: > 0 } full)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(full, $"full-{who}-{width}.png"), FullPage = true });
        }

        Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");

        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth} px wide at {width} px; too wide: {await TooWideAsync(page, width)}");

        var draftTop = await page.EvaluateAsync<double>("() => document.querySelector('.editor-draft .cm-editor').getBoundingClientRect().top + window.scrollY");
        Assert.True(draftTop < height - 80, $"the draft starts at {draftTop:F0} px, below the first screen of {height} px");

        if (who == "hu")
        {
            var stance = page.GetByLabel("Your stance");
            await stance.ScrollIntoViewIfNeededAsync();
            var box = await stance.BoundingBoxAsync() ?? throw new InvalidOperationException("no stance box");
            Assert.True(box.X >= 0 && box.X + box.Width <= width, $"the stance box spans {box.X:F0}..{box.X + box.Width:F0} px of {width}");
            var fits = await stance.EvaluateAsync<bool>(
                "s => { const c = document.createElement('canvas').getContext('2d'); c.font = getComputedStyle(s).font; return [...s.options].every(o => c.measureText(o.text).width + 30 <= s.getBoundingClientRect().width); }");
            Assert.True(fits, "an option of the stance box is cut");
        }
    }

    /// <summary>
    /// On a portrait tablet the draft is shown first and the chair's controls, the coalition box and the silence panel's
    /// controls below it, but only on the screen (CSS order): the keyboard went from the item's heading to the chair's
    /// controls below the draft, then jumped back up into the draft. The page's order now follows what is seen, also when
    /// the tablet is turned.
    /// </summary>
    [Fact]
    public async Task OnATabletTheKeyboardMeetsTheItemsPanelsInTheOrderTheyAreShown()
    {
        var room = await OpenAsync("chair", 1, 768, 1024);
        var page = room.Page;
        const string Order = """
            () => [...document.querySelector('.item-main').children].filter(e => e.getBoundingClientRect().height > 0).map(e => e.className.split(' ').find(c => ['item-header', 'chair-controls', 'coalition', 'silence', 'draft', 'versions'].includes(c)) ?? '').filter(Boolean)
            """;
        const string Seen = """
            () => [...document.querySelector('.item-main').children].filter(e => e.getBoundingClientRect().height > 0).sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map(e => e.className.split(' ').find(c => ['item-header', 'chair-controls', 'coalition', 'silence', 'draft', 'versions'].includes(c)) ?? '').filter(Boolean)
            """;
        var inPage = await page.EvaluateAsync<string[]>(Order);
        Assert.Equal(await page.EvaluateAsync<string[]>(Seen), inPage);
        Assert.True(Array.IndexOf(inPage, "draft") < Array.IndexOf(inPage, "chair-controls"), string.Join(", ", inPage));

        // Turned to landscape (wider than 820 px): the chair's controls go back above the draft, in the page too.
        await page.SetViewportSizeAsync(1280, 800);
        await Expect(page.Locator(".item-main > .chair-controls + .coalition, .item-main > .chair-controls ~ .draft").First).ToBeAttachedAsync();
        inPage = await page.EvaluateAsync<string[]>(Order);
        Assert.Equal(await page.EvaluateAsync<string[]>(Seen), inPage);
        Assert.True(Array.IndexOf(inPage, "chair-controls") < Array.IndexOf(inPage, "draft"), string.Join(", ", inPage));
    }

    /// <summary>
    /// A keyboard user going back up the page (Shift+Tab) brings each control into view at the top of the window, where
    /// the top bar stayed over it: a control focused and wholly hidden under the bar, on a phone a bar of three lines.
    /// </summary>
    [Fact]
    public async Task NoControlTheKeyboardReachesOnAPhoneIsHiddenUnderTheTopBar()
    {
        var room = await OpenAsync("hu", 1, 390, 844);
        var page = room.Page;
        await page.Locator("#invitation-list, .presence-list").Last.ScrollIntoViewIfNeededAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, document.documentElement.scrollHeight)");
        await page.Locator(".positions tr[data-key='HU'] button[type='submit']").FocusAsync();

        var hidden = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
            var covered = await page.EvaluateAsync<string?>(
                """
                () => {
                  const a = document.activeElement;
                  if (!a || a === document.body || a.closest('#topbar, .skip-link')) return null;
                  const r = a.getBoundingClientRect();
                  if (r.width === 0 || r.height === 0) return null;
                  const bar = document.getElementById('topbar').getBoundingClientRect();
                  return r.bottom <= Math.max(0, bar.bottom) ? `${a.tagName.toLowerCase()}.${[...a.classList].join('.')} (${a.getAttribute('aria-label') ?? a.textContent.trim().slice(0, 30)}) ends at ${Math.round(r.bottom)} px under a bar ending at ${Math.round(bar.bottom)} px` : null;
                }
                """);
            if (covered is not null)
            {
                hidden.Add(covered);
            }
        }

        Assert.True(hidden.Count == 0, string.Join("; ", hidden));
    }

    /// <summary>The deepest elements that reach past the viewport's right edge, to say what to fix.</summary>
    private static async Task<string> TooWideAsync(IPage page, int width)
    {
        var found = await page.EvaluateAsync<JsonElement>(
            """
            (width) => [...document.querySelectorAll('body *')]
              .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 0.5; })
              .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 0.5))
              .slice(0, 8)
              .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`)
            """, width);
        return string.Join("; ", found.EnumerateArray().Select(e => e.GetString()));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BriefingRoom.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No BriefingRoom.sln above {AppContext.BaseDirectory}.");
    }
}
