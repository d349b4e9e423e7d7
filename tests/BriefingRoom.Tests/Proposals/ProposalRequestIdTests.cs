using System.Text.Json;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Proposals;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Proposals;

/// <summary>
/// A delegate tables a proposal on a failing link: the answer never comes, and they press "Table the proposal" again. The
/// second request tabled a second, identical proposal, which the room then had to withdraw by hand. A request carrying
/// the id of one its sender sent already now answers the proposal that one tabled.
/// </summary>
public class ProposalRequestIdTests
{
    private const string M = "/api/meetings/1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Request(BriefingApp app, string requestId, string replacement = "The European Council firmly", string? reason = "Clearer.")
    {
        var text = app.ServerText("draft:3");
        return new { from = 0, to = text.IndexOf(' ', StringComparison.Ordinal), revision = app.ServerRevision("draft:3"), replacement, reason, clientRequestId = requestId };
    }

    [Fact]
    public async Task TheSameRequestSentAgainAnswersTheProposalItTabledAndTablesAndTellsNothingMore()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var germany = await app.SignInAsync("de");
        using var chair = await app.SignInAsync("chair");
        await using var franceRoom = await RoomClient.JoinAsync(app, "fr");
        var request = Request(app, "9b2f6c1e-3d4a-4f5b-8c7d-1e2f3a4b5c6d");

        var first = await france.PostJsonAsync($"{M}/items/3/proposals", request);
        await first.ShouldBeAsync(200);
        var tabled = await first.ReadAsync<ProposalDto>();
        var seq = app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq);
        var count = app.WithDb(db => db.Proposals.Count());

        // Sent again as it was, and again once a delegate has typed before its words and the chair has locked the item:
        // the first request's proposal each time, where its words now stand, over REST and over the hub.
        var again = await france.PostJsonAsync($"{M}/items/3/proposals", request);
        await again.ShouldBeAsync(200);
        var answered = await again.ReadAsync<ProposalDto>();
        Assert.Equal((tabled.Id, tabled.Number, tabled.Replacement, tabled.Status), (answered.Id, answered.Number, answered.Replacement, answered.Status));
        var length = app.ServerText("draft:3").Length;
        await franceRoom.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1,
            new SubmitOperationRequest("draft:3", app.ServerRevision("draft:3"), "typed-before", TextOperation.Builder().Insert("Recalling its conclusions, ").Retain(length).Build()), Ct);
        var moved = await france.PostJsonAsync($"{M}/items/3/proposals", request);
        await moved.ShouldBeAsync(200);
        var there = (await moved.ReadAsync<ProposalDto>()).Span;
        Assert.True(there.From > tabled.Span.From, $"the span moved from {tabled.Span.From} to {there.From}");
        Assert.Equal(tabled.Original, app.ServerText("draft:3")[there.From..there.To]);
        await (await chair.PostJsonAsync($"{M}/items/3/lock", new { reason = "Legal-linguistic check" })).ShouldBeAsync(200);
        var seqLocked = app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq);
        Assert.True(seqLocked > seq);
        var locked = await france.PostJsonAsync($"{M}/items/3/proposals", request);
        await locked.ShouldBeAsync(200);
        Assert.Equal(tabled.Id, (await locked.ReadAsync<ProposalDto>()).Id);
        var overHub = await franceRoom.Hub.InvokeAsync<ProposalDto>("TableProposal", 1, 3, JsonSerializer.SerializeToElement(request), Ct);
        Assert.Equal(tabled.Id, overHub.Id);

        Assert.Equal(count, app.WithDb(db => db.Proposals.Count()));
        Assert.Equal(seqLocked, app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq));
        await franceRoom.WaitUntilAsync(c => c.Events.Any(e => e.Seq == seqLocked), "France's room hears the lock");
        Assert.Single(franceRoom.Events, e => e.Type == ProposalService.Tabled && e.Payload.GetProperty("id").GetInt32() == tabled.Id);

        // The id is the sender's own: Germany's request with the same id tables Germany's proposal.
        await (await chair.DeleteAsync($"{M}/items/3/lock", Ct)).ShouldBeAsync(200);
        var german = await germany.PostJsonAsync($"{M}/items/3/proposals", Request(app, "9b2f6c1e-3d4a-4f5b-8c7d-1e2f3a4b5c6d", "The Union"));
        await german.ShouldBeAsync(200);
        var theirs = await german.ReadAsync<ProposalDto>();
        Assert.NotEqual(tabled.Id, theirs.Id);
        Assert.Equal("DE", theirs.DelegationCode);
    }

    [Fact]
    public async Task AnIdUsedForOtherWordsIsRefusedNamingItAndChangesNothing()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var first = await france.PostJsonAsync($"{M}/items/3/proposals", Request(app, "one"));
        await first.ShouldBeAsync(200);
        var number = (await first.ReadAsync<ProposalDto>()).Number;

        // The reason as the server keeps it (trimmed) is the same reason.
        var same = await france.PostJsonAsync($"{M}/items/3/proposals", Request(app, "one", reason: "  Clearer. "));
        await same.ShouldBeAsync(200);
        Assert.Equal(number, (await same.ReadAsync<ProposalDto>()).Number);

        var onItemTwo = new { from = 0, to = 3, revision = app.ServerRevision("draft:2"), replacement = "The European Council firmly", reason = "Clearer.", clientRequestId = "one" };
        foreach (var (url, other, why) in new[]
        {
            ($"{M}/items/3/proposals", Request(app, "one", "The Council"), "already, with the words"),
            ($"{M}/items/3/proposals", Request(app, "one", reason: "Another reason."), "already, with the words"),
            ($"{M}/items/2/proposals", (object)onItemTwo, "on another item"),
        })
        {
            var response = await Fingerprint.AssertUnchangedAsync(app, () => france.PostJsonAsync(url, other));
            await response.ShouldBeAsync(400);
            var errors = (await response.ReadJsonAsync()).GetProperty("errors");
            Assert.True(errors.TryGetProperty("clientRequestId", out var words), errors.GetRawText());
            Assert.Contains($"proposal {number} {why}", words[0].GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("an id far longer than the sixty-four characters any client needs for a request id")]
    [InlineData("line\nbreak")]
    [InlineData("nul\u0000")]
    [InlineData("an id")]
    public async Task AnIdThatIsEmptyTooLongOrOfOtherCharactersIsRefusedNamingIt(string requestId)
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        var response = await Fingerprint.AssertUnchangedAsync(app, () => france.PostJsonAsync($"{M}/items/3/proposals", Request(app, requestId)));
        await response.ShouldBeAsync(400);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("clientRequestId", out _), errors.GetRawText());
    }
}
