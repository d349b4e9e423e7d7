using BriefingRoom.Conclusions;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;
using UglyToad.PdfPig;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>Defects found in a second review of the PDF: each test failed on the code before its fix.</summary>
public class PdfDefectTests
{
    private const string M = Exports.M;
    private static readonly double RightMargin = PageGeometry.A4.Width - PageGeometry.A4.Right;

    [Fact]
    public async Task FootnoteMarksFromTheHundredthOnStayInsideTheRightMargin()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        // Items II to V agreed, each with a reservation of every member state in its own words: 108 footnotes.
        // Item V's one paragraph carries the last 27, marked "82,...,108", after a line that leaves just the room kept for the marks.
        var width = PageGeometry.A4.BodyWidth - 1.1 * 72 / 2.54;
        var metrics = ConclusionsFonts.MetricsOf(FontFace.Regular);
        var reserve = ConclusionsFonts.MetricsOf(FontFace.Regular).Measure(string.Join(',', Enumerable.Repeat("99", 27)), 12 * LaidOutRun.SuperscriptScale) + 0.5;
        var word = new string('i', (int)Math.Floor((width - reserve) / metrics.Measure("i", 12)));
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        var draft = app.WithDb(db => db.Items.Single(i => i.Id == 5).DraftText);
        await (await chair.PostJsonAsync($"{M}/texts/draft:5/operations",
            new SubmitOperationRequest("draft:5", 0, "replace", TextOperation.Builder().Delete(draft.Length).Insert(word).Build()))).ShouldBeAsync(200);
        foreach (var item in new[] { 2, 3, 4, 5 })
        {
            foreach (var state in MemberStates.All)
            {
                await (await chair.PutJsonAsync($"{M}/items/{item}/positions/{state.Code}", new
                {
                    stance = "supportWithReservation",
                    reservationKind = "general",
                    reservationText = $"Reservation {state.Code} on item {item}",
                    reservationParagraph = 1,
                    expectedVersion = app.PositionVersion(item, state.Code),
                })).ShouldBeAsync(200);
            }
            await (await chair.PutJsonAsync($"{M}/items/{item}/status", new { status = "agreed" })).ShouldBeAsync(200);
        }

        var pdf = (await Exports.ConclusionsAsync(secretariat)).Bytes;

        var marks = Marks(pdf);
        var last = Assert.Single(marks, m => m.Text.Contains("108", StringComparison.Ordinal));
        Assert.Equal(string.Join(',', Enumerable.Range(82, 27)), last.Text);
        Assert.All(marks, m => Assert.True(m.Right <= RightMargin + 0.5, $"The footnote mark {m.Text} ends at {m.Right:0.0} pt, past the right margin at {RightMargin:0.0} pt."));
    }

    [Fact]
    public async Task AMarkingOfMoreThanThreeLinesIsPrintedWholeOnThePage()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        // 200 characters, the most a marking holds, in wide capitals: five lines at the marking's size.
        var marking = string.Join(' ', Enumerable.Repeat("WMWMWMWMWMWMWMWMWMW", 11))[..200];
        await Exports.SetMeetingAsync(app, chair, marking);

        var pdf = (await Exports.ConclusionsAsync(chair)).Bytes;

        var top = TopMarginLines(pdf).Where(l => l.Page == 1).ToList();
        Assert.Equal(Squeeze(marking), Squeeze(string.Concat(top.Select(l => l.Text))));
        Assert.All(top, l => Assert.True(l.Baseline + l.FontSize <= PageGeometry.A4.Height && l.Right <= RightMargin + 0.5,
            $"'{l.Text}' at baseline {l.Baseline:0.0}, size {l.FontSize}, right {l.Right:0.0}: off the page"));
    }

    [Fact]
    public async Task AFileCarryingTwoCopiesIdentifiersNamesBothCopies()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        var hungary = await Exports.ConclusionsAsync(secretariat, query: $"?recipient={Exports.MembershipOf(app, "hu")}");
        var slovakia = await Exports.ConclusionsAsync(secretariat, query: $"?recipient={Exports.MembershipOf(app, "sk")}");

        // The first page of Hungary's copy and of Slovakia's, put together into one file.
        var merged = Merge((hungary.Bytes, 0), (slovakia.Bytes, 0));
        var trace = await Exports.TraceAsync(secretariat, merged);

        Assert.Equal(TraceVerdict.Altered, trace.Verdict);
        Assert.Equal(new[] { hungary.CopyId, slovakia.CopyId }.Order(), trace.IdentifiersFound.Order());
        Assert.Contains("Hungary delegate (Hungary)", trace.Message, StringComparison.Ordinal);
        Assert.Contains("Slovakia delegate (Slovakia)", trace.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { hungary.CopyId, slovakia.CopyId }.Order(), trace.Copies.Select(c => c.Id).Order());
    }

    private static byte[] Merge(params (byte[] Pdf, int Page)[] pages)
    {
        using var merged = new PdfSharp.Pdf.PdfDocument();
        foreach (var (pdf, page) in pages)
        {
            using var source = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(pdf), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Import);
            merged.AddPage(source.Pages[page]);
        }
        using var stream = new MemoryStream();
        merged.Save(stream, closeStream: false);
        return stream.ToArray();
    }
}
