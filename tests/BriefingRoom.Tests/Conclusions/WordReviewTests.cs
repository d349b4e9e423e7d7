using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>Defects found reviewing the Word export against the PDF: each test failed on the code before its fix.</summary>
public class WordReviewTests
{
    private const string M = Exports.M;

    private static bool IsHebrew(char c) => c is >= '\u0590' and <= '\u05FF';

    /// <summary>Replaces item <paramref name="itemId"/>'s draft with <paramref name="text"/>, leaving its status as it was.</summary>
    private static async Task ReplaceDraftAsync(BriefingApp app, HttpClient chair, int itemId, string text)
    {
        var draft = app.WithDb(db => db.Items.Single(i => i.Id == itemId).DraftText);
        await (await chair.PostJsonAsync($"{M}/texts/draft:{itemId}/operations",
            new SubmitOperationRequest($"draft:{itemId}", 0, "replace", TextOperation.Builder().Delete(draft.Length).Insert(text).Build()))).ShouldBeAsync(200);
    }

    private static async Task AgreeDefenceAsAsync(BriefingApp app, HttpClient chair, string text)
    {
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        await ReplaceDraftAsync(app, chair, 5, text);
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
    }

    private static List<string> ValidationErrors(WordprocessingDocument word) =>
        [.. new OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2019).Validate(word, TestHttp.Ct).Select(e => $"{e.Path?.XPath}: {e.Description}")];

    /// <summary>Every text a Word file shows: body, footnotes, header and footer.</summary>
    private static string AllText(WordprocessingDocument word)
    {
        var main = word.MainDocumentPart!;
        return string.Join('\n', new DocumentFormat.OpenXml.OpenXmlElement[] { main.Document!.Body!, main.FootnotesPart!.Footnotes! }
            .Concat(main.HeaderParts.Select(h => (DocumentFormat.OpenXml.OpenXmlElement)h.Header!))
            .Concat(main.FooterParts.Select(f => (DocumentFormat.OpenXml.OpenXmlElement)f.Footer!))
            .SelectMany(e => e.Descendants<Text>()).Select(t => t.Text));
    }

    [Fact]
    public async Task AParagraphInHebrewIsRightToLeftInTheWordFileAndItsHebrewRunsAreMarkedRightToLeft()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        const string hebrew = "המועצה מברכת את ההסכם (2025) ומאשרת אותו.";
        const string mixed = "The Council greets the Knesset with the words שלום עליכם and thanks it.";
        await AgreeDefenceAsAsync(app, chair, $"{hebrew}\n{mixed}");

        var docx = await Exports.ConclusionsAsync(chair, "docx");

        using var word = WordprocessingDocument.Open(new MemoryStream(docx.Bytes), false);
        Assert.Empty(ValidationErrors(word));
        var paragraphs = word.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().ToList();
        var right = paragraphs.Single(p => p.InnerText.Contains(hebrew, StringComparison.Ordinal));
        var left = paragraphs.Single(p => p.InnerText.Contains(mixed, StringComparison.Ordinal));
        // The paragraph that opens in Hebrew is right to left (its full stop ends it on the left); the English one stays left to right.
        Assert.True(right.ParagraphProperties?.BiDi is not null, right.OuterXml);
        Assert.Null(left.ParagraphProperties?.BiDi);
        // Every run that holds Hebrew reads right to left; no run of Latin letters does.
        foreach (var run in right.Elements<Run>().Concat(left.Elements<Run>()))
        {
            var text = run.InnerText;
            if (text.Any(IsHebrew))
            {
                Assert.True(run.RunProperties?.RightToLeftText is not null, run.OuterXml);
            }
            else if (text.Any(char.IsAsciiLetter))
            {
                Assert.Null(run.RunProperties?.RightToLeftText);
            }
        }
    }

    [Fact]
    public async Task ConclusionsListingItemsWithoutAgreementPrintNoneOfTheirOpenDraftsInPdfOrWord()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        const string open = "Hungary would accept the sanctions if the open draft said so";
        await ReplaceDraftAsync(app, chair, 3, open + ".");

        var pdf = await Exports.ConclusionsAsync(secretariat, "pdf", "?noAgreement=list");
        var docx = await Exports.ConclusionsAsync(secretariat, "docx", "?noAgreement=list");

        Assert.Contains(BodyLines(pdf.Bytes), l => l.Text == ConclusionsSection.NoAgreementText);
        Assert.DoesNotContain("open draft", string.Join(' ', Lines(pdf.Bytes).Select(l => l.Text)), StringComparison.Ordinal);
        Assert.DoesNotContain("open draft", ActualText(pdf.Bytes), StringComparison.Ordinal);
        using (var word = WordprocessingDocument.Open(new MemoryStream(docx.Bytes), false))
        {
            var all = AllText(word);
            Assert.Contains(ConclusionsSection.NoAgreementText, all, StringComparison.Ordinal);
            Assert.DoesNotContain("open draft", all, StringComparison.Ordinal);
        }

        // The open draft is no part of what the conclusions print: editing it changes neither their content hash nor their sequence number.
        await ReplaceDraftAsync(app, chair, 3, "Another open draft.");
        var again = await Exports.ConclusionsAsync(secretariat, "docx", "?noAgreement=list");
        Assert.Equal(docx.ContentSha256, again.ContentSha256);
        Assert.Equal(docx.Seq, again.Seq);
        Assert.DoesNotContain(app.WithDb(db => db.Events.Where(e => e.Type == "conclusions.exported").Select(e => e.Payload).ToList()),
            payload => payload.Contains("open draft", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARecipientNameHoldingCharactersXmlCannotCarryStillGivesAValidWordCopy()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        // Stored before the app refused such characters at its boundary (or by the administrator's command line, which does not ask).
        app.WithDb(db =>
        {
            db.Users.Single(u => u.Email == BriefingApp.Email("hu")).DisplayName = "Kov\u0001\u0000cs \uD800D\u00E1vid\uFFFE \U0001F1ED\U0001F1FA";
            return db.SaveChanges();
        });

        var docx = await Exports.ConclusionsAsync(secretariat, "docx", $"?recipient={Exports.MembershipOf(app, "hu")}");

        using var word = WordprocessingDocument.Open(new MemoryStream(docx.Bytes), false);
        Assert.Empty(ValidationErrors(word));
        // What XML cannot carry is shown as U+FFFD; everything else, a flag of two astral characters included, as it is.
        Assert.Contains("Copy for Kov\uFFFD\uFFFDcs \uFFFDD\u00E1vid\uFFFD \U0001F1ED\U0001F1FA (Hungary)", AllText(word), StringComparison.Ordinal);
        Assert.Contains(docx.CopyId, AllText(word), StringComparison.Ordinal);
        var pdf = await Exports.ConclusionsAsync(secretariat, "pdf", $"?recipient={Exports.MembershipOf(app, "hu")}");
        Assert.NotEmpty(pdf.Bytes);
    }

    [Fact]
    public async Task BadExportQueryValuesAreRefusedWith400NamingTheField()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");

        foreach (var format in new[] { "pdf", "docx" })
        {
            foreach (var (query, field) in new[] { ("recipient=abc", "recipient"), ("recipient=99999", "recipient"), ("version=abc", "version"), ("version=-1", "version"), ("version=99999", "version"), ("version=99999999999", "version") })
            {
                var response = await Fingerprint.AssertUnchangedAsync(app, () => secretariat.GetAsync($"{M}/conclusions.{format}?{query}", TestHttp.Ct));
                await response.ShouldBeAsync(400);
                var errors = (await response.ReadJsonAsync()).GetProperty("errors");
                Assert.True(errors.TryGetProperty(field, out _), $"{format}?{query}: {errors}");
            }
        }
    }

    [Fact]
    public async Task AVersionOfAnItemIsNotIssuedToAGuestWhoTakesNoPartInIt()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        // Item 3 (frozen assets, sanctions) is the Council's alone: the United Kingdom, a guest of item 2, does not see it.
        var rev1 = await (await chair.PostJsonAsync($"{M}/items/3/versions", new { name = "before the tour de table" })).ReadAsync<BriefingRoom.Versions.ItemVersionDto>();
        var uk = Exports.MembershipOf(app, "uk");

        foreach (var format in new[] { "pdf", "docx" })
        {
            var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.GetAsync($"{M}/conclusions.{format}?version={rev1.Id}&recipient={uk}", TestHttp.Ct));
            await response.ShouldBeAsync(400);
            Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("recipient", out _));
        }

        Assert.Empty(app.WithDb(db => db.ExportedCopies.Where(c => c.RecipientDelegation == "United Kingdom").ToList()));
        // A version of item 2, in which the United Kingdom takes part, is issued to it as to anyone.
        var item2 = await (await chair.PostJsonAsync($"{M}/items/2/versions", new { name = "with the partners" })).ReadAsync<BriefingRoom.Versions.ItemVersionDto>();
        await Exports.ConclusionsAsync(chair, "docx", $"?version={item2.Id}&recipient={uk}");
    }

    /// <summary>
    /// The conclusions print every agreed item's text and its reservations: the United Kingdom, a guest of item II only,
    /// is not shown item V in the room (nor any member state's reservation), so it is not issued the conclusions either,
    /// as it is issued no version or statement of an item it takes no part in.
    /// </summary>
    [Fact]
    public async Task TheConclusionsAreNotIssuedToAGuestWhoTakesNoPartInAnItemTheyPrint()
    {
        await using var app = new BriefingApp();
        var secretariat = await app.SignInAsync("secretariat");
        var uk = Exports.MembershipOf(app, "uk");

        foreach (var format in new[] { "pdf", "docx" })
        {
            foreach (var query in new[] { $"?recipient={uk}", $"?recipient={uk}&noAgreement=list" })
            {
                var response = await Fingerprint.AssertUnchangedAsync(app, () => secretariat.GetAsync($"{M}/conclusions.{format}{query}", TestHttp.Ct));
                await response.ShouldBeAsync(400);
                var problem = await response.ReadJsonAsync();
                Assert.True(problem.GetProperty("errors").TryGetProperty("recipient", out var why), problem.ToString());
                Assert.Contains(query.Contains("noAgreement", StringComparison.Ordinal) ? "takes no part in item I," : "takes no part in item V,", why[0].GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Empty(app.WithDb(db => db.ExportedCopies.Where(c => c.RecipientDelegation == "United Kingdom").ToList()));
        // A member state's delegate is issued them as before.
        await Exports.ConclusionsAsync(secretariat, "docx", $"?recipient={Exports.MembershipOf(app, "fr")}");
    }

    [Fact]
    public async Task AVersionExportedAfterTheMarkingChangedReflectsTheChangeInItsSequenceNumber()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");
        var rev1 = await (await chair.PostJsonAsync($"{M}/items/3/versions", new { name = "before the tour de table" })).ReadAsync<BriefingRoom.Versions.ItemVersionDto>();
        var before = await Exports.ConclusionsAsync(chair, "docx", $"?version={rev1.Id}");

        // The version's text is frozen, but the document also prints the meeting's fields: here its marking.
        await Exports.SetMeetingAsync(app, chair, "RESTREINT UE");
        var after = await Exports.ConclusionsAsync(chair, "docx", $"?version={rev1.Id}");

        using var word = WordprocessingDocument.Open(new MemoryStream(after.Bytes), false);
        Assert.Contains("RESTREINT UE", AllText(word), StringComparison.Ordinal);
        Assert.NotEqual(before.ContentSha256, after.ContentSha256);
        // Two different printed documents never claim to reflect the same meeting state.
        Assert.True(after.Seq > before.Seq, $"both say they reflect sequence {before.Seq}");
        Assert.Contains($"Reflects meeting sequence {after.Seq}", AllText(word), StringComparison.Ordinal);
    }
}
