using System.Text.Json;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class SeatsPanelTests : RoomTest
{
    /// <summary>
    /// The chair's Seats panel reads the list again on every change of seats. Two changes close together (two seats revoked,
    /// an invitation accepted as another seat goes) read it twice, and the answers may come back in either order: the
    /// older one, drawn last, showed a seat revoked a moment before with its "Revoke seat" button, until the next change.
    /// </summary>
    [Fact]
    public async Task AnOlderListOfSeatsArrivingLastDoesNotBringBackASeatRevokedSince()
    {
        var chair = await OpenFirstAsync("chair", 3);
        var seats = chair.Page.GetByRole(AriaRole.Region, new() { Name = "Seats" });
        await Expect(seats.Locator("li").Filter(new() { HasText = "Belgium delegate" })).ToHaveCountAsync(1);
        var (_, body) = await chair.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships", null);
        int SeatOf(string code) => JsonDocument.Parse(body).RootElement.EnumerateArray()
            .First(m => m.GetProperty("delegationCode").GetString() == code).GetProperty("id").GetInt32();

        // The lists read after the first revocation (the Seats panel's, and the export panel's recipients) are answered only
        // after those read after the second.
        var holding = 1;
        var held = new System.Collections.Concurrent.ConcurrentQueue<(IRoute Route, IAPIResponse Response)>();
        var heldOne = new SemaphoreSlim(0);
        await chair.Page.RouteAsync($"**/api/meetings/{RoomServer.DemoMeetingId}/memberships", async route =>
        {
            if (route.Request.Method == "GET" && Volatile.Read(ref holding) == 1)
            {
                held.Enqueue((route, await route.FetchAsync()));
                heldOne.Release();
                return;
            }

            await route.ContinueAsync();
        });

        Assert.Equal(204, (await chair.FetchAsync("DELETE", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships/{SeatOf("DE")}", null)).Status);
        Assert.True(await heldOne.WaitAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.True(await heldOne.WaitAsync(TimeSpan.FromSeconds(15), Ct));
        Volatile.Write(ref holding, 0);
        Assert.Equal(204, (await chair.FetchAsync("DELETE", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships/{SeatOf("BE")}", null)).Status);
        await Expect(seats.Locator("li").Filter(new() { HasText = "Belgium delegate" })).ToHaveCountAsync(0);

        foreach (var (route, response) in held)
        {
            await route.FulfillAsync(new() { Response = response });
        }

        // The older answer has been read once the page has read one more, asked for after it.
        await chair.Page.EvaluateAsync("async () => { await (await fetch('/api/meetings/1/memberships')).text(); await new Promise((r) => setTimeout(r, 0)); }");

        await Expect(seats.Locator("li").Filter(new() { HasText = "Belgium delegate" })).ToHaveCountAsync(0);
        await Expect(seats.Locator("li").Filter(new() { HasText = "Germany delegate" })).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The list is drawn again on every change of seats, whoever made it: a chair with the keyboard on a seat's "Revoke
    /// seat" lost it to the top of the page each time another chair seated or revoked someone, and when another chair
    /// revoked that very seat. The keyboard stays on the same seat's button, or goes to the next seat's when it went.
    /// </summary>
    [Fact]
    public async Task TheKeyboardStaysOnTheSeatsWhenAnotherChairChangesThem()
    {
        var chair = await OpenFirstAsync("chair", 3);
        var admin = await OpenAsync("admin", 3);
        var seats = chair.Page.GetByRole(AriaRole.Region, new() { Name = "Seats" });
        var belgium = seats.GetByRole(AriaRole.Button, new() { Name = "Revoke seat of Belgium delegate" });
        await belgium.FocusAsync();
        await Expect(belgium).ToBeFocusedAsync();
        var (_, body) = await admin.FetchAsync("GET", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships", null);
        int SeatOf(string code) => JsonDocument.Parse(body).RootElement.EnumerateArray()
            .First(m => m.GetProperty("delegationCode").GetString() == code).GetProperty("id").GetInt32();

        Assert.Equal(204, (await admin.FetchAsync("DELETE", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships/{SeatOf("DE")}", null)).Status);
        await Expect(seats.Locator("li").Filter(new() { HasText = "Germany delegate" })).ToHaveCountAsync(0);
        await Expect(belgium).ToBeFocusedAsync();

        Assert.Equal(204, (await admin.FetchAsync("DELETE", $"/api/meetings/{RoomServer.DemoMeetingId}/memberships/{SeatOf("BE")}", null)).Status);
        await Expect(seats.Locator("li").Filter(new() { HasText = "Belgium delegate" })).ToHaveCountAsync(0);
        await Expect(seats.Locator("button:focus")).ToHaveCountAsync(1);
        await Expect(seats.Locator("button:focus")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Revoke seat of "));
    }
}
