using System.Security.Cryptography;
using System.Text;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class ExportTests : RoomTest
{
    private static async Task<byte[]> BytesOf(IDownload download)
    {
        await using var stream = await download.CreateReadStreamAsync();
        var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, Ct);
        return bytes.ToArray();
    }

    /// <summary>The real export: the page shows the hashes the server announced, and checks the file's against the bytes it received.</summary>
    [Fact]
    public async Task TheSecretariatDownloadsTheConclusionsPdfAndSeesItsHashes()
    {
        var secretariat = await OpenAsync("secretariat", 5);
        var download = await secretariat.Page.RunAndWaitForDownloadAsync(() =>
            secretariat.Page.GetByRole(AriaRole.Button, new() { Name = "Export conclusions" }).ClickAsync());

        Assert.Equal("EUCO-6-25-conclusions.pdf", download.SuggestedFilename);
        var bytes = await BytesOf(download);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5), StringComparison.Ordinal);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var result = secretariat.Page.Locator(".export-result");
        await Expect(result.Locator(".copy-hash")).ToHaveTextAsync(sha256);
        await Expect(result.Locator(".content-hash")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        await Expect(result).ToContainTextAsync("The file matches its fingerprint.");
        await Expect(result).ToContainTextAsync("copy for You (General Secretariat)");
        await Expect(result.Locator(".copy-id")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^BR-[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"));
        // The seeded demo has not changed since it was seeded: the PDF reflects sequence 0.
        await Expect(result).ToContainTextAsync("#0");
    }

    /// <summary>
    /// The chair revokes Slovakia's seat while the secretariat's documents panel is open: "Copy for" must no longer offer
    /// a person who is no longer in the meeting (it kept the list the page loaded, and an export for them was refused).
    /// </summary>
    [Fact]
    public async Task TheRecipientsFollowTheSeatsOfTheMeetingLive()
    {
        var secretariat = await OpenAsync("secretariat", 5);
        var chair = await OpenAsync("chair", 5);
        var copyFor = secretariat.Page.GetByLabel("Copy for", new() { Exact = true });
        var slovakia = copyFor.Locator("option", new() { HasText = "Slovakia delegate · Slovakia" });
        await Expect(slovakia).ToHaveCountAsync(1);

        var (status, body) = await chair.FetchAsync("GET", "/api/meetings/1/memberships", null);
        Assert.Equal(200, status);
        var membership = System.Text.Json.JsonDocument.Parse(body).RootElement.EnumerateArray()
            .Single(m => m.GetProperty("delegationCode").GetString() == "SK" && m.GetProperty("role").GetString() == "delegate").GetProperty("id").GetInt32();
        Assert.Equal(204, (await chair.FetchAsync("DELETE", $"/api/meetings/1/memberships/{membership}", null)).Status);

        await Expect(slovakia).ToHaveCountAsync(0);
        await Expect(copyFor.Locator("option", new() { HasText = "France delegate · France" })).ToHaveCountAsync(1);
    }

    /// <summary>
    /// The secretariat chose Slovakia under "Copy for"; the chair then revoked Slovakia's seat. The choice fell back to
    /// "You" without a word, and the next export was a copy in the secretariat's own name, taken for Slovakia's. The
    /// panel now says that the chosen person no longer holds a seat and whose the next copy is.
    /// </summary>
    [Fact]
    public async Task ARecipientChosenAndThenUnseatedIsNotSilentlyReplacedByYou()
    {
        var secretariat = await OpenAsync("secretariat", 5);
        var chair = await OpenAsync("chair", 5);
        var copyFor = secretariat.Page.GetByLabel("Copy for", new() { Exact = true });
        await copyFor.SelectOptionAsync(new SelectOptionValue { Label = "Slovakia delegate · Slovakia" });

        var (_, body) = await chair.FetchAsync("GET", "/api/meetings/1/memberships", null);
        var membership = System.Text.Json.JsonDocument.Parse(body).RootElement.EnumerateArray()
            .Single(m => m.GetProperty("delegationCode").GetString() == "SK" && m.GetProperty("role").GetString() == "delegate").GetProperty("id").GetInt32();
        Assert.Equal(204, (await chair.FetchAsync("DELETE", $"/api/meetings/1/memberships/{membership}", null)).Status);

        await Expect(secretariat.Page.Locator(".export-result")).ToContainTextAsync(
            "Slovakia delegate · Slovakia no longer holds a seat: the next copy is yours unless you choose someone else");
        await Expect(copyFor).ToHaveValueAsync("");
    }

    [Fact]
    public async Task ADelegateHasNoExportButton()
    {
        var france = await OpenAsync("fr", 5);
        await Expect(france.Page.GetByRole(AriaRole.Button, new() { Name = "Export conclusions" })).ToHaveCountAsync(0);
        await Expect(france.Page.GetByText("Trace a leaked copy")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Item I becomes the statement of the 26. The secretariat exports it, in Word, as France's copy; the copy
    /// "leaks" and the secretariat uploads it: the page says it is France's copy. The same file changed is not.
    /// </summary>
    [Fact]
    public async Task TheSecretariatExportsTheStatementInWordForFranceAndTracesTheLeakedCopy()
    {
        var chair = await OpenAsync("chair", 1);
        await MakeItemOneAStatementAsync(chair);
        var secretariat = await OpenAsync("secretariat", 1);
        var page = secretariat.Page;

        var statement = page.Locator(".statement");
        await Expect(statement.Locator(".statement-number")).ToHaveTextAsync("EUCO 10/25");
        await page.GetByLabel("Word", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Copy for", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "France delegate · France" });
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Export statement EUCO 10/25" }).ClickAsync());

        Assert.Equal("EUCO-10-25-statement.docx", download.SuggestedFilename);
        var docx = await BytesOf(download);
        await Expect(page.Locator(".export-result")).ToContainTextAsync("copy for France delegate · France");

        await page.GetByText("Trace a leaked copy").ClickAsync();
        var leaked = page.GetByLabel("Leaked file (PDF or Word)");
        await leaked.SetInputFilesAsync(new FilePayload { Name = "leak.docx", MimeType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Buffer = docx });
        await page.GetByRole(AriaRole.Button, new() { Name = "Trace file" }).ClickAsync();
        var answer = page.Locator(".trace-message");
        await Expect(answer).ToContainTextAsync("This is the copy of EUCO 10/25 (statement, Word) issued to France delegate (France)");
        await Expect(answer).ToHaveAttributeAsync("data-verdict", "authentic");

        byte[] changed = [.. docx, .. "junk"u8];
        await leaked.SetInputFilesAsync(new FilePayload { Name = "leak.docx", MimeType = "application/octet-stream", Buffer = changed });
        await page.GetByRole(AriaRole.Button, new() { Name = "Trace file" }).ClickAsync();
        await Expect(answer).ToHaveAttributeAsync("data-verdict", "altered");
        await Expect(answer).ToContainTextAsync("Not an authentic copy.");
    }

    /// <summary>
    /// The secretariat uploads a leaked file, which takes long to answer, and meanwhile traces a pasted identifier: the
    /// identifier's answer shows, then the file's arrives late and took its place, so the panel answered the question
    /// asked second with the verdict on the first. The panel shows the answer to the last question asked.
    /// </summary>
    [Fact]
    public async Task ASlowAnswerOnAnEarlierTraceDoesNotReplaceTheAnswerToTheLastOne()
    {
        var page = (await OpenFirstAsync("secretariat", 5)).Page;
        var held = await HeldRequests.OnAsync(page, "**/api/meetings/1/copies/trace");
        var fileAnswered = new TaskCompletionSource<IResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/copies/trace", StringComparison.Ordinal) && response.Request.Method == "POST")
            {
                fileAnswered.TrySetResult(response);
            }
        };

        await page.GetByText("Trace a leaked copy").ClickAsync();
        await page.GetByLabel("Leaked file (PDF or Word)").SetInputFilesAsync(new FilePayload { Name = "leak.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.7 not a copy"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Trace file" }).ClickAsync();
        await held.Requested;

        await page.GetByLabel("Or paste its identifier").FillAsync("BR-0000-0000-0000-0000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Trace identifier" }).ClickAsync();
        var answer = page.Locator(".trace-message");
        await Expect(answer).ToContainTextAsync("BR-0000-0000-0000-0000 is not the identifier of a copy issued in this meeting.");

        held.Release();
        await (await fileAnswered.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct)).FinishedAsync();
        await page.EvaluateAsync("() => new Promise((done) => requestAnimationFrame(() => done()))");
        await Expect(answer).ToContainTextAsync("BR-0000-0000-0000-0000 is not the identifier of a copy issued in this meeting.");
        await Expect(answer).ToHaveCountAsync(1);
    }

    /// <summary>
    /// The secretariat types a new title for the statement of the 26, then goes to "Copy for" to choose whose copy it is
    /// before saving. Meanwhile the chair locks another item: the panel filled the form again from the server, and the
    /// title typed was gone without a word. What the secretariat typed stays until it is saved or the form is left as it was.
    /// </summary>
    [Fact]
    public async Task WordsTypedIntoAStatementsFormSurviveAChangeElsewhereInTheAgenda()
    {
        var chair = await OpenFirstAsync("chair", 1);
        await MakeItemOneAStatementAsync(chair);
        var secretariat = await OpenAsync("secretariat", 1);
        var page = secretariat.Page;
        var statement = page.Locator(".statement");
        await Expect(statement.Locator(".statement-number")).ToHaveTextAsync("EUCO 10/25");
        await statement.GetByText("Number, title and marking").ClickAsync();
        var title = statement.GetByLabel("Title", new() { Exact = true });
        await title.FillAsync("Statement of the 26 on Ukraine");
        await page.GetByLabel("Copy for", new() { Exact = true }).FocusAsync();

        Assert.Equal(200, (await chair.FetchAsync("POST", "/api/meetings/1/items/3/lock", new { reason = "Checking the legal basis" })).Status);
        await Expect(page.Locator(".agenda-list > li[data-key='3']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-locked"));

        await Expect(title).ToHaveValueAsync("Statement of the 26 on Ukraine");
        await statement.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(statement.Locator(".form-message")).ToHaveTextAsync("Saved.");
        var (_, body) = await chair.FetchAsync("GET", "/api/meetings/1", null);
        Assert.Contains("Statement of the 26 on Ukraine", body, StringComparison.Ordinal);
    }

    /// <summary>The room shows beside the draft the footnotes the conclusions will print, as the server words them, live.</summary>
    [Fact]
    public async Task TheDraftShowsItsFootnotesAsTheConclusionsWordThem()
    {
        var france = await OpenAsync("fr", 2);
        var secretariat = await OpenAsync("secretariat", 2);
        var footnotes = france.Page.Locator(".footnotes");
        await Expect(footnotes.GetByRole(AriaRole.Heading, new() { Name = "Footnotes" })).ToBeVisibleAsync();
        await Expect(footnotes.Locator(".footnote")).ToHaveCountAsync(3);
        await Expect(footnotes.Locator(".footnote").First).ToContainTextAsync("Paragraph 1");
        await Expect(footnotes.Locator(".footnote").First).ToContainTextAsync("IE: general reservation. Subject to Ireland's policy of military neutrality.");

        var page = secretariat.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Record stance of Hungary" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Record the stance of Hungary" });
        await form.GetByLabel("Stance of Hungary").SelectOptionAsync("supportWithReservation");
        await form.GetByLabel("Kind of reservation").SelectOptionAsync("parliamentary");
        await form.GetByLabel("On paragraph (as the margin numbers it)").FillAsync("2");
        await form.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();

        await Expect(footnotes.Locator(".footnote")).ToHaveCountAsync(4);
        await Expect(footnotes.Locator(".footnote").Last).ToHaveTextAsync("Paragraph 2HU: parliamentary scrutiny reservation.");
    }

    /// <summary>
    /// Ireland, Malta and Austria reserve on paragraph 1 of item II. France starts a new paragraph above it: their
    /// reservations are on the words they named, now paragraph 2, and every screen says so at once (the footnotes and the
    /// positions alike), as the conclusions will print them. Once those words are deleted, the screens say that too.
    /// </summary>
    [Fact]
    public async Task AReservationFollowsItsParagraphWhenADelegateStartsANewOneAboveIt()
    {
        var france = await OpenAsync("fr", 2);
        var ireland = await OpenAsync("ie", 2);
        var original = Server.StoredDraft(2);
        var footnotes = ireland.Page.Locator(".footnotes .footnote");
        await Expect(footnotes).ToHaveCountAsync(3);
        await Expect(footnotes.First).ToContainTextAsync("Paragraph 1");
        await Expect(ireland.Page.Locator(".reservation-paragraph").First).ToHaveTextAsync("on paragraph 1");

        await france.TypeAtStartAsync(2, "The European Council opens with a new paragraph.");
        await france.Page.Keyboard.PressAsync("Enter");

        await Expect(footnotes.First).ToHaveTextAsync("Paragraph 2IE: general reservation. Subject to Ireland's policy of military neutrality.");
        await Expect(footnotes.Filter(new() { HasText = "Paragraph 2" })).ToHaveCountAsync(3);
        await Expect(ireland.Page.Locator(".reservation-paragraph").First).ToHaveTextAsync("on paragraph 2");
        await Expect(france.Page.Locator(".footnotes .footnote").First).ToContainTextAsync("Paragraph 2");

        // France then deletes every word of that paragraph: the reservations name a paragraph that is gone, and say so.
        var opening = "The European Council opens with a new paragraph.\n".Length;
        var (from, to) = BriefingRoom.Drafting.DraftParagraphs.SpanOf(original, 1)!.Value;
        await france.SelectInDraftAsync(2, opening + from, opening + to);
        await france.Page.Keyboard.PressAsync("Backspace");
        await Expect(footnotes.Filter(new() { HasText = "Deleted paragraph" })).ToHaveCountAsync(3);
        await Expect(ireland.Page.Locator(".reservation-paragraph").First).ToHaveTextAsync("on a deleted paragraph");
    }

    /// <summary>
    /// The progress bar of an export hid itself 600 ms after the export before it finished: an export started within
    /// those 600 ms lost its progress bar while it was still downloading.
    /// </summary>
    [Fact]
    public async Task AnExportStartedRightAfterAnotherKeepsItsProgressBarUntilItEnds()
    {
        var page = (await OpenFirstAsync("secretariat", 5)).Page;
        await page.Clock.InstallAsync();
        // The page's timers stand still from here: only the test moves them on.
        await page.Clock.PauseAtAsync(DateTime.Now.AddMinutes(1));
        var export = page.GetByRole(AriaRole.Button, new() { Name = "Export conclusions" });
        var progress = page.Locator(".export-progress");
        await page.RunAndWaitForDownloadAsync(() => export.ClickAsync());
        await Expect(page.Locator(".export-result")).ToContainTextAsync("Saved");

        var held = await HeldRequests.OnAsync(page, "**/api/meetings/1/conclusions.pdf*");
        var second = page.WaitForDownloadAsync();
        await export.ClickAsync();
        await held.Requested;
        await page.Clock.RunForAsync(1_000);

        await Expect(progress).ToBeVisibleAsync();
        held.Release();
        await second;
        await Expect(page.Locator(".export-result")).ToContainTextAsync("Saved");
        await page.Clock.RunForAsync(1_000);
        await Expect(progress).ToBeHiddenAsync();
    }
}
