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

    /// <summary>Replaces item V's draft with <paramref name="text"/> and agrees it again.</summary>
    private static async Task AgreeDefenceAsAsync(BriefingApp app, HttpClient chair, string text)
    {
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        var draft = app.WithDb(db => db.Items.Single(i => i.Id == 5).DraftText);
        await (await chair.PostJsonAsync($"{M}/texts/draft:5/operations",
            new SubmitOperationRequest("draft:5", 0, "replace", TextOperation.Builder().Delete(draft.Length).Insert(text).Build()))).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
    }

    /// <summary>The letters of the body text, page 1, with their left edges, left to right on each baseline.</summary>
    private static List<(char Value, double Left, double Baseline)> BodyLetters(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPage(1).Letters.Where(l => !IsCopyMark(l) && l.PointSize >= 10 && l.Value.Length == 1)
            .Select(l => (l.Value[0], l.StartBaseLine.X, Math.Round(l.StartBaseLine.Y, 1)))];
    }

    private static string Visual(IEnumerable<(char Value, double Left, double Baseline)> letters) =>
        string.Concat(letters.OrderBy(l => l.Left).Select(l => l.Value));

    [Fact]
    public async Task HebrewInAnEnglishParagraphIsPrintedRightToLeftAndCopiesInTypingOrder()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        const string hebrew = "שלום 2025 עליכם";
        await AgreeDefenceAsAsync(app, chair, $"The Council greets the Knesset with the words {hebrew} (peace be with you) and thanks it.");

        var pdf = (await Exports.ConclusionsAsync(chair)).Bytes;

        // On the page, right to left: the first word typed stands rightmost, each word's first letter at its right; the number reads left to right.
        var letters = BodyLetters(pdf);
        var baseline = letters.Single(l => l.Value == 'ש').Baseline;
        var onLine = letters.Where(l => l.Baseline == baseline).ToList();
        var hebrewLetters = onLine.Where(l => l.Value is >= '\u0590' and <= '\u05FF').ToList();
        var (from, to) = (hebrewLetters.Min(l => l.Left), hebrewLetters.Max(l => l.Left));
        Assert.Equal("םכילע2025םולש", Visual(onLine.Where(l => l.Left >= from && l.Left <= to && l.Value != ' ')));
        // Copy and search give the words as typed.
        Assert.Contains($"with the words {hebrew} (peace be with you)", ActualText(pdf), StringComparison.Ordinal);
        Assert.All(BodyLines(pdf), l => Assert.True(l.Right <= RightMargin + 0.5, $"'{l.Text}' ends at {l.Right:0.0}"));
    }

    [Fact]
    public async Task AParagraphInHebrewIsRightToLeftJustifiedEndingAtTheLeftWithItsMarkThere()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var paragraph = string.Join(' ', Enumerable.Repeat("המועצה מברכת את ההסכם (2025) ומאשרת אותו", 5)) + ".";
        await AgreeDefenceAsAsync(app, chair, paragraph);
        await Exports.ReserveOnDefenceAsync(app, chair, ("HU", "parliamentary", null, 1));

        var pdf = (await Exports.ConclusionsAsync(chair)).Bytes;

        var textLeft = PageGeometry.A4.Left + 1.1 * 72 / 2.54 - 0.5;
        var lines = BodyLetters(pdf).Where(l => l.Left >= textLeft && l.Value != ' ').GroupBy(l => l.Baseline)
            .Where(g => g.Any(l => l.Value is >= '\u0590' and <= '\u05FF')).OrderByDescending(g => g.Key).ToList();
        Assert.True(lines.Count >= 3, $"{lines.Count} lines");
        // Read from right to left, line after line, the letters are the paragraph as typed; the number in brackets reads
        // left to right and its brackets are mirrored so that they still enclose it. A paragraph in Hebrew is right to
        // left within the document: its full stop ends its last line on the left.
        var visual = lines.Select(Visual).ToList();
        Assert.Equal(Squeeze(paragraph).Replace("(2025)", ")5202(", StringComparison.Ordinal), string.Concat(visual.Select(v => new string([.. v.Reverse()]))));
        Assert.Contains(Squeeze(paragraph), Squeeze(ActualText(pdf)), StringComparison.Ordinal);
        // Justified as any paragraph: every line but the last fills the measure; the last stands at the right, and the
        // mark after its last word is at its left end, inside the text's measure.
        var body = BodyLines(pdf).Where(l => l.Text.Any(c => c is >= '\u0590' and <= '\u05FF')).ToList();
        Assert.All(body, l => Assert.InRange(l.Right, RightMargin - 1.5, RightMargin + 0.5));
        var mark = Assert.Single(Marks(pdf));
        var lastLeft = lines[^1].Min(l => l.Left);
        Assert.True(mark.Right <= lastLeft + 0.5 && mark.Left >= textLeft && Math.Abs(mark.Baseline - lines[^1].Key) < 8,
            $"mark {mark.Left:0.0}-{mark.Right:0.0}, last line starts at {lastLeft:0.0}");
    }

    [Fact]
    public async Task ARecipientNamedInHebrewReadsRightToLeftInTheCopysMarks()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        app.WithDb(db =>
        {
            db.Users.Single(u => u.Email == BriefingApp.Email("hu")).DisplayName = "דוד כהן";
            return db.SaveChanges();
        });

        var pdf = (await Exports.ConclusionsAsync(secretariat, query: $"?recipient={Exports.MembershipOf(app, "hu")}")).Bytes;

        // Each mark is drawn as one string from left to right: the name's letters stand in the order a reader reads them from the right.
        Assert.All(CopyMarkText(pdf), page =>
        {
            Assert.Contains("ןהכ דוד · Hungary · ", page, StringComparison.Ordinal);
            Assert.Contains("Copy for ןהכ דוד (Hungary), issued ", page, StringComparison.Ordinal);
        });
    }

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
