using Microsoft.AspNetCore.Mvc.Testing;

namespace BriefingRoom.Tests;

public class SmokeTests
{
    [Fact]
    public async Task HealthEndpointAnswers()
    {
        await using var factory = new WebApplicationFactory<Program>();
        var client = factory.CreateClient();
        var body = await client.GetStringAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal("ok", body);
    }
}
