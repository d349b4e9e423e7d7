using System.Text.Json;
using BriefingRoom.Data;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Meetings;

/// <summary>The chair's agenda and participant changes, as the room's screens meet them.</summary>
public class AgendaReviewTests
{
    private const string M = "/api/meetings/1";

    [Fact]
    public async Task RemovingAnInvitedGuestDelegationTellsTheRoomItsItemsNoLongerListIt()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        await admin.InviteSwitzerlandToItemTwoAsync(app);
        var invited = app.WithDb(db => db.Items.Single(i => i.Id == 2).Version);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var before = france.LastSeq;

        await (await admin.DeleteAsync($"{M}/participants/CH", TestHttp.Ct)).ShouldBeAsync(204);

        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "participant.removed"), "France hears Switzerland left");
        await france.WaitUntilAsync(c => c.LastSeq >= app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq), "France is up to date");
        // The item's guests on France's screen come from the snapshot and the item events after it: one must say CH is gone.
        var latest = france.Events.Where(e => e.Seq > before && e.ItemId == 2 && e.Type == "item.updated").Select(e => e.Payload).LastOrDefault();
        Assert.True(latest.ValueKind == JsonValueKind.Object, "an item.updated event tells the room item 2's guests changed");
        var guests = latest.GetProperty("guests").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.DoesNotContain("CH", guests);
        var stored = app.WithDb(db => db.Items.Single(i => i.Id == 2).Version);
        Assert.Equal(stored, latest.GetProperty("version").GetInt32());
        Assert.True(stored > invited, "the item's version moves with its guests, so a chair's edit from the old list is stale");
    }

    /// <summary>
    /// The agenda numbers items as the Council does, "IV. …", and so does every message the page writes of them; the
    /// server's refusals said "Item 4 is locked by …", so a delegate had to translate to find the item it meant.
    /// </summary>
    [Fact]
    public async Task ARefusalNamesTheItemByTheNumeralTheAgendaShowsIt()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        var number = app.WithDb(db => db.Items.Single(i => i.Id == 4).Number);
        Assert.Equal(4, number);
        await (await chair.PostJsonAsync($"{M}/items/4/lock", new { reason = "legal-linguistic check" })).ShouldBeAsync(200);
        using var hungary = await app.SignInAsync("hu");
        var version = app.WithDb(db => db.Positions.Where(p => p.ItemId == 4 && p.DelegationCode == "HU").Select(p => (int?)p.Version).SingleOrDefault()) ?? 0;

        var refused = await Fingerprint.AssertUnchangedAsync(app, () => hungary.PutJsonAsync($"{M}/items/4/positions/HU", new { stance = "abstain", expectedVersion = version }));

        Assert.Equal("Item IV is locked by António Costa (chair): legal-linguistic check", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    /// <summary>
    /// An agenda had no bound: every item is a live text in the meeting's memory and in every room snapshot, and each
    /// reorder checked the whole list against every item, inside the one writer the other meetings share.
    /// </summary>
    [Fact]
    public async Task AnAgendaHoldsAtMostItsBoundOfItemsAndTheOneTooManyChangesNothing()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        var count = app.WithDb(db => db.Items.Count(i => i.MeetingId == 1));
        for (var n = count; n < Limits.AgendaItems; n++)
        {
            await (await chair.PostJsonAsync($"{M}/items", new { title = $"A item {n + 1}", rule = "qualifiedMajority" })).ShouldBeAsync(200);
        }

        var refused = await Fingerprint.AssertUnchangedAsync(app, () => chair.PostJsonAsync($"{M}/items", new { title = "One too many", rule = "qualifiedMajority" }));
        await refused.ShouldBeAsync(409);
        Assert.Contains($"at most {Limits.AgendaItems} items", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The whole agenda can still be put in order, and then takes a new item once one has gone.
        var ids = app.WithDb(db => db.Items.Where(i => i.MeetingId == 1).OrderByDescending(i => i.Number).Select(i => i.Id).ToList());
        await (await chair.PutJsonAsync($"{M}/agenda/order", new { itemIds = ids })).ShouldBeAsync(200);
        await (await chair.DeleteAsync($"{M}/items/{ids[0]}", TestHttp.Ct)).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items", new { title = "Room again", rule = "qualifiedMajority" })).ShouldBeAsync(200);
    }

    [Fact]
    public async Task TwoAdminsAddingTheSameDelegationAtOnceAreAnsweredOneCreatedOneExistsAlready()
    {
        // The first waits just before its row is written, while the second looks, finds no such code, and writes it.
        var inserting = new HoldingInterceptor(sql => sql.Contains("INSERT INTO \"Delegations\"", StringComparison.Ordinal));
        await using var app = new BriefingApp().WithServices(s => s.ConfigureDbContext<SqliteBriefingDb>(o => o.AddInterceptors(inserting)));
        using var admin = await app.SignInAsync("admin");
        using var colleague = await app.SignInAsync("admin");

        inserting.HoldNext();
        var first = admin.PostJsonAsync("/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" });
        await inserting.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        await (await colleague.PostJsonAsync("/api/delegations", new { code = "CH", name = "Swiss Confederation", kind = "guest" })).ShouldBeAsync(201);
        inserting.Release();

        var late = await first;
        await late.ShouldBeAsync(400);
        var problem = await late.ReadJsonAsync();
        Assert.Contains("exists already", problem.GetProperty("errors").GetProperty("code")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Swiss Confederation", app.WithDb(db => db.Delegations.Single(d => d.Code == "CH").Name));
    }

    [Fact]
    public async Task AReorderMadeFromAnAgendaThatHasSinceBeenReorderedIsRefusedWithTheCurrentOrder()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var admin = await app.SignInAsync("admin");
        int[] seen = [1, 2, 3, 4, 5];

        // The admin moves item V up; the chair, who has not seen it yet, moves item I down from the order both saw.
        await (await admin.PutJsonAsync($"{M}/agenda/order", new { itemIds = new[] { 1, 2, 3, 5, 4 }, expectedOrder = seen })).ShouldBeAsync(200);
        var stale = await Fingerprint.AssertUnchangedAsync(app, () => chair.PutJsonAsync($"{M}/agenda/order", new { itemIds = new[] { 2, 1, 3, 4, 5 }, expectedOrder = seen }));

        await stale.ShouldBeAsync(409);
        var problem = await stale.ReadJsonAsync();
        Assert.Contains("changed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal([1, 2, 3, 5, 4], app.WithDb(db => db.Items.Where(i => i.MeetingId == 1).OrderBy(i => i.Number).Select(i => i.Id).ToList()));
    }

    [Fact]
    public async Task RenamingAnItemWithoutListingItsGuestsKeepsThemInvited()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        await using var ukraine = await RoomClient.JoinAsync(app, "ua");
        var version = app.WithDb(db => db.Items.Single(i => i.Id == 2).Version);

        // An API client that edits the title leaves the guests out: that must not uninvite every third country.
        await (await chair.PutJsonAsync($"{M}/items/2", new { title = "Security guarantees for Ukraine", rule = "consensus", expectedVersion = version })).ShouldBeAsync(200);

        await ukraine.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.updated" && e.ItemId == 2), "Ukraine hears the new title");
        Assert.DoesNotContain(ukraine.Events, e => e.Type == "item.hidden");
        Assert.Equal(["JP", "KR", "NO", "TR", "UA", "UK"], app.WithDb(db => db.ItemGuests.Where(g => g.ItemId == 2).Select(g => g.DelegationCode).OrderBy(c => c).ToList()));
    }

    [Fact]
    public async Task RenamingAnItemWithoutItsDescriptionKeepsTheDescription()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        var version = app.WithDb(db => db.Items.Single(i => i.Id == 2).Version);
        var description = app.WithDb(db => db.Items.Single(i => i.Id == 2).Description);
        Assert.NotEqual("", description);

        await (await chair.PutJsonAsync($"{M}/items/2", new { title = "Security guarantees for Ukraine", rule = "consensus", expectedVersion = version })).ShouldBeAsync(200);

        Assert.Equal(description, app.WithDb(db => db.Items.Single(i => i.Id == 2).Description));
        await (await chair.PutJsonAsync($"{M}/items/2", new { title = "Security guarantees for Ukraine", description = "", rule = "consensus", expectedVersion = version + 1 })).ShouldBeAsync(200);
        Assert.Equal("", app.WithDb(db => db.Items.Single(i => i.Id == 2).Description));
    }

    [Fact]
    public async Task SettingAnItemsStatusOrPenToWhatItAlreadyIsChangesNothingAndTellsNoOne()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        var item = app.WithDb(db => db.Items.Single(i => i.Id == 1));
        Assert.Equal(BriefingRoom.Agenda.ItemStatus.UnderDiscussion, item.Status);

        // A second press of "Set status", or a second client: nothing moves, so nobody is told it did, and a colleague's
        // edit made at the item's version is not turned into a conflict.
        var status = await Fingerprint.AssertUnchangedAsync(app, () => chair.PutJsonAsync($"{M}/items/1/status", new { status = "underDiscussion", expectedVersion = item.Version }));
        await status.ShouldBeAsync(200);
        Assert.Equal(item.Version, (await status.ReadJsonAsync()).GetProperty("version").GetInt32());

        var pen = await Fingerprint.AssertUnchangedAsync(app, () => chair.PutJsonAsync($"{M}/items/1/drafting-mode", new { mode = item.DraftingMode == BriefingRoom.Agenda.DraftingMode.Open ? "open" : "presidencyPen" }));
        await pen.ShouldBeAsync(200);
    }

    /// <summary>
    /// A lock's reason is read by everyone, after "Locked by …:" on the item, in the agenda and in what a screen reader is
    /// told ("… locked item II: [reason]. Its texts are read-only."). One of zero-width characters alone said nothing, and
    /// an override left open turned around whatever the page wrote after it.
    /// </summary>
    [Theory]
    [InlineData("\u200B\u2060")]
    [InlineData("\u202EPending legal check")]
    public async Task ALockReasonWithNothingVisibleOrABidiControlLeftOpenIsRefusedNamingTheReason(string reason)
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");

        var refused = await Fingerprint.AssertUnchangedAsync(app, () => chair.PostJsonAsync($"{M}/items/1/lock", new { reason }));

        await refused.ShouldBeAsync(400);
        var errors = (await refused.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("reason", out var messages), $"errors name the reason: {errors}");
        Assert.Matches("has no visible character|leaves U\\+202E open", messages[0].GetString());
        Assert.Null(app.WithDb(db => db.Items.Single(i => i.Id == 1).LockedAt));

        // Said legibly, or not at all, the item locks.
        await (await chair.PostJsonAsync($"{M}/items/1/lock", new { reason = "\u2067مراجعة قانونية\u2069 pending" })).ShouldBeAsync(200);
    }

    /// <summary>
    /// An agreed item's decision rule could still be changed: the tally then said, after the fact, that an item the
    /// Council agreed by consensus failed or was blocked under another rule. Its title may still be corrected.
    /// </summary>
    [Fact]
    public async Task AnAgreedItemKeepsTheRuleItWasAgreedUnderUntilTheChairReopensIt()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        var version = app.WithDb(db => db.Items.Single(i => i.Id == 5).Version);

        var refused = await Fingerprint.AssertUnchangedAsync(app, () =>
            chair.PutJsonAsync($"{M}/items/5", new { title = "Middle East", rule = "qualifiedMajority", expectedVersion = version }));

        await refused.ShouldBeAsync(409);
        Assert.Contains("was agreed under the rule it has (\"consensus\")", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await chair.PutJsonAsync($"{M}/items/5", new { title = "Middle East", rule = "consensus", expectedVersion = version })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion", expectedVersion = version + 1 })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5", new { title = "Middle East", rule = "qualifiedMajority", expectedVersion = version + 2 })).ShouldBeAsync(200);
        Assert.Equal(BriefingRoom.Voting.DecisionRule.QualifiedMajority, app.WithDb(db => db.Items.Single(i => i.Id == 5).Rule));
    }
}
