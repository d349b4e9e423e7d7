using BriefingRoom.Tests.Infrastructure;
using static BriefingRoom.Tests.Conclusions.PdfReadBack;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>Defects found reviewing the exports: each test failed on the code before its fix.</summary>
public class ExportReviewTests
{
    private const string M = Exports.M;

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
}
