using BriefingRoom.Agenda;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Meetings;

public class DemoMeetingTests
{
    [Fact]
    public async Task TheDemoSnapshotIsTheSpecialEuropeanCouncilOf6March2025()
    {
        await using var app = new BriefingApp();
        var chair = await app.SignInAsync("chair");

        var snapshot = await chair.GetJsonAsync<MeetingSnapshot>("/api/meetings/1");

        Assert.Equal("Special meeting of the European Council", snapshot.Meeting.Title);
        Assert.Equal(new DateOnly(2025, 3, 6), snapshot.Meeting.Date);
        // The public record: EUCO 6/25 are the conclusions of 6 March 2025 (EUCO 1/25 are those of 20 March).
        Assert.Equal("EUCO 6/25", snapshot.Meeting.DocumentNumber);
        Assert.Equal("LIMITE", snapshot.Meeting.DistributionMarking);
        Assert.Equal("Brussels", snapshot.Meeting.Place);
        Assert.Equal(MeetingStatus.InSession, snapshot.Meeting.Status);
        Assert.Equal(MeetingRole.Chair, snapshot.You!.Role);

        Assert.Equal(27, snapshot.Participants.Count(p => p.Kind == DelegationKind.MemberState && p.Votes));
        Assert.Equal(["COM", "HRVP"], snapshot.Participants.Where(p => p.Kind == DelegationKind.Institution).Select(p => p.DelegationCode).Order());
        Assert.Equal(["JP", "KR", "NO", "TR", "UA", "UK"], snapshot.Participants.Where(p => p.Kind == DelegationKind.Guest).Select(p => p.DelegationCode).Order());
        Assert.Equal("Viktor Orbán", snapshot.Participants.Single(p => p.DelegationCode == "HU").HeadOfDelegation);

        Assert.Equal([1, 2, 3, 4, 5], snapshot.Items.Select(i => i.Number));
        Assert.Equal(
            [ItemStatus.UnderDiscussion, ItemStatus.UnderDiscussion, ItemStatus.UnderDiscussion, ItemStatus.UnderDiscussion, ItemStatus.Agreed],
            snapshot.Items.Select(i => i.Status));
        Assert.All(snapshot.Items, i => Assert.Null(i.Lock));
        Assert.Equal(["JP", "KR", "NO", "TR", "UA", "UK"], snapshot.Items[1].Guests);
        // The Ukraine text that 26 supported went out apart as EUCO 10/25: the number is ready should item I become a statement.
        Assert.Equal(new StatementDocumentDto("EUCO 10/25", "Ukraine", null), snapshot.Items[0].Statement);
        Assert.All(snapshot.Items.Skip(1), i => Assert.Null(i.Statement));

        Stance StanceOf(int item, string code) => snapshot.Positions.SingleOrDefault(p => p.ItemId == item && p.DelegationCode == code)?.Stance ?? Stance.NoPosition;
        foreach (var item in new[] { 1, 3, 4 })
        {
            Assert.Equal(Stance.Oppose, StanceOf(item, "HU"));
        }

        Assert.Equal(Stance.AbstainConstructively, StanceOf(4, "IE"));
        Assert.All(MemberStates.All, m => Assert.Equal(Stance.Support, StanceOf(5, m.Code)));
        Assert.Equal(26, MemberStates.All.Count(m => StanceOf(1, m.Code) == Stance.Support));

        var defence = snapshot.Texts.Single(t => t.Id == "draft:5");
        Assert.Contains("3.5% of gross domestic product", defence.Text, StringComparison.Ordinal);
        Assert.Equal(0, snapshot.Seq);
    }

    [Fact]
    public async Task TheFrontEndIsServedFromTheTopLevelWebRoot()
    {
        await using var app = new BriefingApp();
        var client = app.CreateClient();

        var page = await client.GetStringAsync("/", TestHttp.Ct);

        var root = Path.Combine(RepositoryRoot.Path, "wwwroot", "index.html");
        Assert.Equal(await File.ReadAllTextAsync(root, TestHttp.Ct), page);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheApi()
    {
        await using var app = new BriefingApp();
        var document = await app.CreateClient().GetStringAsync("/openapi/v1.json", TestHttp.Ct);

        foreach (var path in new[] { "/api/meetings/{meetingId}", "/api/meetings/{meetingId}/items/{itemId}/lock", "/api/meetings/{meetingId}/items/{itemId}/positions/{delegationCode}", "/api/auth/login" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ADemoPasswordShorterThanTheRuleStopsTheAppAndSaysSo()
    {
        // Asked for outside Development, a demo is reachable by others: its thirty accounts must not share a weak password.
        await using var app = new BriefingApp { Environment = "Production" }.InProduction().With("Demo:Seed", "true").With("Demo:Password", "demo");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Demo:Password does not meet the password rule", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentThereAreNoDemoAccountsUnlessAskedFor()
    {
        await using var app = new BriefingApp().With("Demo:Seed", "false");
        var client = app.CreateClient();

        var login = await client.PostJsonAsync("/api/auth/login", new { email = "chair@briefing.example", password = BriefingApp.Password });

        await login.ShouldBeAsync(401);
        Assert.Equal(0, app.WithDb(db => db.Meetings.Count()));
    }
}
