using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// Presence and carets as a page applies them: presence deltas add up to the room (RoomClient), a caret stays until a
/// delta names its connection as gone or its person is no longer on the item (views/room.js keepCarets).
/// </summary>
public class PresenceAudienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A caret that a server may refuse (or drop) without that being the test's failure.</summary>
    private static async Task MoveCaretMaybeRefusedAsync(RoomClient client, string documentId, int anchor)
    {
        try
        {
            await client.MoveCaretAsync(documentId, anchor);
        }
        catch (HubException)
        {
            // Refusing is one right answer; what counts is that nobody is shown the caret.
        }
    }

    private static async Task SetGuestsAsync(HttpClient chair, int itemId, Func<IReadOnlyList<string>, string[]> guests)
    {
        var item = (await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Items.Single(i => i.Id == itemId);
        var response = await chair.PutJsonAsync($"/api/meetings/1/items/{itemId}", new
        {
            title = item.Title, description = item.Description, rule = item.Rule,
            guests = guests(item.Guests), expectedVersion = item.Version,
        });
        await response.ShouldBeAsync(200);
    }

    [Fact]
    public async Task AGuestInvitedToAnItemSeesWhoIsAlreadyOnIt()
    {
        await using var app = new BriefingApp(realSockets: true);
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await france.Hub.InvokeAsync("Focus", 1, (int?)3, Ct);
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        await uk.WaitUntilAsync(c => c.ItemsOf("FR") is { Count: 0 }, "the UK sees France, on no item of its own");

        await SetGuestsAsync(chair, 3, guests => [.. guests, "UK"]);
        await uk.WaitUntilAsync(c => c.Events.Any(e => e.ItemId == 3), "the UK hears of item 3, to which it is now invited");

        // Anything later in the room's presence: by then the UK's picture of the room must show France on item 3.
        await using var germany = await RoomClient.JoinAsync(app, "de");
        await uk.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "DE") == true, "the UK sees Germany come in");
        Assert.True(uk.ItemsOf("FR")!.Contains(3),
            $"The UK, now invited to item 3, still does not see France on it (France is on [{string.Join(", ", france.ItemsOf("FR") ?? [])}] for the members; the UK sees [{string.Join(", ", uk.ItemsOf("FR")!)}]).");
    }

    [Fact]
    public async Task AGuestDroppedFromAnItemNoLongerSeesWhoIsOnIt()
    {
        await using var app = new BriefingApp(realSockets: true);
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        await france.Hub.InvokeAsync("Focus", 1, (int?)2, Ct);
        await uk.WaitUntilAsync(c => c.ItemsOf("FR")?.SequenceEqual([2]) == true, "the UK sees France on item 2");

        await SetGuestsAsync(chair, 2, guests => [.. guests.Where(g => g != "UK")]);
        await uk.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.hidden" && e.ItemId == 2), "the UK hears that item 2 is hidden from it");

        await using var germany = await RoomClient.JoinAsync(app, "de");
        await uk.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "DE") == true, "the UK sees Germany come in");
        Assert.False(uk.ItemsOf("FR")!.Contains(2),
            "The UK, dropped from item 2, is still shown where France works: on item 2, an item it may no longer see.");
    }

    [Fact]
    public async Task AGuestLearnsNothingWhenSomeoneMovesBetweenItemsItCannotSee()
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        await using var france = await app.JoinNamedAsync("fr");
        await france.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await france.WaitUntilAsync(c => c.ItemsOf("FR")?.SequenceEqual([1]) == true, "France is on item 1");
        await uk.WaitUntilAsync(c => c.ItemsOf("FR") is not null, "the UK sees France in the room");
        // Presence goes out in order: once the UK sees Italy come in, it has had everything about France's first move.
        await using var italy = await RoomClient.JoinAsync(app, "it");
        await uk.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "IT") == true, "the UK sees Italy come in");

        var heard = new List<PresenceDto>();
        uk.Hub.On<PresenceDto>(nameof(IBriefingClient.PresenceChanged), p =>
        {
            lock (heard)
            {
                heard.Add(p);
            }
        });

        // Items 1 and 3 are not the UK's: France turning from one to the other is none of its business.
        await france.Hub.InvokeAsync("Focus", 1, (int?)3, Ct);
        await france.WaitUntilAsync(c => c.ItemsOf("FR")?.SequenceEqual([3]) == true, "France is on item 3");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        await uk.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "DE") == true, "the UK sees Germany come in");

        var franceId = france.Presence!.Users.Single(u => u.DelegationCode == "FR").UserId;
        lock (heard)
        {
            var told = heard.Where(p => p.Users.Any(u => u.UserId == franceId) || p.Gone.Contains(france.Hub.ConnectionId!)).ToList();
            Assert.True(told.Count == 0,
                $"The UK was told of France's move between two items it cannot see: {string.Join(" | ", told.Select(p => $"users [{string.Join(", ", p.Users.Select(u => u.Name))}], gone [{string.Join(", ", p.Gone)}]"))}");
        }
    }

    [Fact]
    public async Task ACaretSentAfterLeavingTheMeetingIsShownToNobody()
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var chair = await RoomClient.JoinAsync(app, "chair");
        await using var leaving = await app.JoinNamedAsync("hu");
        await using var staying = await app.JoinNamedAsync("hu");
        await leaving.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await staying.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await chair.WaitUntilAsync(c => c.ItemsOf("HU")?.SequenceEqual([1]) == true, "Hungary is on item 1");

        var left = leaving.Hub.ConnectionId!;
        await leaving.Hub.InvokeAsync("LeaveMeeting", 1, Ct);
        await chair.WaitUntilAsync(c => c.GoneSeen.Contains(left), "the tab that left is gone, its carets with it");

        // The tab is still connected, and still Hungary's: it is just no longer in the room.
        await MoveCaretMaybeRefusedAsync(leaving, "draft:1", 7);
        await staying.MoveCaretAsync("draft:1", 3);
        await chair.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == staying.Hub.ConnectionId), "the chair sees the tab still in the room");

        // Hungary is still on item 1 (the other tab), and no later delta will name the left connection again:
        // a caret shown now stays on the chair's page for good.
        Assert.True(chair.ItemsOf("HU")?.Contains(1) == true);
        var ghost = chair.Carets.Where(x => x.ConnectionId == left).ToList();
        Assert.True(ghost.Count == 0,
            $"The chair was shown a caret of a connection that had left the meeting, after it was reported gone: {string.Join(", ", ghost.Select(x => $"{x.Name} in {x.DocumentId} at {x.Anchor}"))}.");
    }

    [Fact]
    public async Task ACaretInATextOfAnItemTheTabHasTurnedFromIsShownToNobody()
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var chair = await RoomClient.JoinAsync(app, "chair");
        await using var turning = await app.JoinNamedAsync("hu");
        await using var staying = await app.JoinNamedAsync("hu");
        await turning.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await staying.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await chair.WaitUntilAsync(c => c.ItemsOf("HU")?.SequenceEqual([1]) == true, "Hungary is on item 1");

        var turned = turning.Hub.ConnectionId!;
        await turning.Hub.InvokeAsync("Focus", 1, (int?)3, Ct);
        await chair.WaitUntilAsync(c => c.GoneSeen.Contains(turned), "the tab that turned to item 3 is gone from item 1, its carets with it");

        // A caret in item 1's draft from the tab now on item 3 (a caret sent just before the turn, arriving after it).
        await MoveCaretMaybeRefusedAsync(turning, "draft:1", 7);
        await staying.MoveCaretAsync("draft:1", 3);
        await chair.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == staying.Hub.ConnectionId), "the chair sees the tab still on item 1");

        var ghost = chair.Carets.Where(x => x.ConnectionId == turned && x.DocumentId == "draft:1").ToList();
        Assert.True(ghost.Count == 0,
            $"The chair was shown a caret in item 1's draft from a tab reported gone from item 1 (now on item 3): {string.Join(", ", ghost.Select(x => $"{x.Name} at {x.Anchor}"))}.");
    }

    [Fact]
    public async Task ATabThatCameAndWentWithinOnePresenceIntervalHasItsCaretTakenAway()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = PacedBy(clock);
        await using var chair = await RoomClient.JoinAsync(app, "chair");
        await using var staying = await app.JoinNamedAsync("hu");
        clock.Advance(TimeSpan.FromSeconds(1));
        await chair.WaitUntilAsync(c => c.ItemsOf("HU") is not null, "the chair sees Hungary");
        await staying.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        await chair.WaitUntilAsync(c => c.ItemsOf("HU")?.SequenceEqual([1]) == true, "Hungary is on item 1");

        // A second tab (a page reconnecting, say) comes to item 1, puts its caret there and leaves again, all before
        // the room's next presence message.
        var briefId = await ABriefHungarianTabComesAndGoesAsync(app, chair);

        await using var germany = await RoomClient.JoinAsync(app, "de");
        clock.Advance(TimeSpan.FromSeconds(1));
        await chair.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "DE") == true, "the chair sees Germany come in");

        // Hungary is still on item 1 through the other tab, so only "gone" can take the brief tab's caret away.
        Assert.True(chair.ItemsOf("HU")?.Contains(1) == true);
        Assert.True(chair.GoneSeen.Contains(briefId),
            $"The brief tab's caret was shown, and no presence message named its connection as gone (gone so far: [{string.Join(", ", chair.GoneSeen)}]): its caret stays on the chair's page.");
    }

    /// <summary>An app whose presence is paced by <paramref name="clock"/>, so that "within one interval" is exact rather than a matter of speed.</summary>
    private static BriefingApp PacedBy(FakeTimeProvider clock) =>
        new BriefingApp(realSockets: true).WithServices(s => s.AddSingleton(sp => new PresenceSchedule(
            sp.GetRequiredService<IServiceScopeFactory>(), clock, sp.GetRequiredService<ILogger<PresenceSchedule>>())));

    /// <summary>
    /// A second Hungarian tab (a page reconnecting, say) comes to item 1, puts its caret there, is seen by
    /// <paramref name="watcher"/>, and leaves again. Returns its connection id.
    /// </summary>
    private static async Task<string> ABriefHungarianTabComesAndGoesAsync(BriefingApp app, RoomClient watcher)
    {
        await using var brief = await app.JoinNamedAsync("hu");
        var briefId = brief.Hub.ConnectionId!;
        await brief.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await brief.MoveCaretAsync("draft:1", 5);
        await watcher.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == briefId), $"{watcher.Who} sees the brief tab's caret");
        await brief.Hub.InvokeAsync("LeaveMeeting", 1, Ct);
        return briefId;
    }

    private static string Described(IEnumerable<PresenceDto> messages) =>
        string.Join("; ", messages.Select(p => $"{(p.Full ? "whole room" : "delta")} [{string.Join(", ", p.Users.Select(u => u.DelegationCode ?? u.Name))}]"));

    [Fact]
    public async Task APageThatJoinsIsSentTheWholeRoomOnceAndNotTheDeltaBesideIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = PacedBy(clock);
        // The room's first presence message goes at once; the next waits for the interval to end on the clock.
        await using var chair = await RoomClient.JoinAsync(app, "chair");
        await chair.WaitUntilAsync(c => c.Presence?.Users.Count == 1, "the chair is sent the room, with only the chair in it");

        // A member and a guest join within one interval: one send for both, as in a join storm.
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        clock.Advance(TimeSpan.FromSeconds(1));
        await chair.WaitUntilAsync(c => c.ItemsOf("FR") is not null && c.ItemsOf("UK") is not null, "the chair sees France and the UK come in");

        await using var hungary = await RoomClient.JoinAsync(app, "hu");
        clock.Advance(TimeSpan.FromSeconds(1));
        await france.WaitUntilAsync(c => c.ItemsOf("HU") is not null, "France sees Hungary come in");
        await uk.WaitUntilAsync(c => c.ItemsOf("HU") is not null, "the UK sees Hungary come in");

        // The whole room holds every change of its send: a delta beside it would only say most of it again (in a storm
        // of 2,000 joins, half the presence bytes on the wire).
        foreach (var (who, page) in new[] { ("France", france), ("The UK", uk) })
        {
            var seen = page.PresenceSeen;
            Assert.True(seen.Count == 2 && seen[0].Full && !seen[1].Full && seen[1].Users.Single().DelegationCode == "HU",
                $"{who} should have been sent the whole room, then Hungary's arrival; it was sent: {Described(seen)}.");
            Assert.Equal(["CHAIR", "FR", "UK"], seen[0].Users.Select(u => u.DelegationCode ?? "CHAIR").Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task APageThatJoinsIsToldInItsWholeRoomOfACaretGoneMeanwhile()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = PacedBy(clock);
        await using var staying = await app.JoinNamedAsync("hu");
        await staying.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        clock.Advance(TimeSpan.FromSeconds(1));

        // Germany joins; before the room's next presence message a second Hungarian tab comes to item 1, puts its caret
        // there (relayed to Germany at once) and leaves again.
        await using var germany = await RoomClient.JoinAsync(app, "de");
        var briefId = await ABriefHungarianTabComesAndGoesAsync(app, germany);

        clock.Advance(TimeSpan.FromSeconds(1));
        await germany.WaitUntilAsync(c => c.ItemsOf("HU")?.SequenceEqual([1]) == true, "Germany is sent the room, with Hungary on item 1");

        // Hungary is still on item 1 through the other tab, so only "gone" can take the brief tab's caret away.
        Assert.True(germany.GoneSeen.Contains(briefId),
            $"Germany was shown the brief tab's caret and never told its connection was gone (it was sent: {Described(germany.PresenceSeen)}; gone: [{string.Join(", ", germany.GoneSeen)}]).");
    }

    [Fact]
    public async Task AGuestThatMissedAPresenceDeltaIsBroughtUpToDateByTheNextOne()
    {
        // One read of the guests' invitations fails (a dropped database connection, a timeout): the members' delta has
        // gone out, the guests' has not.
        var failing = new FailingInterceptor(sql => sql.Contains("FROM \"ItemGuests\"", StringComparison.Ordinal) && sql.Contains("INNER JOIN", StringComparison.Ordinal),
            () => new TimeoutException("The database did not answer in time."));
        await using var app = new BriefingApp(realSockets: true).WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(failing)));
        await using var uk = await RoomClient.JoinAsync(app, "uk");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await uk.WaitUntilAsync(c => c.ItemsOf("FR") is { Count: 0 }, "the UK sees France in the room, on none of its items");

        failing.FailNext();
        await france.Hub.InvokeAsync("Focus", 1, (int?)2, Ct);
        await france.WaitUntilAsync(c => c.ItemsOf("FR")?.SequenceEqual([2]) == true, "the members see France on item 2");
        await failing.Failed.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        // Presence goes on: Germany comes in, and the UK hears of it.
        await using var germany = await RoomClient.JoinAsync(app, "de");
        await uk.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.DelegationCode == "DE") == true, "the UK sees Germany come in");
        Assert.True(uk.ItemsOf("FR")!.SequenceEqual([2]),
            $"France is on item 2, the UK's own item, but the UK, having missed one delta, still sees her on [{string.Join(", ", uk.ItemsOf("FR")!)}] and nothing will correct it.");
    }
}
