using System.Text.Json;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Positions;
using BriefingRoom.Tests.Conclusions;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Positions;

/// <summary>
/// A reservation on "paragraph 3" is on the words of that paragraph: when a paragraph is added or removed above it (by
/// typing, or by an accepted proposal), the reservation follows its words, in the room, in the database and in print.
/// </summary>
public class ReservationAnchorTests
{
    private const string M = Exports.M;
    private const string Draft = "draft:5";

    [Fact]
    public async Task AReservationFollowsItsParagraphAsParagraphsAreAddedAndRemovedAboveIt()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await ReserveAsync(app, chair, "HU", 3);
        var words = DraftParagraphs.Of(app.ServerText(Draft))[2];
        var version = app.PositionVersion(5, "HU");

        // A new paragraph is typed in at the start of paragraph 2: the reserved words are now paragraph 4.
        var draft = app.ServerText(Draft);
        await EditAsync(app, chair, "above", b => b.Retain(DraftParagraphs.SpanOf(draft, 2)!.Value.From).Insert("The European Council welcomes the new paragraph.\n"), draft.Length);
        await france.WaitUntilAsync(c => Moved(c, "HU") == 4 && Footnotes(c).Contains((4, "HU: parliamentary scrutiny reservation.")),
            "the room hears that HU's reservation is now on paragraph 4");

        // Paragraph 1 is taken out, line and all: they are paragraph 3 again.
        draft = app.ServerText(Draft);
        await EditAsync(app, chair, "cut", b => b.Delete(draft.IndexOf('\n') + 1), draft.Length);
        await france.WaitUntilAsync(c => Moved(c, "HU") == 3, "the room hears that HU's reservation is back on paragraph 3");

        var stored = app.WithDb(db => db.Positions.Single(p => p.ItemId == 5 && p.DelegationCode == "HU"));
        Assert.Equal(3, stored.ReservationParagraph);
        Assert.Equal(words, DraftParagraphs.Of(app.ServerText(Draft))[2]);
        Assert.Equal(version + 2, stored.Version);

        // A form still showing the old number cannot set it back on other words.
        var stale = await chair.PutJsonAsync($"{M}/items/5/positions/HU",
            new { stance = "supportWithReservation", reservationKind = "parliamentary", reservationParagraph = 3, expectedVersion = version });
        await stale.ShouldBeAsync(409);

        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
        var pdf = (await Exports.ConclusionsAsync(chair)).Bytes;
        Assert.Equal((1, "HU: parliamentary scrutiny reservation."), NoteAtParagraph(pdf, 3, "1"));
    }

    [Fact]
    public async Task AProposalAcceptedAboveTheReservedParagraphMovesItToo()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var france = await app.SignInAsync("fr");
        await ReserveAsync(app, chair, "HU", 2);
        var draft = app.ServerText(Draft);
        var end = DraftParagraphs.SpanOf(draft, 1)!.Value.To;

        var tabled = await france.PostJsonAsync($"{M}/items/5/proposals",
            new { from = end, to = end, revision = app.ServerRevision(Draft), replacement = "\nThe European Council adds a paragraph." });
        await tabled.ShouldBeAsync(200);
        var id = (await tabled.ReadJsonAsync()).GetProperty("id").GetInt32();
        await (await chair.PostJsonAsync($"{M}/proposals/{id}/accept", null)).ShouldBeAsync(200);

        Assert.Equal(3, app.WithDb(db => db.Positions.Single(p => p.ItemId == 5 && p.DelegationCode == "HU").ReservationParagraph));
        Assert.Equal(DraftParagraphs.Of(draft)[1], DraftParagraphs.Of(app.ServerText(Draft))[2]);
    }

    [Fact]
    public async Task AReservationWhoseParagraphIsDeletedSaysSoUntilItIsStatedAgain()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await ReserveAsync(app, chair, "HU", 6);

        // The last paragraph is taken out of the draft.
        var draft = app.ServerText(Draft);
        var cut = draft.TrimEnd().LastIndexOf('\n');
        await EditAsync(app, chair, "cut", b => b.Retain(cut).Delete(draft.Length - cut), draft.Length);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "position.changed" && e.Payload.GetProperty("delegationCode").GetString() == "HU"
            && e.Payload.GetProperty("reservationParagraphDeleted").GetBoolean()), "the room hears that HU's paragraph is gone");
        var footnote = france.Events.Last(e => e.Type == ReservationFootnotes.ChangedEvent && e.ItemId == 5).Payload.GetProperty("footnotes")[0];
        Assert.True(footnote.GetProperty("paragraphDeleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, footnote.GetProperty("paragraph").ValueKind);

        // More typing (a paragraph break where it stood) does not bring it back on other words.
        draft = app.ServerText(Draft);
        await EditAsync(app, chair, "again", b => b.Retain(draft.Length).Insert("\nNew words."), draft.Length);
        var stored = app.WithDb(db => db.Positions.Single(p => p.ItemId == 5 && p.DelegationCode == "HU"));
        Assert.True(stored.ReservationParagraphDeleted);
        Assert.Null(stored.ReservationParagraph);

        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
        var refused = await Fingerprint.AssertUnchangedAsync(app, () => chair.GetAsync($"{M}/conclusions.pdf", TestHttp.Ct));
        await refused.ShouldBeAsync(409);
        Assert.Equal("On item V, Hungary reserved on a paragraph whose words have all been deleted since: the chair reopens the item so that the reservation is restated on the text as agreed.",
            (await refused.ReadJsonAsync()).GetProperty("detail").GetString());

        // Stated again on a paragraph that stands, it prints there.
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/positions/HU", new
        {
            stance = "supportWithReservation", reservationKind = "parliamentary", reservationParagraph = 2, expectedVersion = stored.Version,
        })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
        var pdf = (await Exports.ConclusionsAsync(chair)).Bytes;
        Assert.Equal((1, "HU: parliamentary scrutiny reservation."), NoteAtParagraph(pdf, 2, "1"));
    }

    /// <summary>
    /// A paragraph selected and typed over (one operation) keeps its reservation: the new words are the paragraph's. A
    /// paragraph split in two keeps it on the words that remain of it, even when those before the break go, leaving a
    /// blank line where the reservation began.
    /// </summary>
    [Fact]
    public async Task AParagraphTypedOverOrSplitKeepsItsReservationOnTheWordsThatRemain()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await ReserveAsync(app, chair, "HU", 3);

        var draft = app.ServerText(Draft);
        var (from, to) = DraftParagraphs.SpanOf(draft, 3)!.Value;
        await EditAsync(app, chair, "over", b => b.Retain(from).Delete(to - from).Insert("The European Council calls for a new instrument."), draft.Length);
        Assert.Equal((3, false), Reservation(app));

        // "The European Council" / "calls for a new instrument.", then the first line's words deleted.
        draft = app.ServerText(Draft);
        from = DraftParagraphs.SpanOf(draft, 3)!.Value.From;
        var space = draft.IndexOf(" calls", from, StringComparison.Ordinal);
        await EditAsync(app, chair, "split", b => b.Retain(space).Delete(1).Insert("\n"), draft.Length);
        Assert.Equal((3, false), Reservation(app));
        Assert.Equal("calls for a new instrument.", DraftParagraphs.Of(app.ServerText(Draft))[3]);
        draft = app.ServerText(Draft);
        await EditAsync(app, chair, "first-line", b => b.Retain(from).Delete(space - from), draft.Length);

        Assert.Equal((3, false), Reservation(app));
        Assert.Equal("calls for a new instrument.", DraftParagraphs.Of(app.ServerText(Draft))[2]);
    }

    /// <summary>
    /// A database from before anchors were kept: Ireland, Malta and Austria reserve on paragraph 1 of item II with no
    /// anchor. The grain anchors them where the draft has that paragraph when it starts, writes nothing for a change that
    /// changes nothing, and moves them with the first paragraph started above.
    /// </summary>
    [Fact]
    public async Task AReservationStatedBeforeAnchorsWereKeptIsAnchoredByItsNumber()
    {
        var directory = Path.Combine(Path.GetTempPath(), "briefingroom-tests", "anchor-legacy-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = new BriefingApp(directory: directory))
            {
                first.WithDb(db => db.Positions.Where(p => p.ItemId == 2 && p.ReservationParagraph != null)
                    .ExecuteUpdate(s => s.SetProperty(p => p.ReservationFrom, (int?)null).SetProperty(p => p.ReservationTo, (int?)null).SetProperty(p => p.ReservationRevision, (int?)null)));
            }

            await using var app = new BriefingApp(directory: directory);
            using var chair = await app.SignInAsync("chair");
            var item = app.WithDb(db => db.Items.Single(i => i.Id == 2));
            await Fingerprint.AssertUnchangedAsync(app, () => chair.PutJsonAsync($"{M}/items/2/status", new { status = JsonNamingPolicy.CamelCase.ConvertName(item.Status.ToString()), expectedVersion = item.Version }));

            var draft = app.ServerText("draft:2");
            await (await chair.PostJsonAsync($"{M}/texts/draft:2/operations", new SubmitOperationRequest("draft:2", app.ServerRevision("draft:2"), "above",
                TextOperation.Builder().Insert("A paragraph before them all.\n").Retain(draft.Length).Build()))).ShouldBeAsync(200);

            Assert.Equal([2, 2, 2], app.WithDb(db => db.Positions.Where(p => p.ItemId == 2 && p.ReservationParagraph != null).Select(p => p.ReservationParagraph!.Value).ToList()));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temp cleaning.
            }
        }
    }

    private static (int?, bool) Reservation(BriefingApp app) =>
        app.WithDb(db => db.Positions.Where(p => p.ItemId == 5 && p.DelegationCode == "HU").Select(p => new { p.ReservationParagraph, p.ReservationParagraphDeleted }).Single()) is var r
            ? (r.ReservationParagraph, r.ReservationParagraphDeleted) : default;

    /// <summary>
    /// Typing inside paragraph 1 moves the anchor without moving its number, so nothing is stored then; the app stops, and
    /// the grain that starts again must carry the stored anchor through the text's log, or it would stand on other words.
    /// </summary>
    [Fact]
    public async Task AnAnchorMovedOnlyByTypingIsOnItsWordsAfterARestart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "briefingroom-tests", "anchor-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = new BriefingApp(directory: directory))
            {
                var chair = await first.SignInAsync("chair");
                await ReserveAsync(first, chair, "HU", 3);
                var draft = first.ServerText(Draft);
                var second = DraftParagraphs.Of(draft)[1];
                // Longer than paragraph 2: an anchor left where it was stored would now stand inside paragraph 1 or 2.
                var words = " " + string.Concat(Enumerable.Repeat("It stresses this once more. ", second.Length / 20 + 2)).TrimEnd();
                await EditAsync(first, chair, "typing", b => b.Retain(DraftParagraphs.SpanOf(draft, 1)!.Value.To).Insert(words), draft.Length);
                Assert.Equal(3, first.WithDb(db => db.Positions.Single(p => p.ItemId == 5 && p.DelegationCode == "HU").ReservationParagraph));
            }

            await using var again = new BriefingApp(directory: directory);
            var chairAgain = await again.SignInAsync("chair");
            var now = again.ServerText(Draft);
            var reserved = DraftParagraphs.Of(now)[2];
            await EditAsync(again, chairAgain, "above", b => b.Retain(DraftParagraphs.SpanOf(now, 3)!.Value.From).Insert("A paragraph before it.\n"), now.Length);

            Assert.Equal(4, again.WithDb(db => db.Positions.Single(p => p.ItemId == 5 && p.DelegationCode == "HU").ReservationParagraph));
            Assert.Equal(reserved, DraftParagraphs.Of(again.ServerText(Draft))[3]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temp cleaning.
            }
        }
    }

    private static async Task ReserveAsync(BriefingApp app, HttpClient chair, string code, int paragraph)
    {
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/positions/{code}", new
        {
            stance = "supportWithReservation", reservationKind = "parliamentary", reservationParagraph = paragraph, expectedVersion = app.PositionVersion(5, code),
        })).ShouldBeAsync(200);
    }

    /// <summary>One operation on item V's draft over REST, built on the text as it stands (of <paramref name="length"/> characters).</summary>
    private static async Task EditAsync(BriefingApp app, HttpClient client, string id, Func<TextOperationBuilder, TextOperationBuilder> build, int length)
    {
        var builder = build(TextOperation.Builder());
        var operation = builder.Retain(length - builder.BaseLength).Build();
        await (await client.PostJsonAsync($"{M}/texts/{Draft}/operations",
            new SubmitOperationRequest(Draft, app.ServerRevision(Draft), id, operation))).ShouldBeAsync(200);
    }

    private static int? Moved(RoomClient room, string code) =>
        room.Events.LastOrDefault(e => e.Type == "position.changed" && e.ItemId == 5 && e.Payload.GetProperty("delegationCode").GetString() == code) is { } e
            && e.Payload.GetProperty("reservationParagraph") is { ValueKind: JsonValueKind.Number } paragraph ? paragraph.GetInt32() : null;

    private static List<(int?, string)> Footnotes(RoomClient room) =>
        room.Events.LastOrDefault(e => e.Type == ReservationFootnotes.ChangedEvent && e.ItemId == 5) is { } e
            ? [.. e.Payload.GetProperty("footnotes").EnumerateArray().Select(f => (
                f.GetProperty("paragraph").ValueKind == JsonValueKind.Null ? (int?)null : f.GetProperty("paragraph").GetInt32(),
                f.GetProperty("text").GetString()!))]
            : [];
}
