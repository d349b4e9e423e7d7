using BriefingRoom.Data;
using BriefingRoom.Proposals;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// What a group commit writes about an operation besides the operation (its author, its history note) fits the columns
/// it goes into, on PostgreSQL too, which enforces their lengths: one entry too long would fail the whole batch.
/// </summary>
public class LongNamesInTheLogTests : IAsyncLifetime
{
    private const string M = "/api/meetings/1";
    private Database? _database;
    private BriefingApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await Database.OnAsync(Engine.Postgres);
        _app = _database.App(new BriefingApp());
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _app.DisposeAsync();
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AProposalOfADelegationWithTheLongestNameAllowedCanBeAccepted()
    {
        var app = _app;
        // A delegation's name may be as long as Limits.ShortText (CreateDelegationRequest).
        var name = "Permanent Representation " + new string('x', Limits.ShortText - "Permanent Representation ".Length);
        app.WithDb(db => db.Delegations.Where(d => d.Code == "FR").ExecuteUpdate(s => s.SetProperty(d => d.Name, name)));
        using var france = await app.SignInAsync("fr");
        using var chair = await app.SignInAsync("chair");
        var text = app.ServerText("draft:3");
        var words = text[..12];
        var tabled = await france.PostJsonAsync($"{M}/items/3/proposals",
            new { from = 0, to = words.Length, revision = app.ServerRevision("draft:3"), replacement = "The European Council shall", reason = "Stronger wording." });
        await tabled.ShouldBeAsync(200);
        var proposal = await tabled.ReadAsync<ProposalDto>();
        Assert.Equal(name, proposal.Proposer);

        var accepted = await chair.PostJsonAsync($"{M}/proposals/{proposal.Id}/accept", null);

        await accepted.ShouldBeAsync(200);
        Assert.Equal("The European Council shall" + text[words.Length..], app.ServerText("draft:3"));
        var note = app.WithDb(db => db.TextEdits.Where(e => e.DocumentId == "draft:3").OrderByDescending(e => e.Revision).Select(e => e.Note).First());
        Assert.NotNull(note);
        Assert.StartsWith($"Accepted proposal {proposal.Number} of Permanent Representation", note, StringComparison.Ordinal);
    }
}
