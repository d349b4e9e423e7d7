using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Tests.Infrastructure;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>Defects found reviewing the exports: each test failed on the code before its fix.</summary>
public class ExportReviewTests
{
    private const string M = Exports.M;

    /// <summary>Replaces item V's agreed text with <paramref name="text"/>, with a reservation by Hungary on its paragraph 1, and agrees it again.</summary>
    private static async Task AgreeDefenceAsAsync(BriefingApp app, HttpClient chair, string text)
    {
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        var draft = app.WithDb(db => db.Items.Single(i => i.Id == 5).DraftText);
        await (await chair.PostJsonAsync($"{M}/texts/draft:5/operations",
            new SubmitOperationRequest("draft:5", 0, "replace", TextOperation.Builder().Delete(draft.Length).Insert(text).Build()))).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/positions/HU", new
        {
            stance = "supportWithReservation",
            reservationKind = "parliamentary",
            reservationParagraph = 1,
            expectedVersion = app.PositionVersion(5, "HU"),
        })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
    }

    [Fact]
    public async Task AnUnknownNoAgreementValueIsRefusedNamingTheFieldRatherThanSilentlyLeavingItemsOut()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");

        foreach (var format in new[] { "pdf", "docx" })
        {
            var response = await Fingerprint.AssertUnchangedAsync(app, () => secretariat.GetAsync($"{M}/conclusions.{format}?noAgreement=yes", TestHttp.Ct));

            await response.ShouldBeAsync(400);
            var errors = (await response.ReadJsonAsync()).GetProperty("errors");
            Assert.Contains("list", errors.GetProperty("noAgreement")[0].GetString(), StringComparison.Ordinal);
        }

        // The one value it takes still lists the items without agreement.
        var listed = await Exports.ConclusionsAsync(secretariat, query: "?noAgreement=list");
        Assert.Contains(BodyLines(listed.Bytes), l => l.Text == BriefingRoom.Conclusions.Pdf.ConclusionsSection.NoAgreementText);
    }

    [Fact]
    public async Task AFootnoteMarkAfterAVeryLongLastWordStaysInsideTheRightMargin()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        // A word (a reference, an address) that alone all but fills a line of the paragraph: the mark after it has no room left.
        var width = PageGeometry.A4.BodyWidth - 1.1 * 72 / 2.54;
        var letters = (int)Math.Floor(width / ConclusionsFonts.MetricsOf(FontFace.Regular).Measure("i", 12));
        var word = new string('i', letters);
        await AgreeDefenceAsAsync(app, chair, $"The Council agrees to the text set out in {word}");

        var pdf = (await Exports.ConclusionsAsync(secretariat)).Bytes;

        var marks = Marks(pdf);
        Assert.Single(marks);
        var rightMargin = PageGeometry.A4.Width - PageGeometry.A4.Right;
        Assert.True(marks[0].Right <= rightMargin + 0.5, $"The footnote mark ends at {marks[0].Right:0.0} pt, past the right margin at {rightMargin:0.0} pt.");
        // The text itself is all there, in order.
        var body = string.Join(' ', BodyLines(pdf).Select(l => l.Text));
        Assert.Contains(word, body.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
