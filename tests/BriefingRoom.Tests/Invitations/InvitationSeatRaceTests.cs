using BriefingRoom.Invitations;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Invitations;

/// <summary>
/// An invitation is made outside the meeting's grain: "does the delegation it seats take part?" is asked, then the
/// invitation written. Removing the delegation (in the grain) withdraws its open invitations, so that the inviters' list
/// says the seat is gone (<see cref="InvitationTests.RemovingADelegationWithdrawsItsOpenInvitationsAndNoOneElses"/>); an
/// invitation checked before the removal and written after it was missed by that, and stood open for a seat that was gone.
/// </summary>
public class InvitationSeatRaceTests
{
    /// <summary>On PostgreSQL the removal's transaction and the invitation's run side by side: nothing orders them but a lock.</summary>
    [Theory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.Postgres)]
    public async Task AnInvitationThatCrossesItsDelegationsRemovalIsRefusedOrWithdrawnNeverLeftOpen(Engine engine)
    {
        await using var database = await Database.OnAsync(engine);
        var (removalWrites, invitationGoesOn) = Holds();
        await using var app = database.App(new BriefingApp(), removalWrites, invitationGoesOn);
        await CrossAsync(app, removalWrites, invitationGoesOn);
    }

    private static (HoldingInterceptor RemovalWrites, HoldingInterceptor InvitationGoesOn) Holds()
    {
        // The removal has read the delegation's open invitations (none) and waits before it writes, its transaction open.
        var removalWrites = new HoldingInterceptor(sql => sql.Contains("DELETE FROM \"Participants\"", StringComparison.Ordinal));
        // Never held: it says when the invitation has looked up the address's account, after it checked the delegation.
        var invitationGoesOn = new HoldingInterceptor(sql => sql.Contains("FROM \"AspNetUsers\"", StringComparison.Ordinal));
        invitationGoesOn.Release();
        return (removalWrites, invitationGoesOn);
    }

    private static async Task CrossAsync(BriefingApp app, HoldingInterceptor removalWrites, HoldingInterceptor invitationGoesOn)
    {
        using var admin = await app.SignInAsync("admin");
        using var secretariat = await app.SignInAsync("secretariat");
        await (await admin.PostJsonAsync("/api/delegations", new { code = "CH", name = "Switzerland", kind = "guest" })).ShouldBeAsync(201);
        await (await admin.PostJsonAsync("/api/meetings/1/participants", new { delegationCode = "CH" })).ShouldBeAsync(200);

        removalWrites.HoldNext();
        var removing = admin.DeleteAsync("/api/meetings/1/participants/CH", TestHttp.Ct);
        await removalWrites.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        invitationGoesOn.HoldNext();
        var inviting = secretariat.PostJsonAsync("/api/meetings/1/invitations", new { email = "bern.crossing@example.org", displayName = "Switzerland – observer", role = "observer", delegationCode = "CH" });
        await Task.WhenAny(inviting, invitationGoesOn.Held).WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        removalWrites.Release();
        var invited = await inviting;
        await (await removing).ShouldBeAsync(204);

        var listed = await admin.GetJsonAsync<List<InvitationDto>>("/api/meetings/1/invitations");
        var open = listed.Where(i => i.DelegationCode == "CH" && i.State == InvitationState.Pending).Select(i => i.Id).ToList();
        Assert.True(open.Count == 0, $"the invitation got {(int)invited.StatusCode} and stands open for the removed delegation (ids {string.Join(", ", open)})");
        if (!invited.IsSuccessStatusCode)
        {
            await invited.ShouldBeAsync(400);
            Assert.Contains("does not take part", (await invited.ReadJsonAsync()).GetProperty("errors").GetProperty("delegationCode")[0].GetString(), StringComparison.Ordinal);
        }
    }
}
