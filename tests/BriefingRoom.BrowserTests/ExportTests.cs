using System.Security.Cryptography;
using System.Text;
using BriefingRoom.BrowserTests.Infrastructure;

namespace BriefingRoom.BrowserTests;

public class ExportTests : RoomTest
{
    /// <summary>The real export: the page shows the hash the server announced, and checks it against the bytes it received.</summary>
    [Fact]
    public async Task TheSecretariatDownloadsTheConclusionsPdfAndSeesItsHash()
    {
        var secretariat = await OpenAsync("secretariat", 5);
        var download = await secretariat.Page.RunAndWaitForDownloadAsync(() =>
            secretariat.Page.GetByRole(AriaRole.Button, new() { Name = "Export conclusions (PDF)" }).ClickAsync());

        Assert.Equal("EUCO-1-25-conclusions.pdf", download.SuggestedFilename);
        await using var stream = await download.CreateReadStreamAsync();
        var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, Ct);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(bytes.ToArray(), 0, 5), StringComparison.Ordinal);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray()));
        await Expect(secretariat.Page.Locator(".export-result .hash")).ToHaveTextAsync(sha256);
        await Expect(secretariat.Page.Locator(".export-result")).ToContainTextAsync("The file matches the fingerprint.");
        // The seeded demo has not changed since it was seeded: the PDF reflects sequence 0.
        await Expect(secretariat.Page.Locator(".export-result")).ToContainTextAsync("#0");
    }

    [Fact]
    public async Task ADelegateHasNoExportButton()
    {
        var france = await OpenAsync("fr", 5);
        await Expect(france.Page.GetByRole(AriaRole.Button, new() { Name = "Export conclusions (PDF)" })).ToHaveCountAsync(0);
    }
}
