using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BriefingRoom.Tests.Conclusions;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Versions;

namespace BriefingRoom.Tests.Versions;

public class VersionTests
{
    private const string M = "/api/meetings/1";

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task TheSecretariatFreezesTheLiveDraftAsRev1ThenRev2WithExactTextRevisionAndHashAndEveryoneSeesItLive()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var watcher = await RoomClient.JoinAsync(app, "de");
        var secretariat = await app.SignInAsync("secretariat");

        // Typed a moment ago: the version must hold it, though the stored copy of the draft may lag the live one.
        france.Insert("draft:3", 0, "Tour de table. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "France's edit is acknowledged");
        var first = france.TextOf("draft:3");
        var firstRevision = france.RevisionOf("draft:3");

        var saved = await secretariat.PostJsonAsync($"{M}/items/3/versions", new { name = "  compromise after the tour de table " });
        await saved.ShouldBeAsync(200);
        var rev1 = await saved.ReadAsync<ItemVersionDto>();
        Assert.Equal((1, "REV 1", "compromise after the tour de table", firstRevision, Sha256(first), first.Length),
            (rev1.Number, rev1.Label, rev1.Name, rev1.Revision, rev1.Sha256, rev1.Length));
        await watcher.WaitUntilAsync(c => c.Events.Any(e => e.Type == "version.saved" && e.ItemId == 3 && e.Payload.GetProperty("sha256").GetString() == rev1.Sha256),
            "Germany sees REV 1 saved");

        france.Append("draft:3", " Second reading.");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "the second edit is acknowledged");
        var second = france.TextOf("draft:3");
        var chair = await app.SignInAsync("chair");
        var rev2 = await (await chair.PostJsonAsync($"{M}/items/3/versions", new { name = "after the second reading" })).ReadAsync<ItemVersionDto>();
        Assert.Equal((2, "REV 2", Sha256(second)), (rev2.Number, rev2.Label, rev2.Sha256));

        var franceApi = await app.SignInAsync("fr");
        var read = await franceApi.GetJsonAsync<ItemVersionTextDto>($"{M}/items/3/versions/1");
        Assert.Equal(first, read.Text);
        var list = await (await app.SignInAsync("hu")).GetJsonAsync<List<ItemVersionDto>>($"{M}/items/3/versions");
        Assert.Equal(["REV 1", "REV 2"], list.Select(v => v.Label));

        // The history at the version's revision is the version's text: the two records agree.
        var atRevision = await franceApi.GetJsonAsync<JsonElement>($"{M}/texts/draft:3/revisions/{rev1.Revision}");
        Assert.Equal(first, atRevision.GetProperty("text").GetString());

        // Numbers count per item: another item starts at REV 1.
        var other = await (await chair.PostJsonAsync($"{M}/items/4/versions", new { name = "first" })).ReadAsync<ItemVersionDto>();
        Assert.Equal("REV 1", other.Label);

        // Versions are immutable: REV 1 still reads as it was frozen.
        Assert.Equal(first, (await franceApi.GetJsonAsync<ItemVersionTextDto>($"{M}/items/3/versions/1")).Text);
    }

    [Fact]
    public async Task AnyoneWhoSeesTheItemComparesTwoVersionsOrAVersionWithTheTextNow()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync($"{M}/items/2/versions", new { name = "before" })).ShouldBeAsync(200);
        var before = france.TextOf("draft:2");
        france.Insert("draft:2", 0, "Coalitions of the willing are welcome. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:2"), "France's edit is acknowledged");
        await (await chair.PostJsonAsync($"{M}/items/2/versions", new { name = "after" })).ShouldBeAsync(200);
        france.Append("draft:2", " Now.");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:2"), "the later edit is acknowledged");

        // The United Kingdom is a guest of item 2: it compares too.
        var uk = await app.SignInAsync("uk");
        var two = await uk.GetJsonAsync<VersionComparisonDto>($"{M}/items/2/versions/compare?from=1&to=2");
        Assert.Equal((before, "Coalitions of the willing are welcome. " + before), (two.From.Text, two.To.Text));
        Assert.Equal(("REV 1 – before", "REV 2 – after"), (two.From.Label, two.To.Label));

        var now = await uk.GetJsonAsync<VersionComparisonDto>($"{M}/items/2/versions/compare?from=1");
        Assert.Equal(france.TextOf("draft:2"), now.To.Text);
        Assert.Equal(france.RevisionOf("draft:2"), now.To.Revision);
        Assert.Equal(Sha256(now.To.Text), now.To.Sha256);
        Assert.Null(now.To.Version);

        var unknown = await uk.GetAsync($"{M}/items/2/versions/compare?from=9", TestHttp.Ct);
        await unknown.ShouldBeAsync(400);
        Assert.True((await unknown.ReadJsonAsync()).GetProperty("errors").TryGetProperty("from", out _), "the problem names the field");
        var nonsense = await uk.GetAsync($"{M}/items/2/versions/compare?from=1&to=latest", TestHttp.Ct);
        await nonsense.ShouldBeAsync(400);
        Assert.True((await nonsense.ReadJsonAsync()).GetProperty("errors").TryGetProperty("to", out _), "the problem names the field");
    }

    [Fact]
    public async Task GuestsSeeVersionsOnlyOfTheItemsTheyAreInvitedToAndNobodyButChairAndSecretariatSavesOne()
    {
        await using var app = new BriefingApp();
        await using var ukRoom = await RoomClient.JoinAsync(app, "uk");
        await using var watcher = await RoomClient.JoinAsync(app, "observer");
        var chair = await app.SignInAsync("chair");
        var uk = await app.SignInAsync("uk");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            await (await uk.PostJsonAsync($"{M}/items/2/versions", new { name = "mine" })).ShouldBeAsync(403);
            await (await (await app.SignInAsync("fr")).PostJsonAsync($"{M}/items/2/versions", new { name = "mine" })).ShouldBeAsync(403);
            await (await (await app.SignInAsync("observer")).PostJsonAsync($"{M}/items/2/versions", new { name = "mine" })).ShouldBeAsync(403);
            var blank = await chair.PostJsonAsync($"{M}/items/2/versions", new { name = "   " });
            await blank.ShouldBeAsync(400);
            Assert.True((await blank.ReadJsonAsync()).GetProperty("errors").TryGetProperty("name", out _), "the problem names the field");
            await (await chair.PostJsonAsync($"{M}/items/2/versions", new { name = new string('x', 201) })).ShouldBeAsync(400);
        });

        await (await chair.PostJsonAsync($"{M}/items/3/versions", new { name = "sanctions compromise" })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/2/versions", new { name = "guarantees compromise" })).ShouldBeAsync(200);
        await watcher.WaitUntilAsync(c => c.Events.Count(e => e.Type == "version.saved") == 2, "members see both versions saved");
        await ukRoom.WaitUntilAsync(c => c.LastSeq >= watcher.LastSeq, "the guest has caught up to the same point");

        Assert.Equal([2], ukRoom.Events.Where(e => e.Type == "version.saved").Select(e => e.ItemId!.Value));
        Assert.DoesNotContain(ukRoom.Events, e => e.Payload.GetRawText().Contains("sanctions compromise", StringComparison.Ordinal));
        await (await uk.GetAsync($"{M}/items/3/versions", TestHttp.Ct)).ShouldBeAsync(404);
        await (await uk.GetAsync($"{M}/items/3/versions/1", TestHttp.Ct)).ShouldBeAsync(404);
        await (await uk.GetAsync($"{M}/items/3/versions/compare?from=1", TestHttp.Ct)).ShouldBeAsync(404);
        Assert.Single(await uk.GetJsonAsync<List<ItemVersionDto>>($"{M}/items/2/versions"));

        // Catching up shows a guest what live delivery showed.
        var page = await uk.GetJsonAsync<JsonElement>($"{M}/events?since=0");
        Assert.DoesNotContain(page.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "version.saved" && e.GetProperty("itemId").GetInt32() == 3);
    }

    [Fact]
    public async Task AVersionExportsAsItsOwnDocumentWithItsNumberAndNameInTheHeaderAndItsSha256InTheAuditTrail()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var rev1 = await (await chair.PostJsonAsync($"{M}/items/3/versions", new { name = "compromise after the tour de table" })).ReadAsync<ItemVersionDto>();
        await using (var france = await RoomClient.JoinAsync(app, "fr"))
        {
            france.Insert("draft:3", 0, "Later words. ");
            await france.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "a later edit is acknowledged");
        }

        var pdf = await Exports.ConclusionsAsync(chair, "pdf", $"?version={rev1.Id}");
        var lines = PdfReadBack.Lines(pdf.Bytes);
        var header = lines.Where(l => l.Page == 1).Take(8).Select(l => l.Text).ToList();
        Assert.Contains("EUCO 6/25 REV 1", header);
        Assert.Contains("REV 1 – compromise after the tour de table", header);
        var all = string.Join('\n', lines.Select(l => l.Text));
        Assert.Contains("Audit trail", all, StringComparison.Ordinal);
        // The hash may wrap at the line's end; read across the break.
        Assert.Contains(PdfReadBack.Squeeze($"SHA-256 of the text of REV 1: {rev1.Sha256}"), PdfReadBack.Squeeze(all), StringComparison.Ordinal);
        Assert.DoesNotContain("Later words", all, StringComparison.Ordinal);

        // Its text is the version's, paragraph by paragraph.
        var version = await chair.GetJsonAsync<ItemVersionTextDto>($"{M}/items/3/versions/1");
        var squeezed = PdfReadBack.Squeeze(all);
        foreach (var paragraph in global::BriefingRoom.Drafting.DraftParagraphs.Of(version.Text))
        {
            Assert.Contains(PdfReadBack.Squeeze(paragraph), squeezed, StringComparison.Ordinal);
        }

        // The same version prints the same content, whenever and however often it is exported; Word says the same.
        var again = await Exports.ConclusionsAsync(chair, "pdf", $"?version={rev1.Id}");
        Assert.Equal(pdf.ContentSha256, again.ContentSha256);
        var word = await Exports.ConclusionsAsync(chair, "docx", $"?version={rev1.Id}");
        Assert.Equal(pdf.ContentSha256, word.ContentSha256);

        // An unknown version names the field; a delegate does not export.
        var missing = await chair.GetAsync($"{M}/conclusions.pdf?version=999", TestHttp.Ct);
        await missing.ShouldBeAsync(400);
        Assert.True((await missing.ReadJsonAsync()).GetProperty("errors").TryGetProperty("version", out _), "the problem names the field");
        await (await (await app.SignInAsync("fr")).GetAsync($"{M}/conclusions.pdf?version={rev1.Id}", TestHttp.Ct)).ShouldBeAsync(403);
    }

    /// <summary>
    /// A version is a resource of its own at .../versions/{number}: one that does not exist is "not found", as a missing
    /// item or proposal is (docs/ARCHITECTURE.md, Access). It answered 400, as if the request were malformed, naming a
    /// "number" field the caller never sent in a body. A comparison still names the query parameter that is wrong.
    /// </summary>
    [Fact]
    public async Task AVersionThatDoesNotExistIsNotFound()
    {
        await using var app = new BriefingApp();
        var france = await app.SignInAsync("fr");
        foreach (var number in new[] { 2, 0, -1, int.MaxValue })
        {
            var missing = await france.GetAsync($"{M}/items/5/versions/{number}", TestHttp.Ct);
            var body = await missing.Content.ReadAsStringAsync(TestHttp.Ct);
            Assert.True((int)missing.StatusCode == 404, $"item V has no version {number}: {(int)missing.StatusCode} {body}");
            Assert.Contains("no version", body, StringComparison.Ordinal);
        }

        await (await france.GetAsync($"{M}/items/5/versions/1", TestHttp.Ct)).ShouldBeAsync(200);
        var compared = await france.GetAsync($"{M}/items/5/versions/compare?from=2", TestHttp.Ct);
        await compared.ShouldBeAsync(400);
        Assert.True((await compared.ReadJsonAsync()).GetProperty("errors").TryGetProperty("from", out _), "the comparison names its parameter");
    }

    /// <summary>
    /// The chair saved "compromise" twice on one item: the list, the comparison's choices and the conclusions' REV header
    /// then offered two "compromise" versions, and a delegation asked which one the chair meant had to read REV numbers
    /// to tell. A name already taken on the item (whatever its case or spaces) is refused naming the field; another item
    /// may use it.
    /// </summary>
    [Fact]
    public async Task AVersionNameAlreadyTakenOnTheItemIsRefusedNamingTheField()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync($"{M}/items/3/versions", new { name = "compromise after the tour de table" })).ShouldBeAsync(200);

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var again = await chair.PostJsonAsync($"{M}/items/3/versions", new { name = "  Compromise after the TOUR de table " });
            await again.ShouldBeAsync(400);
            var problem = await again.ReadJsonAsync();
            Assert.True(problem.GetProperty("errors").TryGetProperty("name", out var errors), "the problem names the field");
            Assert.Contains("REV 1", errors[0].GetString(), StringComparison.Ordinal);
        });
        Assert.Single(await chair.GetJsonAsync<List<ItemVersionDto>>($"{M}/items/3/versions"));

        await (await chair.PostJsonAsync($"{M}/items/4/versions", new { name = "compromise after the tour de table" })).ShouldBeAsync(200);
    }

    [Fact]
    public async Task TheDemoMeetingHasARev1OfItemV()
    {
        await using var app = new BriefingApp();
        var france = await app.SignInAsync("fr");
        var versions = await france.GetJsonAsync<List<ItemVersionDto>>($"{M}/items/5/versions");
        var rev1 = Assert.Single(versions);
        Assert.Equal("REV 1", rev1.Label);
        var text = await france.GetJsonAsync<ItemVersionTextDto>($"{M}/items/5/versions/1");
        Assert.Equal(Sha256(text.Text), rev1.Sha256);
        Assert.Equal((app.ServerText("draft:5"), 0), (text.Text, rev1.Revision));
    }
}
