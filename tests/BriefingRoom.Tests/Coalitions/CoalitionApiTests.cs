using BriefingRoom.Agenda;
using BriefingRoom.Coalitions;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Coalitions;

/// <summary>Coalitions of the willing on the demo meeting: when the Council cannot agree, the willing sign the text.</summary>
public class CoalitionApiTests
{
    private const string M = "/api/meetings/1";

    internal static async Task NotAgreedAsync(HttpClient chair, int itemId) =>
        await (await chair.PutJsonAsync($"{M}/items/{itemId}/status", new { status = "notAgreed" })).ShouldBeAsync(200);

    internal static async Task<CoalitionDto> FormAsync(HttpClient chair, int itemId)
    {
        await NotAgreedAsync(chair, itemId);
        var response = await chair.PostJsonAsync($"{M}/items/{itemId}/coalition", null);
        await response.ShouldBeAsync(200);
        return await response.ReadAsync<CoalitionDto>();
    }

    private static async Task<CoalitionDto> SignAsync(HttpClient client, int itemId, string code)
    {
        var response = await client.PostJsonAsync($"{M}/items/{itemId}/coalition/signatories/{code}", null);
        await response.ShouldBeAsync(200);
        return await response.ReadAsync<CoalitionDto>();
    }

    [Fact]
    public async Task ItemOneBlockedByHungaryBecomesAStatementFirmlySupportedBy26()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");

        var coalition = await FormAsync(chair, 1);

        Assert.Equal(26, coalition.MemberStates);
        Assert.Equal("Firmly supported by 26 heads of state or government", coalition.Wording);
        Assert.DoesNotContain(coalition.Signatories, s => s.Code == "HU");
        Assert.Equal("BE", coalition.Signatories[0].Code);
        Assert.False(coalition.Locked);
        var snapshot = await chair.GetJsonAsync<MeetingSnapshot>(M);
        Assert.Equal(ItemStatus.Coalition, snapshot.Items.Single(i => i.Id == 1).Status);
        Assert.Equal(coalition.Wording, Assert.Single(snapshot.Coalitions).Wording);
    }

    [Fact]
    public async Task MemberStatesSupportingWithAReservationSignAndInvitedGuestsJoinAfterThem()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var uk = await app.SignInAsync("uk");

        var formed = await FormAsync(chair, 2);
        Assert.Equal(25, formed.MemberStates);
        Assert.Contains(formed.Signatories, s => s.Code == "AT");

        await SignAsync(uk, 2, "UK");
        var coalition = await SignAsync(chair, 2, "NO");

        Assert.Equal("Firmly supported by 25 heads of state or government and by Norway and the United Kingdom", coalition.Wording);
        Assert.Equal(["NO", "UK"], coalition.Signatories.Skip(25).Select(s => s.Code));
        Assert.Equal((DelegationKind.Guest, true), (coalition.Signatories[25].Kind, coalition.Signatories[25].RecordedOnBehalf));
        Assert.False(coalition.Signatories[26].RecordedOnBehalf);
        var guestView = await uk.GetJsonAsync<MeetingSnapshot>(M);
        Assert.Equal(coalition.Wording, Assert.Single(guestView.Coalitions).Wording);
    }

    [Fact]
    public async Task ADelegationJoinsAndLeavesAndSigningTwiceRecordsOnce()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var hungary = await app.SignInAsync("hu");
        using var france = await app.SignInAsync("fr");
        await FormAsync(chair, 2);
        var events = app.WithDb(db => db.Events.Count());

        await SignAsync(hungary, 2, "HU");
        var again = await SignAsync(hungary, 2, "HU");
        Assert.Equal(26, again.MemberStates);
        Assert.Equal(events + 1, app.WithDb(db => db.Events.Count()));

        var response = await france.DeleteAsync($"{M}/items/2/coalition/signatories/FR", TestHttp.Ct);
        await response.ShouldBeAsync(200);
        var left = await response.ReadAsync<CoalitionDto>();
        Assert.Equal("Firmly supported by 25 heads of state or government", left.Wording);
        Assert.DoesNotContain(left.Signatories, s => s.Code == "FR");
    }

    [Fact]
    public async Task OnlyAnItemThatWasNotAgreedBecomesACoalitionStatement()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.PostJsonAsync($"{M}/items/1/coalition", null));

        await response.ShouldBeAsync(409);
        Assert.Contains("only an item the Council did not agree on", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SettingTheCoalitionStatusDirectlyIsRefusedNamingTheField()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.PutJsonAsync($"{M}/items/1/status", new { status = "coalition" }));

        await response.ShouldBeAsync(400);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task AnInstitutionCannotSign()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var commission = await app.SignInAsync("com");
        await FormAsync(chair, 1);

        foreach (var client in new[] { chair, commission })
        {
            var response = await Fingerprint.AssertUnchangedAsync(app, () => client.PostJsonAsync($"{M}/items/1/coalition/signatories/COM", null));
            await response.ShouldBeAsync(400);
            Assert.Contains("is an institution", (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("delegationCode")[0].GetString());
        }
    }

    [Fact]
    public async Task AGuestSignsOnlyItemsItIsInvitedTo()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var uk = await app.SignInAsync("uk");
        await FormAsync(chair, 1);

        var onBehalf = await Fingerprint.AssertUnchangedAsync(app, () => chair.PostJsonAsync($"{M}/items/1/coalition/signatories/UK", null));
        await onBehalf.ShouldBeAsync(400);
        Assert.True((await onBehalf.ReadJsonAsync()).GetProperty("errors").TryGetProperty("delegationCode", out _));

        var itself = await Fingerprint.AssertUnchangedAsync(app, () => uk.PostJsonAsync($"{M}/items/1/coalition/signatories/UK", null));
        await itself.ShouldBeAsync(404);
    }

    [Fact]
    public async Task ADelegationThatDoesNotTakePartIsNotFound()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        await FormAsync(chair, 1);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.PostJsonAsync($"{M}/items/1/coalition/signatories/CH", null));

        await response.ShouldBeAsync(404);
    }

    [Fact]
    public async Task SigningForABlankDelegationIsRefusedNamingTheField()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        await FormAsync(chair, 1);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => chair.PostJsonAsync($"{M}/items/1/coalition/signatories/%20", null));

        await response.ShouldBeAsync(400);
        var problem = await response.ReadJsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("delegationCode", out _), $"the answer names delegationCode: {problem}");
    }

    [Fact]
    public async Task AClosedListRefusesJoiningAndLeavingUntilTheChairReopensIt()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var hungary = await app.SignInAsync("hu");
        using var france = await app.SignInAsync("fr");
        await FormAsync(chair, 1);

        var locked = await (await chair.PostJsonAsync($"{M}/items/1/coalition/lock", null)).ReadAsync<CoalitionDto>();
        Assert.Equal((true, "António Costa (chair)"), (locked.Locked, locked.LockedBy));

        var join = await Fingerprint.AssertUnchangedAsync(app, () => hungary.PostJsonAsync($"{M}/items/1/coalition/signatories/HU", null));
        await join.ShouldBeAsync(409);
        Assert.Equal(26, (await join.ReadJsonAsync()).GetProperty("current").GetProperty("memberStates").GetInt32());
        await (await Fingerprint.AssertUnchangedAsync(app, () => france.DeleteAsync($"{M}/items/1/coalition/signatories/FR", TestHttp.Ct))).ShouldBeAsync(409);
        await (await Fingerprint.AssertUnchangedAsync(app, () => chair.PostJsonAsync($"{M}/items/1/coalition/lock", null))).ShouldBeAsync(409);

        await (await chair.DeleteAsync($"{M}/items/1/coalition/lock", TestHttp.Ct)).ShouldBeAsync(200);
        Assert.Equal(27, (await SignAsync(hungary, 1, "HU")).MemberStates);
    }

    [Fact]
    public async Task ALockedItemRefusesEveryCoalitionChange()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var uk = await app.SignInAsync("uk");
        await FormAsync(chair, 2);
        await (await chair.PostJsonAsync($"{M}/items/2/lock", new { reason = "Text being finalised" })).ShouldBeAsync(200);

        foreach (var request in new Func<Task<HttpResponseMessage>>[]
        {
            () => uk.PostJsonAsync($"{M}/items/2/coalition/signatories/UK", null),
            () => chair.DeleteAsync($"{M}/items/2/coalition/signatories/FR", TestHttp.Ct),
            () => chair.PostJsonAsync($"{M}/items/2/coalition/lock", null),
            () => chair.PutJsonAsync($"{M}/items/2/status", new { status = "notAgreed" }),
        })
        {
            var response = await Fingerprint.AssertUnchangedAsync(app, request);
            await response.ShouldBeAsync(409);
            Assert.Equal("The item is locked", (await response.ReadJsonAsync()).GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task LeavingTheCoalitionStatusArchivesTheCoalitionAndFormingItAgainStartsFromTheCurrentSupporters()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var uk = await app.SignInAsync("uk");
        await FormAsync(chair, 2);
        await SignAsync(uk, 2, "UK");

        await (await chair.PutJsonAsync($"{M}/items/2/status", new { status = "notAgreed", confirm = true })).ShouldBeAsync(200);
        Assert.Empty((await chair.GetJsonAsync<MeetingSnapshot>(M)).Coalitions);
        Assert.Equal(0, app.WithDb(db => db.CoalitionSignatories.Count()));
        Assert.Contains("\"UK\"", app.WithDb(db => db.ArchivedCoalitions.Single(a => a.ItemId == 2).SignatoriesJson), StringComparison.Ordinal);

        var again = await (await chair.PostJsonAsync($"{M}/items/2/coalition", null)).ReadAsync<CoalitionDto>();
        Assert.Equal(25, again.Signatories.Count);
    }

    [Fact]
    public async Task ObserversCannotSign()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var observer = await app.SignInAsync("observer");
        await FormAsync(chair, 1);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => observer.PostJsonAsync($"{M}/items/1/coalition/signatories/HU", null));

        await response.ShouldBeAsync(403);
    }

    /// <summary>
    /// Signatures stay on record (a signatory's delegation cannot be removed from the meeting), and an ended coalition is
    /// kept, restorable; yet removing the item took the statement, its signatures and its archive with it, unasked.
    /// </summary>
    [Fact]
    public async Task AnItemWhoseStatementWasSignedIsNotRemovedNeitherWhileTheCoalitionStandsNorAfterItEnded()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        await FormAsync(chair, 1);

        foreach (var stage in new[] { "standing", "ended" })
        {
            if (stage == "ended")
            {
                await (await chair.PutJsonAsync($"{M}/items/1/status", new { status = "notAgreed", confirm = true })).ShouldBeAsync(200);
            }

            var refused = await Fingerprint.AssertUnchangedAsync(app, () => chair.DeleteAsync($"{M}/items/1", TestHttp.Ct));
            await refused.ShouldBeAsync(409);
            Assert.Contains("on record", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // An item that never carried a statement is removed as before.
        await (await chair.DeleteAsync($"{M}/items/5", TestHttp.Ct)).ShouldBeAsync(200);
    }

    [Fact]
    public async Task ASignatoryCannotBeRemovedFromTheMeeting()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        await admin.InviteSwitzerlandToItemTwoAsync(app);
        await FormAsync(admin, 2);
        Assert.Equal("Firmly supported by 25 heads of state or government and by Switzerland", (await SignAsync(admin, 2, "CH")).Wording);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => admin.DeleteAsync($"{M}/participants/CH", TestHttp.Ct));

        await response.ShouldBeAsync(409);
        Assert.Contains("signed coalition statements", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }
}
