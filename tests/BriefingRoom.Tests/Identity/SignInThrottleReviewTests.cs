using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Identity;

/// <summary>The sign-in throttle counts the guesses at one account, however the address is spelt and however fast they come.</summary>
public class SignInThrottleReviewTests
{
    private const int MaxFailures = 5;

    [Fact]
    public async Task AnAddressSpeltWithAKelvinSignIsHeldBackLikeTheAccountItSignsInto()
    {
        await using var app = new BriefingApp();
        using var client = app.CreateClient();
        for (var attempt = 0; attempt < MaxFailures; attempt++)
        {
            await (await SignInAsync(client, "sk@briefing.example", $"wrong-{attempt}")).ShouldBeAsync(401);
        }

        await (await SignInAsync(client, "sk@briefing.example", BriefingApp.Password)).ShouldBeAsync(429);

        // U+212A KELVIN SIGN is canonically "K": the account lookup finds Slovakia's account under this spelling.
        var disguised = await SignInAsync(client, "s\u212A@briefing.example", BriefingApp.Password);

        await disguised.ShouldBeAsync(429);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        client.PostJsonAsync("/api/auth/login", new { email, password });
}
