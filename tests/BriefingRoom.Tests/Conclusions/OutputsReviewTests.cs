using BriefingRoom.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
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
                Assert.Contains("reservations on item II", why[0].GetString(), StringComparison.Ordinal);
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
    /// <summary>
    /// Six member states each explain their reservation on paragraph 1 of item V at length: their notes are taller than a
    /// page's body. They were all set at the foot of the mark's page, from above the top of the page down over the text.
    /// </summary>
    [Fact]
    public async Task FootnotesTallerThanAPageContinueOnTheNextPagesInsteadOfRunningOverTheText()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        string[] codes = ["BE", "DE", "ES", "FR", "IT", "PL"];
        var reasons = codes.ToDictionary(c => c, c => string.Join(' ', Enumerable.Range(1, 120).Select(n => $"{c.ToLowerInvariant()}{n} explains")) + ".");
        await Exports.ReserveOnDefenceAsync(app, chair, [.. codes.Select(c => (c, "general", (string?)reasons[c], (int?)1))]);

        var pdf = (await Exports.ConclusionsAsync(secretariat)).Bytes;

        var lines = Lines(pdf);
        var notes = NoteLines(pdf);
        // Every word of every note is printed, once, inside the body of a page.
        var printed = Squeeze(string.Join(' ', notes.Select(l => l.Text)));
        foreach (var code in codes)
        {
            Assert.Contains(Squeeze($"{code}: general reservation. {reasons[code]}"), printed, StringComparison.Ordinal);
        }

        Assert.All(lines.Where(l => l.Text.Contains("explains", StringComparison.Ordinal) && !notes.Contains(l)), l => Assert.Fail($"A 9 pt line outside the body on page {l.Page}: {l.Text}"));
        // On every page the notes stand below the last line of the text.
        foreach (var page in notes.GroupBy(l => l.Page))
        {
            var body = BodyLines(pdf).Where(l => l.Page == page.Key).ToList();
            if (body.Count > 0)
            {
                Assert.True(page.Max(l => l.Baseline) < body.Min(l => l.Baseline), $"On page {page.Key} a note stands at {page.Max(l => l.Baseline):0.0}, among the text, whose last line is at {body.Min(l => l.Baseline):0.0}.");
            }
        }

        // The text after the paragraph is all there too.
        Assert.Contains(BodyLines(pdf), l => l.Text.StartsWith("2. ", StringComparison.Ordinal));
    }
    /// <summary>
    /// The United Kingdom may be issued the conclusions while they print item II alone. Its copy was checked before the
    /// export read the meeting: an item agreed in between (here while the export waits on the disk) was printed in it.
    /// </summary>
    [Fact]
    public async Task AnItemAgreedWhileAGuestsCopyIsBeingPreparedIsNotPrintedInIt()
    {
        var hold = new HoldingInterceptor(sql => sql.Contains("FROM \"Meetings\"", StringComparison.Ordinal));
        await using var app = new BriefingApp().WithServices(s => s.ConfigureDbContext<BriefingRoom.Data.SqliteBriefingDb>(o => o.AddInterceptors(hold)));
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/2/status", new { status = "agreed" })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/2/guest-positions", new { share = true })).ShouldBeAsync(200);
        var uk = Exports.MembershipOf(app, "uk");

        hold.HoldNext();
        var export = secretariat.GetAsync($"{M}/conclusions.pdf?recipient={uk}", TestHttp.Ct);
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(15), TestHttp.Ct);
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
        hold.Release();

        var response = await export;
        await response.ShouldBeAsync(400);
        var problem = await response.ReadJsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("recipient", out var why), problem.ToString());
        Assert.Contains("takes no part in item V", why[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(app.WithDb(db => db.ExportedCopies.Where(c => c.RecipientDelegation == "United Kingdom").ToList()));
    }
    /// <summary>
    /// The identifiers leave out I, L, O and U so that one read off a screen or a photograph is not misread; but an
    /// identifier typed as read, with the letter O for a zero or an l for a one, was refused as not an identifier at all.
    /// </summary>
    [Fact]
    public async Task AnIdentifierTypedWithTheLetterOForZeroOrLForOneStillLeadsToItsCopy()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var copy = await Exports.ConclusionsAsync(chair, "docx");
        // Every identifier has digits to misread: one in three has neither a zero nor a one, so export until one has.
        for (var tries = 0; !copy.CopyId[3..].Any(c => c is '0' or '1'); tries++)
        {
            Assert.True(tries < 40, "No identifier with a 0 or a 1 in 40 copies.");
            copy = await Exports.ConclusionsAsync(chair, "docx");
        }

        var misread = "BR-" + copy.CopyId[3..].Replace('0', 'O').Replace('1', 'l');
        var traced = await chair.GetJsonAsync<BriefingRoom.Conclusions.TraceResultDto>($"{M}/copies/trace?identifier={Uri.EscapeDataString(misread)}");

        Assert.Equal(BriefingRoom.Conclusions.TraceVerdict.Identified, traced.Verdict);
        Assert.Equal(copy.CopyId, traced.Copy!.Id);
        Assert.Contains(copy.CopyId, traced.Message, StringComparison.Ordinal);
    }
}
