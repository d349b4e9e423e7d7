using BriefingRoom.Meetings;
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

    /// <summary>
    /// A participant carried no version: a head of delegation renamed from a view read before Hungary's voting rights were
    /// suspended sent the old flag back and silently gave Hungary its vote again.
    /// </summary>
    [Fact]
    public async Task AChangeMadeFromAnOlderViewOfAParticipantIsRefusedAndLiftsNoSuspension()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var admin = await app.SignInAsync("admin");
        var read = (await chair.GetJsonAsync<MeetingSnapshot>(M)).Participants.Single(p => p.DelegationCode == "HU");
        Assert.False(read.VotingRightsSuspended);

        var suspended = await admin.PutJsonAsync($"{M}/participants/HU", new { headOfDelegation = read.HeadOfDelegation, votingRightsSuspended = true, expectedVersion = read.Version });
        await suspended.ShouldBeAsync(200);
        Assert.Equal(read.Version + 1, (await suspended.ReadAsync<ParticipantDto>()).Version);

        var stale = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.PutJsonAsync($"{M}/participants/HU", new { headOfDelegation = "Someone else", votingRightsSuspended = false, expectedVersion = read.Version }));
        await stale.ShouldBeAsync(409);
        var problem = await stale.ReadJsonAsync();
        Assert.Contains($"at version {read.Version + 1}, not {read.Version}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("current").GetProperty("votingRightsSuspended").GetBoolean());
        Assert.True(app.WithDb(db => db.Participants.Single(p => p.MeetingId == 1 && p.DelegationCode == "HU").VotingRightsSuspended));

        // The same values again change nothing and raise no version: a second press is not a conflict for anyone.
        var again = await admin.PutJsonAsync($"{M}/participants/HU", new { headOfDelegation = read.HeadOfDelegation, votingRightsSuspended = true, expectedVersion = read.Version + 1 });
        await again.ShouldBeAsync(200);
        Assert.Equal(read.Version + 1, (await again.ReadAsync<ParticipantDto>()).Version);
    }
}
