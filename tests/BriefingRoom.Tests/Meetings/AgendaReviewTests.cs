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
        (await admin.PostJsonAsync("/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" })).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync($"{M}/participants", new { delegationCode = "CH" })).EnsureSuccessStatusCode();
        var version = app.WithDb(db => db.Items.Single(i => i.Id == 2).Version);
        (await admin.PutJsonAsync($"{M}/items/2", new { title = "Security guarantees", rule = "consensus", guests = new[] { "UA", "UK", "NO", "JP", "KR", "TR", "CH" }, expectedVersion = version })).EnsureSuccessStatusCode();
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
        Assert.True(stored > version + 1, "the item's version moves with its guests, so a chair's edit from the old list is stale");
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
}
