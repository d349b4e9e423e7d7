using System.Text.Json;
using BriefingRoom.Agenda;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Meetings;
using BriefingRoom.Proposals;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Proposals;

/// <summary>The rules of proposals and of the Presidency pen, through REST and the hub, each with its own app and database.</summary>
public class ProposalRulesTests
{
    private const string M = "/api/meetings/1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ProposalDto> TableAsync(BriefingApp app, HttpClient http, int itemId, string words, string replacement, string? reason = null)
    {
        var text = app.ServerText($"draft:{itemId}");
        var from = text.IndexOf(words, StringComparison.Ordinal);
        Assert.True(from >= 0, $"the draft of item {itemId} holds '{words}'");
        var response = await http.PostJsonAsync($"{M}/items/{itemId}/proposals",
            new { from, to = from + words.Length, revision = app.ServerRevision($"draft:{itemId}"), replacement, reason });
        await response.ShouldBeAsync(200);
        return await response.ReadAsync<ProposalDto>();
    }

    private static string FirstWords(BriefingApp app, int itemId) => app.ServerText($"draft:{itemId}")[..12];

    [Fact]
    public async Task AcceptingAProposalAppliesExactlyItsReplacementWhereItsWordsNowStandAndTheHistorySaysSo()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var chair = await app.SignInAsync("chair");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        await using var watcher = await RoomClient.JoinAsync(app, "pl");
        var words = FirstWords(app, 3);
        var proposal = await TableAsync(app, france, 3, words, "The European Council shall", "Stronger wording.");
        Assert.Equal("France", proposal.Proposer);
        Assert.Equal(words, proposal.Original);

        // Germany types before and after the proposal's words after it was tabled.
        germany.Insert("draft:3", 0, "Preamble. ");
        germany.Append("draft:3", " Germany's closing words.");
        await germany.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "Germany's words are committed");
        var before = app.ServerText("draft:3");

        var response = await chair.PostJsonAsync($"{M}/proposals/{proposal.Id}/accept", null);
        await response.ShouldBeAsync(200);
        var accepted = await response.ReadAsync<ProposalDto>();

        var at = before.IndexOf(words, StringComparison.Ordinal);
        var expected = before[..at] + "The European Council shall" + before[(at + words.Length)..];
        Assert.Equal(expected, app.ServerText("draft:3"));
        Assert.Equal(ProposalStatus.Accepted, accepted.Status);
        Assert.Equal("The European Council shall", expected[accepted.Span.From..accepted.Span.To]);
        Assert.Equal(app.ServerRevision("draft:3"), accepted.Decision!.AcceptedRevision);

        var history = await france.GetJsonAsync<TextHistoryDto>($"{M}/texts/draft:3/history?since=0");
        var last = history.Edits[^1];
        Assert.Equal($"Accepted proposal {proposal.Number} of France", last.Note);
        Assert.Equal("António Costa (chair)", last.Author);

        // Everyone receives it as an ordinary operation, followed by the proposal's new state, in order.
        await watcher.WaitUntilAsync(c => c.TextOf("draft:3") == expected, "the acceptance reaches Poland");
        await watcher.WaitUntilAsync(c => c.Events.Any(e => e.Type == "proposal.accepted"), "Poland hears the proposal was accepted");
        var events = watcher.Events.ToList();
        var edited = events.Last(e => e.Type == "text.edited");
        Assert.Equal($"Accepted proposal {proposal.Number} of France", edited.Payload.GetProperty("note").GetString());
        Assert.Equal(edited.Seq + 1, events.Single(e => e.Type == "proposal.accepted").Seq);

        // Once accepted it is closed: a second acceptance is refused and changes nothing.
        await (await chair.PostJsonAsync($"{M}/proposals/{proposal.Id}/accept", null)).ShouldBeAsync(409);
        Assert.Equal(expected, app.ServerText("draft:3"));
    }

    /// <summary>
    /// Two proposals on one phrase: France would insert a word before "asks", Germany would replace "asks". Once Germany's
    /// was accepted, France's insertion point stood after "invites", and accepting it too wrote "invitesfirmly  the
    /// Commission": words replaced right after an insertion point took the point past their replacement, as if typed at it.
    /// </summary>
    /// <summary>
    /// The chair and the secretariat accept the same proposal together: the second, arriving while the first is on its way
    /// to the disk, was refused with the proposal's id only, where every other conflict carries the proposal as it stands.
    /// </summary>
    [Fact]
    public async Task AnAcceptanceWhileAnotherIsOnItsWayToTheDiskIsRefusedWithTheProposalAsItStands()
    {
        var commit = new HoldingInterceptor(sql => sql.Contains("UPDATE \"Proposals\"", StringComparison.Ordinal));
        await using var app = new BriefingApp().WithServices(s => s.ConfigureDbContext<BriefingRoom.Data.SqliteBriefingDb>(o => o.AddInterceptors(commit)));
        using var france = await app.SignInAsync("fr");
        using var chair = await app.SignInAsync("chair");
        using var secretariat = await app.SignInAsync("secretariat");
        var proposal = await TableAsync(app, france, 3, FirstWords(app, 3), "Accepted once");

        commit.HoldNext();
        var first = chair.PostJsonAsync($"{M}/proposals/{proposal.Id}/accept", null);
        await commit.Held.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var second = await secretariat.PostJsonAsync($"{M}/proposals/{proposal.Id}/accept", null);
        commit.Release();

        await second.ShouldBeAsync(409);
        var refusal = await second.ReadJsonAsync();
        Assert.Contains("being accepted already", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var current = refusal.GetProperty("current");
        Assert.Equal(proposal.Id, current.GetProperty("id").GetInt32());
        Assert.Equal("Accepted once", current.GetProperty("replacement").GetString());
        await (await first).ShouldBeAsync(200);
        Assert.Equal(ProposalStatus.Accepted, (await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals")).Single(p => p.Id == proposal.Id).Status);
    }

    [Fact]
    public async Task AnInsertionBeforeWordsThatAnotherProposalReplacesStaysBeforeTheirReplacement()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var germany = await app.SignInAsync("de");
        using var chair = await app.SignInAsync("chair");
        await using var poland = await RoomClient.JoinAsync(app, "pl");
        var text = app.ServerText("draft:3");
        var at = text.IndexOf("asks the Commission", StringComparison.Ordinal);
        var insertion = await france.PostJsonAsync($"{M}/items/3/proposals", new { from = at, to = at, revision = app.ServerRevision("draft:3"), replacement = "firmly " });
        await insertion.ShouldBeAsync(200);
        var firmly = await insertion.ReadAsync<ProposalDto>();
        var invites = await TableAsync(app, germany, 3, "asks", "invites");

        await (await chair.PostJsonAsync($"{M}/proposals/{invites.Id}/accept", null)).ShouldBeAsync(200);
        var listed = (await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals")).Single(p => p.Id == firmly.Id);
        Assert.Equal((at, at, false), (listed.Span.From, listed.Span.To, listed.Span.Deleted));

        await (await chair.PostJsonAsync($"{M}/proposals/{firmly.Id}/accept", null)).ShouldBeAsync(200);
        var expected = text[..at] + "firmly invites the Commission" + text[(at + "asks the Commission".Length)..];
        Assert.Equal(expected, app.ServerText("draft:3"));
        await poland.WaitUntilAsync(c => c.TextOf("draft:3") == expected, "Poland's draft reads the same");
    }

    [Fact]
    public async Task AProposalWhoseWordsWereAllDeletedSaysSoAndCannotBeAccepted()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var chair = await app.SignInAsync("chair");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        var words = FirstWords(app, 3);
        var proposal = await TableAsync(app, france, 3, words, "Replaced");

        germany.Edit("draft:3", text => TextOperation.Builder().Delete(words.Length).Retain(text.Length - words.Length).Build());
        await germany.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "the deletion is committed");
        var text = app.ServerText("draft:3");

        var listed = Assert.Single(await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals"));
        Assert.True(listed.Span.Deleted);
        var refused = await chair.PostJsonAsync($"{M}/proposals/{proposal.Id}/accept", null);
        await refused.ShouldBeAsync(409);
        var problem = await refused.ReadJsonAsync();
        Assert.Contains("deleted", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // As every conflict, with the current state: the proposal, its span deleted (it carried only the id).
        var current = problem.GetProperty("current").Deserialize<ProposalDto>(global::BriefingRoom.Api.BriefingJson.Options)!;
        Assert.Equal((proposal.Id, ProposalStatus.Open, true), (current.Id, current.Status, current.Span.Deleted));
        Assert.Equal(listed.Carry, current.Carry);
        Assert.Equal(text, app.ServerText("draft:3"));

        await (await france.PostJsonAsync($"{M}/proposals/{proposal.Id}/withdraw", new { reason = "Overtaken." })).ShouldBeAsync(200);
    }

    [Fact]
    public async Task DelegationsBackOrObjectWithOneVoiceEachAndTheChairSeesWhetherTheBackersAloneCarryIt()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var germany = await app.SignInAsync("de");
        using var hungary = await app.SignInAsync("hu");
        using var chair = await app.SignInAsync("chair");
        await using var chairRoom = await RoomClient.JoinAsync(app, "chair");
        var proposal = await TableAsync(app, france, 3, FirstWords(app, 3), "Changed");

        async Task<ProposalDto> VoiceAsync(HttpClient http, string voice, int status = 200)
        {
            var response = await http.PutJsonAsync($"{M}/proposals/{proposal.Id}/support", new { voice });
            await response.ShouldBeAsync(status);
            return status == 200 ? await response.ReadAsync<ProposalDto>() : proposal;
        }

        await VoiceAsync(germany, "back");
        var objected = await VoiceAsync(hungary, "object");
        Assert.Equal(["DE"], objected.Backers);
        Assert.Equal(["HU"], objected.Objectors);
        // Item III is decided by unanimity: Hungary's objection stops it; the others, silent, abstain.
        Assert.False(objected.Carry!.Carries);
        Assert.Equal(DecisionOutcome.NotAdopted, objected.Carry.Outcome);

        // One voice per delegation: Germany changes its mind, then takes its voice back; Hungary withdraws its objection.
        Assert.Equal(["DE", "HU"], (await VoiceAsync(germany, "object")).Objectors);
        Assert.DoesNotContain("DE", (await VoiceAsync(germany, "none")).Objectors);
        var carried = await VoiceAsync(hungary, "none");
        Assert.Empty(carried.Backers);
        Assert.Empty(carried.Objectors);
        Assert.True(carried.Carry!.Carries, "with nobody objecting, France's proposal carries unanimity with the others abstaining");

        // France tabled it: it does not back its own proposal; the chair, observers and guests have no voice.
        Assert.Contains("tabled", (await (await france.PutJsonAsync($"{M}/proposals/{proposal.Id}/support", new { voice = "back" })).ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await VoiceAsync(chair, "back", 403);
        using var observer = await app.SignInAsync("observer");
        await VoiceAsync(observer, "back", 403);
        var bad = await germany.PutJsonAsync($"{M}/proposals/{proposal.Id}/support", new { voice = "maybe" });
        await bad.ShouldBeAsync(400);
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("voice", out _));

        // The chair's screen hears every change, in order.
        await chairRoom.WaitUntilAsync(c => c.Events.Count(e => e.Type == "proposal.supported") == 5, "the chair hears every voice");
        Assert.Empty(ProposalTracker.ProposalsOf(chairRoom)[proposal.Id].Objectors);
    }

    /// <summary>
    /// A delegate's double click on "Back" sends the same voice twice (the page has not heard the first yet), and "take
    /// back" may go for a voice already taken back: neither changes anything, so no screen is told that it did.
    /// </summary>
    [Fact]
    public async Task TheSameVoiceGivenAgainChangesNothingAndTellsNoScreen()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var germany = await app.SignInAsync("de");
        using var hungary = await app.SignInAsync("hu");
        await using var chairRoom = await RoomClient.JoinAsync(app, "chair");
        var proposal = await TableAsync(app, france, 3, FirstWords(app, 3), "Changed");

        foreach (var voice in new[] { "back", "back" })
        {
            await (await germany.PutJsonAsync($"{M}/proposals/{proposal.Id}/support", new { voice })).ShouldBeAsync(200);
        }

        var at = app.WithDb(db => db.ProposalSupports.Single(s => s.ProposalId == proposal.Id && s.DelegationCode == "DE").At);
        var seq = app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq);
        await (await hungary.PutJsonAsync($"{M}/proposals/{proposal.Id}/support", new { voice = "none" })).ShouldBeAsync(200);
        var again = await germany.PutJsonAsync($"{M}/proposals/{proposal.Id}/support", new { voice = "back" });
        await again.ShouldBeAsync(200);
        Assert.Equal(["DE"], (await again.ReadAsync<ProposalDto>()).Backers);
        Assert.Equal(seq, app.WithDb(db => db.Meetings.Single(m => m.Id == 1).LastSeq));
        Assert.Equal(at, app.WithDb(db => db.ProposalSupports.Single(s => s.ProposalId == proposal.Id && s.DelegationCode == "DE").At));

        // A real change after them: by the time the chair hears it, it would have heard the others.
        await (await hungary.PutJsonAsync($"{M}/proposals/{proposal.Id}/support", new { voice = "object" })).ShouldBeAsync(200);
        await chairRoom.WaitUntilAsync(c => ProposalTracker.ProposalsOf(c).TryGetValue(proposal.Id, out var p) && p.Objectors.Contains("HU"), "the chair hears Hungary's objection");
        Assert.Equal(2, chairRoom.Events.Count(e => e.Type == "proposal.supported"));
    }

    /// <summary>
    /// The chair changes item III from unanimity to qualified majority while France's proposal is open: France alone,
    /// the others abstaining, carried unanimity but carries no qualified majority. The chair's screen kept the answer
    /// of the old rule until somebody next backed or objected.
    /// </summary>
    [Fact]
    public async Task WhenTheItemsRuleChangesTheChairHearsWhetherTheBackersAloneNowCarryIt()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var chair = await app.SignInAsync("chair");
        await using var chairRoom = await RoomClient.JoinAsync(app, "chair");
        var proposal = await TableAsync(app, france, 3, FirstWords(app, 3), "Changed");
        Assert.True(proposal.Carry!.Carries, "nobody objects: France's proposal carries unanimity with the others abstaining");

        var item = app.WithDb(db => db.Items.Single(i => i.Id == 3));
        var response = await chair.PutJsonAsync($"{M}/items/3", new { title = item.Title, rule = "qualifiedMajority", expectedVersion = item.Version });
        await response.ShouldBeAsync(200);

        await chairRoom.WaitUntilAsync(c => ProposalTracker.ProposalsOf(c).GetValueOrDefault(proposal.Id)?.Carry is { Carries: false },
            "the chair hears that France alone does not carry a qualified majority");
        var heard = ProposalTracker.ProposalsOf(chairRoom)[proposal.Id];
        Assert.Equal(DecisionOutcome.NotAdopted, heard.Carry!.Outcome);
        Assert.Equal(proposal.Span.From, heard.Span.From);
        Assert.False((await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals")).Single(p => p.Id == proposal.Id).Carry!.Carries);
    }

    /// <summary>
    /// A member state that does not take part in an item (an opt-out) is outside its voting body: "would the backers alone
    /// carry it" counted it as abstaining, so under a reinforced qualified majority 19 of the 26 taking part (72 % of 26 is
    /// 18.72) were said not to carry it, as if 20 of 27 were needed. The live tally has always left it out.
    /// </summary>
    [Fact]
    public async Task AMemberStateNotTakingPartIsOutsideTheVotingBodyTheBackersAreCountedAgainst()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var france = await app.SignInAsync("fr");
        using var denmark = await app.SignInAsync("dk");
        await using var chairRoom = await RoomClient.JoinAsync(app, "chair");
        var item = app.WithDb(db => db.Items.Single(i => i.Id == 3));
        await (await chair.PutJsonAsync($"{M}/items/3", new { title = item.Title, rule = "reinforcedQualifiedMajority", expectedVersion = item.Version })).ShouldBeAsync(200);

        var proposal = await TableAsync(app, france, 3, FirstWords(app, 3), "Changed");
        string[] backers = ["DE", "IT", "ES", "PL", "RO", "NL", "BE", "CZ", "SE", "PT", "EL", "HU", "AT", "BG", "SK", "FI", "IE", "HR"];
        foreach (var code in backers)
        {
            using var delegation = await app.SignInAsync(code.ToLowerInvariant());
            await (await delegation.PutJsonAsync($"{M}/proposals/{proposal.Id}/support", new { voice = "back" })).ShouldBeAsync(200);
        }

        var withDenmark = (await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals")).Single(p => p.Id == proposal.Id);
        Assert.False(withDenmark.Carry!.Carries, "19 of 27 are short of 72 %");

        // Denmark says it does not take part: the chair hears at once that the 19 now carry it, 19 of the 26.
        await (await denmark.PutJsonAsync($"{M}/items/3/positions/DK", new { stance = "notTakingPart", expectedVersion = app.PositionVersion(3, "DK") })).ShouldBeAsync(200);
        await chairRoom.WaitUntilAsync(c => ProposalTracker.ProposalsOf(c).GetValueOrDefault(proposal.Id)?.Carry is { Carries: true },
            "the chair hears that the backers alone now carry it");
        Assert.True((await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals")).Single(p => p.Id == proposal.Id).Carry!.Carries);
    }

    [Fact]
    public async Task ThePresidencyPenRefusesDelegationsDirectEditsButNotTheChairsOrTheSecretariats()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var france = await app.SignInAsync("fr");
        await using var franceRoom = await RoomClient.JoinAsync(app, "fr");
        await using var chairRoom = await RoomClient.JoinAsync(app, "chair");
        await using var secretariat = await RoomClient.JoinAsync(app, "secretariat");

        await (await france.PutJsonAsync($"{M}/items/3/drafting-mode", new { mode = "presidencyPen" })).ShouldBeAsync(403);
        var set = await chair.PutJsonAsync($"{M}/items/3/drafting-mode", new { mode = "presidencyPen" });
        await set.ShouldBeAsync(200);
        Assert.Equal(DraftingMode.PresidencyPen, (await set.ReadAsync<AgendaItemDto>()).DraftingMode);
        await franceRoom.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.drafting" && e.ItemId == 3), "France hears who holds the pen");
        var before = app.ServerText("draft:3");

        // France types into the draft: refused, with words that say what to do instead, over the hub and over REST.
        var error = await Assert.ThrowsAsync<HubException>(() => franceRoom.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1,
            new { documentId = "draft:3", baseRevision = app.ServerRevision("draft:3"), clientOpId = "fr-pen", operation = new object[] { "France: ", before.Length } }, Ct));
        Assert.Contains("table a proposal", error.Message, StringComparison.Ordinal);
        var rest = await france.PostJsonAsync($"{M}/texts/draft:3/operations",
            new { documentId = "draft:3", baseRevision = app.ServerRevision("draft:3"), clientOpId = "fr-pen-rest", operation = new object[] { "France: ", before.Length } });
        await rest.ShouldBeAsync(403);
        Assert.Equal(before, app.ServerText("draft:3"));

        // France's own position text is not the draft: it writes it as ever. And it tables a proposal instead.
        franceRoom.Append("position:3:FR", " We support the text.");
        await franceRoom.WaitUntilAsync(c => c.IsSynchronized("position:3:FR"), "France's position is committed");
        await TableAsync(app, france, 3, FirstWords(app, 3), "The Presidency's text");

        // The chair and the secretariat hold the pen.
        chairRoom.Insert("draft:3", 0, "Chair: ");
        secretariat.Append("draft:3", " (secretariat)");
        await chairRoom.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "the chair's edit is committed");
        await secretariat.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "the secretariat's edit is committed");
        Assert.Equal("Chair: " + before + " (secretariat)", app.ServerText("draft:3"));
        Assert.Empty(chairRoom.Errors);
        Assert.Empty(secretariat.Errors);

        // Open again: France co-edits as before.
        await (await chair.PutJsonAsync($"{M}/items/3/drafting-mode", new { mode = "open" })).ShouldBeAsync(200);
        franceRoom.Append("draft:3", " France.");
        await franceRoom.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "France's edit is committed");
        Assert.EndsWith(" France.", app.ServerText("draft:3"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuestsSeeProposalsOnlyOnTheItemsTheyAreInvitedToAndDoNotTableOrBack()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var ukraine = await app.SignInAsync("ua");
        await using var ukraineRoom = await RoomClient.JoinAsync(app, "ua");

        var onThree = await TableAsync(app, france, 3, FirstWords(app, 3), "Not for guests");
        var onTwo = await TableAsync(app, france, 2, FirstWords(app, 2), "Seen by the guests of item II");
        await ukraineRoom.WaitUntilAsync(c => c.Events.Any(e => e.Type == "proposal.tabled"), "Ukraine hears of the proposal on its item");

        var heard = ukraineRoom.Events.Where(e => e.Type.StartsWith("proposal.", StringComparison.Ordinal)).ToList();
        Assert.All(heard, e => Assert.Equal(2, e.ItemId));
        Assert.Contains(onTwo.Id, ProposalTracker.ProposalsOf(ukraineRoom).Keys);
        var snapshot = await ukraine.GetJsonAsync<MeetingSnapshot>(M);
        Assert.All(snapshot.Proposals!, p => Assert.Equal(2, p.ItemId));
        Assert.Contains(onTwo.Id, snapshot.Proposals!.Select(p => p.Id));
        await (await ukraine.GetAsync($"{M}/items/3/proposals", Ct)).ShouldBeAsync(404);
        var caughtUp = await ukraine.GetJsonAsync<ClientEventsPage>($"{M}/events?since=0");
        Assert.DoesNotContain(caughtUp.Events, e => e.Type.StartsWith("proposal.", StringComparison.Ordinal) && e.ItemId != 2);

        // Guests read drafts and proposals; they do not table, back or object (delegations of the Union do).
        var table = await ukraine.PostJsonAsync($"{M}/items/2/proposals", new { from = 0, to = 1, revision = 0, replacement = "X" });
        await table.ShouldBeAsync(403);
        await (await ukraine.PutJsonAsync($"{M}/proposals/{onTwo.Id}/support", new { voice = "back" })).ShouldBeAsync(403);
        await (await ukraine.PutJsonAsync($"{M}/proposals/{onThree.Id}/support", new { voice = "back" })).ShouldBeAsync(404);
    }

    /// <summary>
    /// A closed proposal is not in the grain's memory, and the grain read it from the database to say it was closed, with
    /// the whole proposal, before it asked whether the caller may accept at all: a guest asking to accept a rejected
    /// proposal on its item read which member states had backed and objected to it, which guests never see while the
    /// item's positions are closed to them.
    /// </summary>
    [Fact]
    public async Task AGuestAskingToAcceptAClosedProposalIsRefusedAndLearnsNothingOfItsBackersOrObjectors()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var uk = await app.SignInAsync("uk");
        var hungary = (await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/2/proposals")).Single(p => p.Proposer == "Hungary");
        Assert.NotEmpty(hungary.Objectors);
        await (await chair.PostJsonAsync($"{M}/proposals/{hungary.Id}/reject", new { reason = "No consensus on these words." })).ShouldBeAsync(200);
        Assert.All(await uk.GetJsonAsync<List<ProposalDto>>($"{M}/items/2/proposals"), p => Assert.Empty(p.Objectors));

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var refused = await uk.PostJsonAsync($"{M}/proposals/{hungary.Id}/accept", null);
            var body = await refused.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("\"objectors\":[\"", body, StringComparison.Ordinal);
            await refused.ShouldBeAsync(403);
        });
    }

    [Fact]
    public async Task ALockedItemRefusesTablingBackingAcceptingRejectingAndWithdrawing()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var germany = await app.SignInAsync("de");
        using var chair = await app.SignInAsync("chair");
        await using var chairRoom = await RoomClient.JoinAsync(app, "secretariat");
        var proposal = await TableAsync(app, france, 3, FirstWords(app, 3), "Locked out");
        await (await chair.PostJsonAsync($"{M}/items/3/lock", new { reason = "Legal-linguistic check" })).ShouldBeAsync(200);
        var text = app.ServerText("draft:3");

        var tabled = await france.PostJsonAsync($"{M}/items/3/proposals", new { from = 0, to = 3, revision = app.ServerRevision("draft:3"), replacement = "X" });
        await tabled.ShouldBeAsync(409);
        Assert.Contains("locked", (await tabled.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await germany.PutJsonAsync($"{M}/proposals/{proposal.Id}/support", new { voice = "back" })).ShouldBeAsync(409);
        await (await chair.PostJsonAsync($"{M}/proposals/{proposal.Id}/accept", null)).ShouldBeAsync(409);
        await (await chair.PostJsonAsync($"{M}/proposals/{proposal.Id}/reject", new { reason = "No." })).ShouldBeAsync(409);
        await (await france.PostJsonAsync($"{M}/proposals/{proposal.Id}/withdraw", null)).ShouldBeAsync(409);
        var hub = await Assert.ThrowsAsync<HubException>(() => chairRoom.Hub.InvokeAsync<ProposalDto>("AcceptProposal", 1, proposal.Id, Ct));
        Assert.Contains("locked", hub.Message, StringComparison.Ordinal);
        Assert.Equal(text, app.ServerText("draft:3"));
        Assert.Equal(ProposalStatus.Open, Assert.Single(await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals")).Status);

        await (await chair.DeleteAsync($"{M}/items/3/lock", Ct)).ShouldBeAsync(200);
        var rejected = await chair.PostJsonAsync($"{M}/proposals/{proposal.Id}/reject", new { reason = "The Presidency keeps its text." });
        await rejected.ShouldBeAsync(200);
        Assert.Equal("The Presidency keeps its text.", (await rejected.ReadAsync<ProposalDto>()).Decision!.Reason);
    }

    [Fact]
    public async Task AgreeingAnItemLapsesItsOpenProposalsEveryScreenIsToldAndReopeningItDoesNotReviveThem()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        using var chair = await app.SignInAsync("chair");
        await using var poland = await RoomClient.JoinAsync(app, "pl");
        var left = await TableAsync(app, france, 3, FirstWords(app, 3), "Left open");
        var gone = await TableAsync(app, france, 3, FirstWords(app, 3), "Taken back");
        await (await france.PostJsonAsync($"{M}/proposals/{gone.Id}/withdraw", null)).ShouldBeAsync(200);
        var text = app.ServerText("draft:3");

        await (await chair.PutJsonAsync($"{M}/items/3/status", new { status = "agreed" })).ShouldBeAsync(200);

        // Agreed means the text is final: what was still on the table falls, and every screen is told, after the status.
        await poland.WaitUntilAsync(c => c.Events.Any(e => e.Type == "proposal.lapsed"), "Poland hears the open proposal lapsed");
        var events = poland.Events.ToList();
        var lapsed = Assert.Single(events, e => e.Type == "proposal.lapsed");
        Assert.True(events.Last(e => e.Type == "item.status").Seq < lapsed.Seq);
        Assert.Equal(left.Id, lapsed.Payload.GetProperty("id").GetInt32());
        var proposals = await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals");
        var now = proposals.Single(p => p.Id == left.Id);
        Assert.Equal(ProposalStatus.Lapsed, now.Status);
        Assert.Contains("agreed", now.Decision!.Reason, StringComparison.Ordinal);
        Assert.Equal(ProposalStatus.Withdrawn, proposals.Single(p => p.Id == gone.Id).Status);
        Assert.Equal(text, app.ServerText("draft:3"));

        // Reopened, the item's text moves again, but a lapsed proposal stays closed: it is tabled again if still wanted.
        await (await chair.PutJsonAsync($"{M}/items/3/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/proposals/{left.Id}/accept", null)).ShouldBeAsync(409);
        await (await france.PostJsonAsync($"{M}/proposals/{left.Id}/withdraw", null)).ShouldBeAsync(409);
        Assert.Equal(text, app.ServerText("draft:3"));
        Assert.Equal(ProposalStatus.Lapsed, (await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals")).Single(p => p.Id == left.Id).Status);
    }

    /// <summary>
    /// Positions and signatures stay on record: a delegation that stated or signed one cannot be taken out of the meeting.
    /// Proposals did not: once its people's seats were revoked, a delegation that had tabled a proposal, or objected to
    /// one, and stated no position, was removed, and the chair's list went on naming a proposer and objectors who no
    /// longer took part.
    /// </summary>
    [Fact]
    public async Task ADelegationThatTabledOrObjectedToAProposalCannotBeRemovedFromTheMeeting()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        var meeting = (await (await admin.PostJsonAsync("/api/meetings", new { title = "European Council", kind = "europeanCouncil", date = "2025-03-20", place = "Brussels", documentNumber = "EUCO 2/25" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var m = $"/api/meetings/{meeting}";
        foreach (var code in new[] { "LU", "MT", "CY" })
        {
            await (await admin.PostJsonAsync($"{m}/participants", new { delegationCode = code })).ShouldBeAsync(200);
        }

        var item = await (await admin.PostJsonAsync($"{m}/items", new { title = "Competitiveness", rule = "consensus", draft = "The European Council welcomes the report." })).ReadAsync<BriefingRoom.Agenda.AgendaItemDto>();
        using var luxembourg = await app.InviteAndAcceptAsync("lu2@example.org", "delegate", "LU", "Luxembourg delegate", "admin", meeting);
        using var malta = await app.InviteAndAcceptAsync("mt2@example.org", "delegate", "MT", "Maltese delegate", "admin", meeting);
        var text = app.ServerText($"draft:{item.Id}", meeting);
        var from = text.IndexOf("welcomes", StringComparison.Ordinal);
        var tabled = await luxembourg.PostJsonAsync($"{m}/items/{item.Id}/proposals",
            new { from, to = from + "welcomes".Length, revision = app.ServerRevision($"draft:{item.Id}", meeting), replacement = "notes" });
        await tabled.ShouldBeAsync(200);
        var proposal = await tabled.ReadAsync<ProposalDto>();
        await (await malta.PutJsonAsync($"{m}/proposals/{proposal.Id}/support", new { voice = "object" })).ShouldBeAsync(200);
        foreach (var seat in (await admin.GetJsonAsync<List<MembershipDto>>($"{m}/memberships")).Where(s => s.DelegationCode is "LU" or "MT"))
        {
            await (await admin.DeleteAsync($"{m}/memberships/{seat.Id}", Ct)).ShouldBeAsync(204);
        }

        foreach (var (code, what) in new[] { ("LU", "tabled"), ("MT", "objected to") })
        {
            var refused = await Fingerprint.AssertUnchangedAsync(app, () => admin.DeleteAsync($"{m}/participants/{code}", Ct));

            await refused.ShouldBeAsync(409);
            var detail = (await refused.ReadJsonAsync()).GetProperty("detail").GetString();
            Assert.Contains($"{what} proposals", detail, StringComparison.Ordinal);
            Assert.Contains("on record", detail, StringComparison.Ordinal);
        }

        // A delegation with nothing on record is removed as before.
        await (await admin.DeleteAsync($"{m}/participants/CY", Ct)).ShouldBeAsync(204);
    }

    [Fact]
    public async Task TheDemoMeetingOpensWithProposalsOfFrancePolandAndHungaryOnItemTwo()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        var proposals = await chair.GetJsonAsync<List<ProposalDto>>($"{M}/items/2/proposals");
        Assert.Equal(["France", "Poland", "Hungary"], proposals.Select(p => p.Proposer));
        var text = app.ServerText("draft:2");
        Assert.All(proposals, p => Assert.Equal(p.Original, text[p.Span.From..p.Span.To]));
        Assert.Equal(["DK", "FR", "PL"], proposals[2].Objectors);
        // Item II is decided by consensus: Hungary's proposal, opposed by three, would not carry; France's would.
        Assert.False(proposals[2].Carry!.Carries);
        Assert.True(proposals[0].Carry!.Carries);
    }

    [Fact]
    public async Task BadProposalsAreRefusedWithTheFieldNamedAndChangeNothing()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        await using var franceRoom = await RoomClient.JoinAsync(app, "fr");
        var revision = app.ServerRevision("draft:3");
        var length = app.ServerText("draft:3").Length;

        async Task<JsonElement> RefusedAsync(object body, string field)
        {
            var response = await france.PostJsonAsync($"{M}/items/3/proposals", body);
            await response.ShouldBeAsync(400);
            var problem = await response.ReadJsonAsync();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem names {field}: {problem}");
            return problem;
        }

        await RefusedAsync(new { from = 5, to = 2, revision, replacement = "x" }, "to");
        await RefusedAsync(new { from = 0, to = length + 1, revision, replacement = "x" }, "to");
        await RefusedAsync(new { from = 3, to = 3, revision, replacement = "" }, "replacement");
        await RefusedAsync(new { from = 0, to = 2, revision = revision + 5, replacement = "x" }, "revision");
        await RefusedAsync(new { from = 0, to = 2, revision, replacement = "bell\u0007" }, "replacement");
        await RefusedAsync(new { from = 0, to = 2, revision, replacement = new string('x', ProposalLimits.Replacement + 1) }, "replacement");
        await RefusedAsync(new { to = 2, revision, replacement = "x" }, "from");
        var hub = await Assert.ThrowsAsync<HubException>(() => franceRoom.Hub.InvokeAsync<ProposalDto>("TableProposal", 1, 3, new { from = 5, to = 2, revision, replacement = "x" }, Ct));
        Assert.Contains("to", hub.Message, StringComparison.Ordinal);
        await (await france.PostJsonAsync($"{M}/proposals/999/accept", null)).ShouldBeAsync(404);
        Assert.Empty(await france.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals"));
    }

    /// <summary>
    /// A span must not cut a character in two at either end. The refusal named "from" whichever end cut it, so a page
    /// marking the field in error pointed at the start of a selection whose end was wrong.
    /// </summary>
    [Fact]
    public async Task ASpanWhoseEndCutsACharacterInTwoIsRefusedNamingTheEndAndChangesNothing()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        germany.Append("draft:3", " \U0001F1EA\U0001F1FA");
        await germany.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "the flag is committed");
        var text = app.ServerText("draft:3");
        var flag = text.Length - 4;
        var revision = app.ServerRevision("draft:3");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            foreach (var (from, to, field) in new[] { (flag - 3, flag + 1, "to"), (flag + 1, text.Length, "from"), (flag + 3, flag + 3, "from") })
            {
                var response = await france.PostJsonAsync($"{M}/items/3/proposals", new { from, to, revision, replacement = "EU" });
                var problem = await response.ReadJsonAsync();
                Assert.True((int)response.StatusCode == 400, $"[{from}, {to}) cuts a character in two: {problem}");
                Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem for [{from}, {to}) names {field}: {problem}");
            }
        });
    }

    /// <summary>
    /// A coalition statement open for signature is frozen for everyone, the chair included (StatementRules): a proposal
    /// tabled before the item became a statement does not change the signed text when the chair accepts it.
    /// </summary>
    [Fact]
    public async Task AcceptingAProposalDoesNotChangeACoalitionStatementOpenForSignature()
    {
        await using var app = new BriefingApp();
        using var chair = await app.SignInAsync("chair");
        using var france = await app.SignInAsync("fr");
        var proposal = await TableAsync(app, france, 1, FirstWords(app, 1), "Replaced words");

        await Tests.Coalitions.CoalitionApiTests.FormAsync(chair, 1);
        var signed = app.ServerText("draft:1");
        var snapshot = await chair.GetJsonAsync<MeetingSnapshot>(M);
        Assert.All(Assert.Single(snapshot.Coalitions).Signatories, s => Assert.Equal(global::BriefingRoom.Coalitions.TextHash.Of(signed), s.TextSha256));

        // Typing is refused for the chair too; the acceptance of a proposal is the same change to the text.
        var accepted = await chair.PostJsonAsync($"{M}/proposals/{proposal.Id}/accept", null);
        await accepted.ShouldBeAsync(409);
        Assert.Contains("frozen", await accepted.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(signed, app.ServerText("draft:1"));
    }

    /// <summary>
    /// A proposal covers at most 20,000 characters (also the width of the Original column on PostgreSQL). The limit was
    /// checked on the span as selected at its revision, while the words stored are those of the span moved to the
    /// current draft, which text typed inside it meanwhile had widened.
    /// </summary>
    [Fact]
    public async Task AProposalNeverCoversMoreThanTheSpanLimitEvenWhenTextWasTypedInsideItsSelectionMeanwhile()
    {
        await using var app = new BriefingApp();
        using var france = await app.SignInAsync("fr");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        germany.Append("draft:3", "\n" + new string('a', ProposalLimits.Span));
        await germany.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "the long paragraph is committed");
        var text = app.ServerText("draft:3");
        var revision = app.ServerRevision("draft:3");
        var from = text.Length - ProposalLimits.Span;

        // Germany types inside the words France is selecting, before France's proposal arrives.
        germany.Insert("draft:3", from + 100, "German words. ");
        await germany.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "Germany's words are committed");

        var response = await france.PostJsonAsync($"{M}/items/3/proposals",
            new { from, to = text.Length, revision, replacement = "Shorter.", reason = (string?)null });
        await response.ShouldBeAsync(409);
        Assert.Contains("have grown to 20,014 characters", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await france.GetJsonAsync<List<ProposalDto>>($"{M}/items/3/proposals"));
    }
}
