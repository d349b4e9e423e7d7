using System.Text.Json;
using BriefingRoom.BrowserTests.Infrastructure;
using UglyToad.PdfPig;

namespace BriefingRoom.BrowserTests;

/// <summary>"Paragraph 7" in the room is paragraph 7 of the conclusions: the editor's margin against the exported PDF, read back.</summary>
public class ParagraphNumberTests : RoomTest
{
    [Fact]
    public async Task TheMarginNumbersTheDemoDraftAsTheConclusionsPdfPrintsIt()
    {
        var secretariat = await OpenAsync("secretariat", 5);

        var margin = await MarginAsync(secretariat, 5);
        Assert.Equal(Enumerable.Range(1, margin.Count), margin.Select(m => m.Number));
        AssertPrintedAs(await ExportAsync(secretariat), margin);
    }

    [Fact]
    public async Task WhenAnEarlierItemIsAgreedTheMarginNumbersRunOnFromItsParagraphsAsInThePdf()
    {
        var secretariat = await OpenAsync("secretariat", 5);
        var chair = await OpenAsync("chair", 1);
        var before = await MarginAsync(secretariat, 5);
        var itemOne = (await MarginAsync(chair, 1)).Count;

        var agreed = await chair.FetchAsync("PUT", "/api/meetings/1/items/1/status", new { status = "agreed" });
        Assert.Equal(200, agreed.Status);

        // The secretariat's margin moves on live, without a reload.
        await Expect(secretariat.Page.Locator(".editor-draft .cm-paragraph-numbers .cm-gutterElement").GetByText((itemOne + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Exact = true })).ToBeVisibleAsync();
        var after = await MarginAsync(secretariat, 5);
        Assert.Equal(before.Select(m => m.Number + itemOne), after.Select(m => m.Number));
        Assert.Equal(before.Select(m => m.Text), after.Select(m => m.Text));

        var pdf = await ExportAsync(secretariat);
        AssertPrintedAs(pdf, await MarginAsync(chair, 1));
        AssertPrintedAs(pdf, after);
    }

    public sealed record MarginNumber(int Number, string Text);

    /// <summary>The numbers drawn in the draft's margin, each with the text of the line it stands beside.</summary>
    private static async Task<List<MarginNumber>> MarginAsync(RoomPage page, int itemId)
    {
        var pairs = await page.Page.EvaluateAsync<JsonElement>(
            """
            id => {
              const editor = document.querySelector(`.cm-editor[data-document-id='${id}']`);
              const lines = [...editor.querySelectorAll('.cm-line')].map((l) => ({ top: l.getBoundingClientRect().top, text: l.textContent }));
              return [...editor.querySelectorAll('.cm-paragraph-numbers .cm-gutterElement')]
                .filter((g) => g.textContent !== '' && getComputedStyle(g).visibility !== 'hidden')
                .map((g) => {
                  const top = g.getBoundingClientRect().top;
                  const line = lines.reduce((best, l) => (Math.abs(l.top - top) < Math.abs(best.top - top) ? l : best));
                  return [Number(g.textContent), line.text];
                });
            }
            """,
            $"draft:{itemId}");
        var margin = pairs.EnumerateArray().Select(p => new MarginNumber(p[0].GetInt32(), p[1].GetString()!)).ToList();
        Assert.NotEmpty(margin);
        return margin;
    }

    private static async Task<byte[]> ExportAsync(RoomPage secretariat)
    {
        var download = await secretariat.Page.RunAndWaitForDownloadAsync(() =>
            secretariat.Page.GetByRole(AriaRole.Button, new() { Name = "Export conclusions" }).ClickAsync());
        await using var stream = await download.CreateReadStreamAsync();
        var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, Ct);
        return bytes.ToArray();
    }

    /// <summary>Each numbered paragraph of the margin opens a PDF line "N. " followed by the same words.</summary>
    private static void AssertPrintedAs(byte[] pdf, List<MarginNumber> margin)
    {
        var lines = PdfLines(pdf);
        foreach (var (number, text) in margin)
        {
            var prefix = $"{number}. ";
            var printed = lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            var opening = string.Join(' ', text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4));
            Assert.True(printed.Any(l => l[prefix.Length..].StartsWith(opening, StringComparison.Ordinal)),
                $"The PDF has no paragraph {number} opening with \"{opening}\"; its lines starting \"{prefix}\": {string.Join(" | ", printed)}");
        }
    }

    /// <summary>The PDF's lines of text as PdfPig reads them: words on one baseline, left to right.</summary>
    private static List<string> PdfLines(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().SelectMany(page => page.GetWords()
            .Where(w => !string.IsNullOrWhiteSpace(w.Text))
            .GroupBy(w => Math.Round(w.Letters[0].StartBaseLine.Y, 1))
            .OrderByDescending(g => g.Key)
            .Select(g => string.Join(' ', g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text))))];
    }
}
