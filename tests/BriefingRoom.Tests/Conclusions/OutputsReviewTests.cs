using BriefingRoom.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>Defects found reviewing the Council's outputs as guest, chair and secretariat: each test failed on the code before its fix.</summary>
public class OutputsReviewTests
{
    private const string M = Exports.M;

    /// <summary>
    /// Item II (security guarantees) agreed with Austria's, Ireland's and Malta's reservations, and nothing else agreed:
    /// the United Kingdom takes part in every item the conclusions print, but the room withholds the member states'
    /// reservations from it while the chair keeps item II's positions closed. Its copy would print them as footnotes.
    /// </summary>
    [Fact]
    public async Task AGuestIsNotIssuedConclusionsWhoseFootnotesPrintReservationsWithheldFromIt()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/2/status", new { status = "agreed" })).ShouldBeAsync(200);
        var uk = Exports.MembershipOf(app, "uk");

        foreach (var format in new[] { "pdf", "docx" })
        {
            foreach (var attribution in new[] { "named", "anonymous" })
            {
                await Exports.SetMeetingAsync(app, chair, null, attribution);
                var response = await Fingerprint.AssertUnchangedAsync(app, () => secretariat.GetAsync($"{M}/conclusions.{format}?recipient={uk}", TestHttp.Ct));
                await response.ShouldBeAsync(400);
                var problem = await response.ReadJsonAsync();
                Assert.True(problem.GetProperty("errors").TryGetProperty("recipient", out var why), problem.ToString());
                Assert.Contains("reservations on item 2", why[0].GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Empty(app.WithDb(db => db.ExportedCopies.Where(c => c.RecipientDelegation == "United Kingdom").ToList()));

        // Once the chair opens item II's positions to its guests, the United Kingdom sees the reservations in the room, and in its copy.
        await Exports.SetMeetingAsync(app, chair, null, "named");
        await (await chair.PutJsonAsync($"{M}/items/2/guest-positions", new { share = true })).ShouldBeAsync(200);
        var pdf = await Exports.ConclusionsAsync(secretariat, "pdf", $"?recipient={uk}");
        Assert.Contains(NoteLines(pdf.Bytes), l => l.Text.EndsWith("AT: general reservation. Subject to Austria's constitutional neutrality.", StringComparison.Ordinal));
        var docx = await Exports.ConclusionsAsync(secretariat, "docx", $"?recipient={uk}");
        using var word = WordprocessingDocument.Open(new MemoryStream(docx.Bytes), false);
        Assert.Contains("AT: general reservation. Subject to Austria's constitutional neutrality.", word.MainDocumentPart!.FootnotesPart!.Footnotes!.InnerText, StringComparison.Ordinal);
    }
}
