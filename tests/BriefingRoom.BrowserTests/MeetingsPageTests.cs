using System.Text.Json;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class MeetingsPageTests : RoomTest
{
    /// <summary>
    /// The meetings page was read once: a delegate who kept it open (waiting for the summit to start, say) went on seeing a
    /// meeting renamed or moved since, and a seat taken away, until they reloaded it. It now hears of every change to their
    /// list, and the keyboard stays where it was.
    /// </summary>
    [Fact]
    public async Task TheMeetingsPageShowsAChangeOfTheMeetingAndASeatTakenAwayWithoutAReload()
    {
        var tab = await NewPageAsync();
        var france = new RoomPage(tab, Server);
        // The page's connection is up once the hub has answered its handshake: changes made before that are in the list it
        // loads; what this test changes after it must come live.
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tab.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            if (frame.Text?.StartsWith("{}", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        await france.SignInAsync("fr");
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        var link = tab.Locator(".meeting-link");
        await Expect(link).ToBeFocusedAsync();

        var chair = new RoomPage(await NewPageAsync(), Server);
        await chair.SignInAsync("chair");
        var (_, room) = await chair.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}", null);
        var meeting = JsonDocument.Parse(room).RootElement.GetProperty("meeting");
        var (renamed, why) = await chair.FetchAsync("PUT", $"/api/meetings/{RoomServer.DemoMeetingId}", new
        {
            title = "European Council (resumed)", date = meeting.GetProperty("date").GetString(), place = "Luxembourg",
            documentNumber = meeting.GetProperty("documentNumber").GetString(), status = meeting.GetProperty("status").GetString(),
            expectedVersion = meeting.GetProperty("version").GetInt32(),
        });
        Assert.True(renamed == 200, why);

        await Expect(link).ToContainTextAsync("European Council (resumed)");
        await Expect(link).ToContainTextAsync("Luxembourg");
        await Expect(link).ToBeFocusedAsync();

        var (_, seats) = await chair.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships", null);
        var seat = JsonDocument.Parse(seats).RootElement.EnumerateArray().First(m => m.GetProperty("delegationCode").GetString() == "FR").GetProperty("id").GetInt32();
        var (revoked, answer) = await chair.FetchAsync("DELETE", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships/{seat}", null);
        Assert.True(revoked == 204, answer);

        await Expect(tab.Locator(".meetings .empty")).ToContainTextAsync("You have no seat in any meeting yet");
        await Expect(link).ToHaveCountAsync(0);
        // The link the keyboard was on is gone: it is on the page's heading, not lost on the body.
        await Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Your meetings" })).ToBeFocusedAsync();
    }
}
