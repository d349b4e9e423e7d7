using System.Text;
using BriefingRoom.Conclusions;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>Markings on every page, one copy per recipient, and tracing a leaked copy back to its recipient.</summary>
public class CopyTracingTests
{
    private const string M = Exports.M;

    /// <summary>Makes item V's agreed text run over several pages.</summary>
    private static async Task LengthenDefenceAsync(BriefingApp app, HttpClient chair)
    {
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        var draft = app.WithDb(db => db.Items.Single(i => i.Id == 5).DraftText);
        var more = string.Concat(Enumerable.Repeat("\n" + string.Join(' ', DraftParagraphs.Of(draft).Take(3)), 8));
        await (await chair.PostJsonAsync($"{M}/texts/draft:5/operations",
            new SubmitOperationRequest("draft:5", 0, "longer", TextOperation.Builder().Retain(draft.Length).Insert(more).Build()))).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
    }

    [Fact]
    public async Task TheMarkingStandsOnEveryPageInTheMeetingsOwnWordsOrNotAtAll()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await LengthenDefenceAsync(app, chair);
        const string own = "For the delegations only: not for the press";
        await Exports.SetMeetingAsync(app, chair, own);

        var marked = (await Exports.ConclusionsAsync(chair)).Bytes;
        var pages = PageCount(marked);
        Assert.True(pages >= 3, $"{pages} pages");
        var top = TopMarginLines(marked);
        Assert.All(Enumerable.Range(1, pages), p => Assert.Equal([own], top.Where(l => l.Page == p).Select(l => l.Text)));

        await Exports.SetMeetingAsync(app, chair, null);
        Assert.Empty(TopMarginLines((await Exports.ConclusionsAsync(chair)).Bytes));
    }

    [Fact]
    public async Task TwoRecipientsCopiesDifferOnlyInTheirWatermarkAndIdentifierAndShareTheContentHash()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        await LengthenDefenceAsync(app, chair);
        await Exports.ReserveOnDefenceAsync(app, chair, ("HU", "parliamentary", null, 2));

        var own = await Exports.ConclusionsAsync(secretariat);
        var forFrance = await Exports.ConclusionsAsync(secretariat, query: $"?recipient={Exports.MembershipOf(app, "fr")}");

        Assert.Equal(own.ContentSha256, forFrance.ContentSha256);
        Assert.NotEqual(own.CopySha256, forFrance.CopySha256);
        Assert.NotEqual(own.CopyId, forFrance.CopyId);
        // Every letter of the text, with its font, size and place, is the same in both; so are the text's embedded fonts.
        Assert.Equal(TextLetters(own.Bytes), TextLetters(forFrance.Bytes));
        Assert.Equal(Fonts(own.Bytes).Where(f => !f.BaseFont.Contains("Sans", StringComparison.Ordinal)),
            Fonts(forFrance.Bytes).Where(f => !f.BaseFont.Contains("Sans", StringComparison.Ordinal)));
        // What differs is each copy's marks: on every page its recipient, delegation and time, and its own identifier.
        var ownMarks = CopyMarkText(own.Bytes);
        var franceMarks = CopyMarkText(forFrance.Bytes);
        Assert.True(ownMarks.Count >= 3);
        Assert.All(ownMarks, page =>
        {
            Assert.Contains("General Secretariat · Secretariat · ", page, StringComparison.Ordinal);
            Assert.Contains("Copy for General Secretariat (Secretariat), issued ", page, StringComparison.Ordinal);
            Assert.Contains($"BriefingRoom copy {own.CopyId}", page, StringComparison.Ordinal);
        });
        Assert.All(franceMarks, page =>
        {
            Assert.Contains("France delegate · France · ", page, StringComparison.Ordinal);
            Assert.Contains($"BriefingRoom copy {forFrance.CopyId}", page, StringComparison.Ordinal);
            Assert.DoesNotContain(own.CopyId, page, StringComparison.Ordinal);
        });

        // Both copies are on record, for their recipients.
        var copies = await secretariat.GetJsonAsync<List<ExportedCopyDto>>($"{M}/copies");
        Assert.Equal([("France delegate", "France"), ("General Secretariat", "Secretariat")],
            copies.Select(c => (c.RecipientName, c.RecipientDelegation)).OrderBy(c => c.RecipientName));
        Assert.All(copies, c => Assert.Equal(own.ContentSha256, c.ContentSha256));
    }

    [Fact]
    public async Task TheRecipientMustBeAMemberOfThisMeeting()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => secretariat.GetAsync($"{M}/conclusions.pdf?recipient=99999", TestHttp.Ct));

        await response.ShouldBeAsync(400);
        Assert.Contains("Membership 99999 is not in this meeting", (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("recipient")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUploadedPdfOrWordCopyIsTracedToItsRecipient()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        var hungary = Exports.MembershipOf(app, "hu");
        var pdf = await Exports.ConclusionsAsync(secretariat, query: $"?recipient={hungary}");
        var word = await Exports.ConclusionsAsync(secretariat, "docx", $"?recipient={Exports.MembershipOf(app, "de")}");

        var pdfTrace = await Exports.TraceAsync(secretariat, pdf.Bytes);
        var wordTrace = await Exports.TraceAsync(secretariat, word.Bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

        Assert.Equal(TraceVerdict.Authentic, pdfTrace.Verdict);
        Assert.Equal(pdf.CopyId, pdfTrace.Copy!.Id);
        Assert.StartsWith("This is the copy of EUCO 6/25 (conclusions, PDF) issued to Hungary delegate (Hungary) on ", pdfTrace.Message, StringComparison.Ordinal);
        Assert.Equal(TraceVerdict.Authentic, wordTrace.Verdict);
        Assert.Equal(("Germany delegate", "Germany", ExportFormat.Docx), (wordTrace.Copy!.RecipientName, wordTrace.Copy.RecipientDelegation, wordTrace.Copy.Format));
    }

    [Fact]
    public async Task ATamperedCopyIsNeverReportedAsAuthenticButItsIdentifierIsALead()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        var hungary = Exports.MembershipOf(app, "hu");
        var pdf = await Exports.ConclusionsAsync(secretariat, query: $"?recipient={hungary}");
        var word = await Exports.ConclusionsAsync(secretariat, "docx", $"?recipient={hungary}");

        // Saved again by a PDF tool (an update appended), one byte of the text changed, a paragraph edited in Word.
        byte[] appended = [.. pdf.Bytes, .. "\n% edited\n"u8];
        var flipped = pdf.Bytes.ToArray();
        var streamAt = Encoding.Latin1.GetString(flipped).IndexOf("stream\n", StringComparison.Ordinal) + 40;
        flipped[streamAt] ^= 0x01;
        var edited = EditWord(word.Bytes);

        foreach (var (file, type) in new[] { (appended, "application/pdf"), (flipped, "application/pdf"), (edited, "application/octet-stream") })
        {
            var trace = await Exports.TraceAsync(secretariat, file, type);
            Assert.Equal(TraceVerdict.Altered, trace.Verdict);
            Assert.StartsWith("Not an authentic copy.", trace.Message, StringComparison.Ordinal);
            Assert.Contains("issued to Hungary delegate (Hungary)", trace.Message, StringComparison.Ordinal);
            Assert.Contains("it was changed after it was issued", trace.Message, StringComparison.Ordinal);
        }

        // A file no copy of this meeting leads to.
        var stranger = new BriefingRoom.Conclusions.Pdf.PdfSharpConclusionsRenderer().Render(SampleConclusions.Demo());
        var unknown = await Exports.TraceAsync(secretariat, stranger);
        Assert.Equal(TraceVerdict.Unknown, unknown.Verdict);
        Assert.Equal("No copy issued in this meeting matches this file, and it carries no copy identifier.", unknown.Message);
        var garbage = await Exports.TraceAsync(secretariat, "%PDF-1.7 not really a PDF"u8.ToArray());
        Assert.Equal(TraceVerdict.Unknown, garbage.Verdict);
    }

    /// <summary>
    /// A file carrying identifiers of no copy of this meeting: one is named; many (a crafted file of 20 MB can carry a
    /// million) are counted and a few named. The message quoted every one of them, "which is not the identifier": 20,000
    /// made a message of half a megabyte, beside the list the answer already gives in full.
    /// </summary>
    [Fact]
    public async Task IdentifiersOfNoCopyOfThisMeetingAreNamedOneOrCountedMany()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        string Id(int i) => $"BR-{Crockford[i / 32_768 % 32]}{Crockford[i / 1_024 % 32]}{Crockford[i / 32 % 32]}{Crockford[i % 32]}-0000-0000-0000";
        var many = Enumerable.Range(0, 20_000).Select(Id).ToList();

        var one = await Exports.TraceAsync(secretariat, Encoding.Latin1.GetBytes($"leaked text {many[0]} end"), "application/octet-stream");
        var lots = await Exports.TraceAsync(secretariat, Encoding.Latin1.GetBytes(string.Join(" ", many)), "application/octet-stream");

        Assert.Equal((TraceVerdict.Unknown, $"No copy issued in this meeting matches this file. It carries {many[0]}, which is not the identifier of a copy of this meeting."), (one.Verdict, one.Message));
        Assert.Equal(TraceVerdict.Unknown, lots.Verdict);
        Assert.Equal(many.Count, lots.IdentifiersFound.Count);
        Assert.Equal(
            $"No copy issued in this meeting matches this file. It carries {many.Count:N0} copy identifiers ({many[0]}, {many[1]}, {many[2]} and {many.Count - 3:N0} more), none of them a copy of this meeting's.",
            lots.Message);
    }

    /// <summary>
    /// "Authentic" said the copy was issued, not that its text is still the agreed one: a delegation holding an authentic
    /// copy of conclusions the chair has since reopened and changed could not tell from the trace. It now says whether the
    /// same document, exported now for the same recipient, would print exactly this text; a change undone is no change.
    /// </summary>
    [Fact]
    public async Task ATraceSaysWhetherTheCopysTextIsStillTheCurrentOne()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        var pdf = await Exports.ConclusionsAsync(secretariat, query: $"?recipient={Exports.MembershipOf(app, "hu")}");
        var word = await Exports.ConclusionsAsync(secretariat, "docx", $"?recipient={Exports.MembershipOf(app, "de")}");
        const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

        var fresh = await Exports.TraceAsync(secretariat, pdf.Bytes);
        Assert.Equal((TraceVerdict.Authentic, true), (fresh.Verdict, fresh.SameTextToday));
        Assert.EndsWith("Its text is still the current one: exported now for the same recipient, the conclusions would print exactly this text.", fresh.Message, StringComparison.Ordinal);
        var pasted = await chair.GetJsonAsync<TraceResultDto>($"{M}/copies/trace?identifier={pdf.CopyId}");
        Assert.Equal((TraceVerdict.Identified, true), (pasted.Verdict, pasted.SameTextToday));

        // Reopened and agreed again, its words untouched: the sequence number moved, the text did not.
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
        Assert.True((await Exports.TraceAsync(secretariat, pdf.Bytes)).SameTextToday);

        // Reopened, changed and agreed again: both copies, PDF and Word, are authentic and no longer the current text.
        await LengthenDefenceAsync(app, chair);
        foreach (var (bytes, type) in new[] { (pdf.Bytes, "application/pdf"), (word.Bytes, Docx) })
        {
            var changed = await Exports.TraceAsync(secretariat, bytes, type);
            Assert.Equal((TraceVerdict.Authentic, false), (changed.Verdict, changed.SameTextToday));
            Assert.EndsWith("Its text is no longer the current one: the conclusions have changed since this copy was issued, and exported now would print a different text.", changed.Message, StringComparison.Ordinal);
        }

        var identified = await chair.GetJsonAsync<TraceResultDto>($"{M}/copies/trace?identifier={word.CopyId}");
        Assert.Equal((TraceVerdict.Identified, false), (identified.Verdict, identified.SameTextToday));
        // A copy made now is the current text again.
        var now = await Exports.ConclusionsAsync(secretariat, query: $"?recipient={Exports.MembershipOf(app, "hu")}");
        Assert.True((await Exports.TraceAsync(secretariat, now.Bytes)).SameTextToday);
    }

    /// <summary>A statement's copy is still the current text until its words or its signatories change.</summary>
    [Fact]
    public async Task AStatementsTraceSaysWhetherItsTextIsStillTheCurrentOne()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        await Exports.UkraineBecomesTheStatementOf26Async(chair);
        var statement = await Exports.StatementAsync(chair, 1);

        var traced = await Exports.TraceAsync(chair, statement.Bytes);
        Assert.Equal((TraceVerdict.Authentic, true), (traced.Verdict, traced.SameTextToday));
        Assert.EndsWith("the statement would print exactly this text.", traced.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APastedIdentifierLeadsToItsCopy()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var copy = await Exports.ConclusionsAsync(chair, query: $"?recipient={Exports.MembershipOf(app, "sk")}");

        var traced = await chair.GetJsonAsync<TraceResultDto>($"{M}/copies/trace?identifier={Uri.EscapeDataString(" " + copy.CopyId.ToLowerInvariant() + " ")}");
        Assert.Equal(TraceVerdict.Identified, traced.Verdict);
        Assert.Equal("Slovakia delegate", traced.Copy!.RecipientName);
        Assert.Contains("Upload the file itself", traced.Message, StringComparison.Ordinal);

        var other = await chair.GetJsonAsync<TraceResultDto>($"{M}/copies/trace?identifier=BR-0000-0000-0000-0000");
        Assert.Equal(TraceVerdict.Unknown, other.Verdict);
        var malformed = await chair.GetAsync($"{M}/copies/trace?identifier=copy-42", TestHttp.Ct);
        await malformed.ShouldBeAsync(400);
        Assert.Contains("BR-", (await malformed.ReadJsonAsync()).GetProperty("errors").GetProperty("identifier")[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A small file whose contents unpack to gigabytes: a PDF's page of compressed zeros (1 MB took 12 s to trace and left
    /// the server 2.6 GB larger; the upload limit of 20 MB allowed some 20 GB), or a Word file's part of compressed spaces.
    /// Reading stops at 64 MB, before the bytes are unpacked, and the answer says that the file was read no further; the
    /// identifier its raw bytes carry is still found.
    /// </summary>
    [Theory]
    [InlineData("application/pdf")]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    public async Task AFileThatUnpacksToGigabytesIsReadNoFurtherThanABudgetAndTheAnswerSaysSo(string type)
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        const long Unpacked = 100L * 1024 * 1024;
        var file = type == "application/pdf" ? PdfWhosePageUnpacksTo(Unpacked) : WordWhosePartUnpacksTo(Unpacked);
        Assert.True(file.Length < 1024 * 1024, $"{file.Length:N0} bytes");

        var trace = await Exports.TraceAsync(secretariat, file, type);

        Assert.Equal(TraceVerdict.Unknown, trace.Verdict);
        Assert.Equal(
            "No copy issued in this meeting matches this file. It carries BR-0000-0000-0000-0042, which is not the identifier of a copy of this meeting. "
            + "Its contents unpack to more than 64 MB, more than a trace reads: past that, only its bytes as they are were searched.",
            trace.Message);
    }

    /// <summary>A one-page PDF whose page's content stream is <paramref name="unpacked"/> zeros, compressed; an identifier in a comment.</summary>
    private static byte[] PdfWhosePageUnpacksTo(long unpacked)
    {
        var content = ZlibZeros(unpacked);
        using var pdf = new MemoryStream();
        void Write(string text) => pdf.Write(Encoding.Latin1.GetBytes(text));
        var offsets = new List<long>();
        Write("%PDF-1.4\n% BR-0000-0000-0000-0042\n");
        foreach (var body in new[] { "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>" })
        {
            offsets.Add(pdf.Position);
            Write($"{offsets.Count} 0 obj\n{body}\nendobj\n");
        }

        offsets.Add(pdf.Position);
        Write($"4 0 obj\n<< /Length {content.Length} /Filter /FlateDecode >>\nstream\n");
        pdf.Write(content);
        Write("\nendstream\nendobj\n");
        var xref = pdf.Position;
        Write("xref\n0 5\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write($"{offset:D10} 00000 n \n");
        }

        Write($"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    /// <summary>A zip whose document part is <paramref name="unpacked"/> spaces, compressed; an identifier in an entry's name.</summary>
    private static byte[] WordWhosePartUnpacksTo(long unpacked)
    {
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntry("customXml/BR-0000-0000-0000-0042.txt").Open().Dispose();
            using var part = archive.CreateEntry("word/document.xml", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (long written = 0; written < unpacked; written += spaces.Length)
            {
                part.Write(spaces);
            }
        }

        return zip.ToArray();
    }

    private static byte[] ZlibZeros(long length)
    {
        using var packed = new MemoryStream();
        using (var packing = new System.IO.Compression.ZLibStream(packed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = new byte[1024 * 1024];
            for (long written = 0; written < length; written += block.Length)
            {
                packing.Write(block);
            }
        }

        return packed.ToArray();
    }

    /// <summary>Opens a Word copy as Word would, changes a word of its first numbered paragraph, and saves it.</summary>
    private static byte[] EditWord(byte[] docx)
    {
        using var stream = new MemoryStream();
        stream.Write(docx);
        using (var document = WordprocessingDocument.Open(stream, isEditable: true))
        {
            var text = document.MainDocumentPart!.Document!.Body!.Descendants<Text>().First(t => t.Text.StartsWith("Europe faces", StringComparison.Ordinal));
            text.Text = text.Text.Replace("clear and present", "distant", StringComparison.Ordinal);
        }

        return stream.ToArray();
    }
}
