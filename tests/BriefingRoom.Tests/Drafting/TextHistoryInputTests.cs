using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Drafting;

/// <summary>The history's endpoints answer a revision that is no number in words naming the field, as the page's others do.</summary>
public class TextHistoryInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public async Task ARevisionThatIsNoWholeNumberIsRefusedNamingTheRevision(string revision)
    {
        await using var app = new BriefingApp();
        var france = await app.SignInAsync("fr");

        var response = await france.GetAsync($"/api/meetings/1/texts/draft:1/revisions/{revision}", Ct);

        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("revision", out _), errors.GetRawText());
    }
}
