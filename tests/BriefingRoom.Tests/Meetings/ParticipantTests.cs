using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Tests.Silence;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Tests.Meetings;

/// <summary>The chair adds and removes the delegations that take part; what is on record, or frozen, stays as it is.</summary>
public class ParticipantTests
{
    private const string M = "/api/meetings/1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Removing a guest delegation takes it off every item it was invited to. On a locked item, or one a silence procedure
    /// decides, the chair's own edit of the guests is refused; the removal changed them anyway, behind the lock.
    /// </summary>
    [Fact]
    public async Task AGuestOnALockedItemOrOneUnderSilenceIsNotRemovedBehindTheFreeze()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        var admin = await app.SignInAsync("admin");
        var chair = await app.SignInAsync("chair");
        await (await admin.PostJsonAsync("/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" })).ShouldBeAsync(201);
        await (await chair.PostJsonAsync($"{M}/participants", new { delegationCode = "CH" })).ShouldBeAsync(200);
        var item = app.WithDb(db => db.Items.Include(i => i.Guests).Single(i => i.MeetingId == 1 && i.Number == 2));
        await (await chair.PutJsonAsync($"{M}/items/{item.Id}", new { title = item.Title, rule = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(item.Rule.ToString()), guests = item.Guests.Select(g => g.DelegationCode).Append("CH").ToArray(), expectedVersion = item.Version })).ShouldBeAsync(200);

        await (await chair.PostJsonAsync($"{M}/items/{item.Id}/lock", new { reason = "Legal-linguistic check" })).ShouldBeAsync(200);
        var locked = await Fingerprint.AssertUnchangedAsync(app, () => chair.DeleteAsync($"{M}/participants/CH", Ct));
        await locked.ShouldBeAsync(409);
        Assert.Contains("guest on item II, which is locked", (await locked.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        await (await chair.DeleteAsync($"{M}/items/{item.Id}/lock", Ct)).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/{item.Id}/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(24)))).ShouldBeAsync(200);
        var silenced = await Fingerprint.AssertUnchangedAsync(app, () => chair.DeleteAsync($"{M}/participants/CH", Ct));
        await silenced.ShouldBeAsync(409);
        Assert.Contains("silence procedure", (await silenced.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Once the item moves again, the guest goes, and the item no longer lists it.
        await (await chair.DeleteAsync($"{M}/items/{item.Id}/silence", Ct)).ShouldBeAsync(200);
        await (await chair.DeleteAsync($"{M}/participants/CH", Ct)).ShouldBeAsync(204);
        Assert.DoesNotContain("CH", app.WithDb(db => db.Items.Include(i => i.Guests).Single(i => i.Id == item.Id).Guests.Select(g => g.DelegationCode).ToList()));
    }
}
