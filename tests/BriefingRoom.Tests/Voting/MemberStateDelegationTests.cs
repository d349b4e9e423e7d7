using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Voting;

/// <summary>
/// The decision rules count the 27 member states and weigh them by the population table, which holds exactly those 27:
/// a delegation of the kind "member state" is one of them, or the tally of every meeting it took part in could not be computed.
/// </summary>
public class MemberStateDelegationTests
{
    [Fact]
    public async Task AMemberStateDelegationOutsideThe27IsRefusedNamingTheCode()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => admin.PostJsonAsync("/api/delegations", new { code = "XK", name = "Kosovo", kind = "memberState" }));

        await response.ShouldBeAsync(400);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("code", out _));
        // The meeting's room and tallies stay readable, as nothing was added.
        await (await admin.PostJsonAsync("/api/meetings/1/participants", new { delegationCode = "XK" })).ShouldBeAsync(400);
        Assert.Equal(5, (await admin.GetJsonAsync<MeetingSnapshot>("/api/meetings/1")).Tallies.Count);
    }

    [Fact]
    public async Task AGuestOrInstitutionDelegationIsStillAddedFreely()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        await (await admin.PostJsonAsync("/api/delegations", new { code = "XK", name = "Kosovo", kind = "guest" })).ShouldBeAsync(201);
        await (await admin.PostJsonAsync("/api/delegations", new { code = "EIB", name = "European Investment Bank", kind = "institution" })).ShouldBeAsync(201);
    }
}
