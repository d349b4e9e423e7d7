using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Identity;

/// <summary>A sign-in that expires ends everywhere it was used: over REST and on the hub connections opened with it.</summary>
public class SessionExpiryTests
{
    private static CancellationToken Ct => TestHttp.Ct;

    [Fact]
    public async Task AHubConnectionClosesWhenTheSignInItWasOpenedWithExpires()
    {
        var lifetime = TimeSpan.FromSeconds(3);
        await using var app = new BriefingApp(realSockets: true)
            .WithServices(s => s.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = lifetime));
        var token = await app.TokenForAsync("fr");
        await using var hub = app.NewHubConnection(token);
        var closed = hub.WhenClosed();
        await hub.StartAsync(Ct);
        await hub.InvokeAsync<JoinedDto>("JoinMeeting", BriefingApp.DemoMeetingId, Ct);

        // The token stops opening anything after its lifetime; a socket opened with it must not go on hearing the
        // meeting and editing in it for as long as it stays up. SignalR looks on its one-second heartbeat.
        await closed.WaitAsync(lifetime + TimeSpan.FromSeconds(15), Ct);
        using var expired = app.ClientWithToken(token);
        await (await expired.GetAsync("/api/me", Ct)).ShouldBeAsync(401);
    }
}
