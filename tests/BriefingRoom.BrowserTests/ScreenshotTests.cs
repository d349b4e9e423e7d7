using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

/// <summary>
/// Renders the demo room as the README shows it (1440x900, the chair's view of item I with two delegations at work and the live tally).
/// Every run checks that the room renders; with BRIEFINGROOM_SCREENSHOT=1 it also refreshes docs/images/room.png.
/// </summary>
public class ScreenshotTests : RoomTest
{
    [Fact]
    public async Task TheDemoRoomRendersWithCoEditorsAtWork()
    {
        var france = await OpenAsync("fr", 1);
        var hungary = await OpenAsync("hu", 1);
        var chair = await OpenAsync("chair", 1);

        var draft = france.Draft(1);
        await draft.FocusAsync();
        await draft.PressAsync("Control+Home");
        for (var i = 0; i < 3; i++)
        {
            await draft.PressAsync("ArrowDown");
        }

        await draft.PressAsync("End");
        await draft.PressAsync("Shift+Home");
        var theirs = hungary.Draft(1);
        await theirs.FocusAsync();
        await theirs.PressAsync("Control+End");
        await Expect(chair.Page.Locator(".editor-draft .remote-caret-label").GetByText("France delegate")).ToBeVisibleAsync();
        await Expect(chair.Page.Locator(".editor-draft .remote-caret-label").GetByText("Hungary delegate")).ToBeVisibleAsync();
        await Expect(chair.Page.Locator(".presence-list > li")).ToHaveCountAsync(3);
        await Expect(chair.Page.Locator(".tally .tally-flips")).ToContainTextAsync("If Hungary abstains: adopted");

        var path = Environment.GetEnvironmentVariable("BRIEFINGROOM_SCREENSHOT") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "images", "room.png")
            : Path.Combine(Path.GetTempPath(), $"briefingroom-room-{Guid.NewGuid():N}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await chair.Page.Mouse.MoveAsync(0, 0);
        await chair.Page.ScreenshotAsync(new() { Path = path });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");
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
