using System.Text.Json;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using BriefingRoom.Tests.Silence;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Meetings;

/// <summary>A closed meeting's record stops moving until the chair reopens it; its documents can still be exported.</summary>
public class ClosedMeetingTests
{
    private const string M = "/api/meetings/1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object DemoMeeting(string status, int expectedVersion) => new
    {
        title = "Special meeting of the European Council",
        date = "2025-03-06",
        place = "Brussels",
        documentNumber = "EUCO 6/25",
        status,
        distributionMarking = "LIMITE",
        expectedVersion,
    };

    private static int VersionOf(BriefingApp app) => app.WithDb(db => db.Meetings.Single(m => m.Id == 1).Version);

    private static async Task<MeetingDto> SetStatusAsync(BriefingApp app, HttpClient chair, string status)
    {
        var response = await chair.PutJsonAsync(M, DemoMeeting(status, VersionOf(app)));
        await response.ShouldBeAsync(200);
        return await response.ReadAsync<MeetingDto>();
    }

    [Fact]
    public async Task AClosedMeetingChangesNothingOnAnyPathUntilTheChairReopensItAndItsConclusionsStillExport()
    {
        await using var app = new BriefingApp();
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var chair = await app.SignInAsync("chair");
        var secretariat = await app.SignInAsync("secretariat");
        var fr = await app.SignInAsync("fr");
        var text = app.ServerText("draft:1");

        var closed = await SetStatusAsync(app, chair, "closed");
        Assert.Equal(MeetingStatus.Closed, closed.Status);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "meeting.updated" && e.Payload.GetProperty("status").GetString() == "closed"), "France hears that the meeting closed");

        var insert = TextOperation.Builder().Insert("After the close. ").Retain(text.Length).Build();
        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            // The hub: a keystroke and a stance.
            var refused = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeAsync<OperationAck>(
                "SubmitOperation", 1, new SubmitOperationRequest("draft:1", 0, "closed-1", insert), Ct));
            Assert.Contains("The meeting is closed", refused.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeAsync<PositionDto>(
                "SetPosition", 1, 1, "FR", new PutPositionRequest(Stance.Abstain, null, null, 1), Ct));

            // REST, for a delegate and for the chair: the text, a stance, a proposal, the agenda, a lock, a status, a
            // silence procedure, a coalition, the roster.
            var rest = await fr.PostJsonAsync($"{M}/texts/draft:1/operations", new SubmitOperationRequest("draft:1", 0, "closed-2", insert));
            await rest.ShouldBeAsync(409);
            Assert.Contains("The meeting is closed", await rest.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            await (await fr.PutJsonAsync($"{M}/items/1/positions/FR", new { stance = "abstain", expectedVersion = 1 })).ShouldBeAsync(409);
            await (await fr.PostJsonAsync($"{M}/items/1/proposals", new { from = 0, to = 0, revision = 0, replacement = "Firstly, " })).ShouldBeAsync(409);
            await (await chair.PostJsonAsync($"{M}/items", new { title = "Any other business", rule = "consensus" })).ShouldBeAsync(409);
            await (await chair.PostJsonAsync($"{M}/items/1/lock", new { reason = "Legal-linguistic check" })).ShouldBeAsync(409);
            await (await chair.PutJsonAsync($"{M}/items/1/status", new { status = "agreed" })).ShouldBeAsync(409);
            await (await chair.PostJsonAsync($"{M}/items/1/silence", new { deadline = DateTimeOffset.UtcNow.AddDays(1) })).ShouldBeAsync(409);
            await (await chair.PostJsonAsync($"{M}/items/1/coalition", new { signatories = new[] { "FR", "DE" } })).ShouldBeAsync(409);
            await (await chair.DeleteAsync($"{M}/items/3", Ct)).ShouldBeAsync(409);
        });
        Assert.Equal(text, app.ServerText("draft:1"));

        // The record can still be exported: the agreed conclusions, as they stood when the meeting closed.
        var pdf = await secretariat.GetAsync($"{M}/conclusions.pdf", Ct);
        await pdf.ShouldBeAsync(200);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(Ct), 0, 5), StringComparison.Ordinal);

        // Reopened, the same keystroke goes through.
        await SetStatusAsync(app, chair, "inSession");
        france.Insert("draft:1", 0, "Reopened. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:1"), "an edit goes through once the meeting is reopened");
        Assert.StartsWith("Reopened. ", app.ServerText("draft:1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMeetingIsNotClosedWhileASilenceProcedureRunsInIt()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync($"{M}/items/1/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(24)))).ShouldBeAsync(200);
        var refused = await Fingerprint.AssertUnchangedAsync(app, () => chair.PutJsonAsync(M, DemoMeeting("closed", VersionOf(app))));
        await refused.ShouldBeAsync(409);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Contains("Item I is under a silence procedure", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Cancelled, the meeting closes.
        await (await chair.DeleteAsync($"{M}/items/1/silence", Ct)).ShouldBeAsync(200);
        Assert.Equal(MeetingStatus.Closed, (await SetStatusAsync(app, chair, "closed")).Status);
    }
}
