using System.Text.Json;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Silence;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Silence;

public class SilenceTests
{
    private const string M = "/api/meetings/1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SilenceDto Silence(ClientEvent e) => e.Payload.Deserialize<SilenceDto>(global::BriefingRoom.Api.BriefingJson.Options)!;

    private static string StatusOf(ClientEvent e) => e.Payload.GetProperty("status").GetString()!;

    [Fact]
    public async Task UnbrokenSilenceAgreesTheItemByItselfAtTheDeadlineAndTheTextIsFrozenUntilThen()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await using var guest = await RoomClient.JoinAsync(app, "ua");
        var chair = await app.SignInAsync("chair");
        var text = app.ServerText("draft:1");

        var opened = await chair.PostJsonAsync($"{M}/items/1/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(24)));
        await opened.ShouldBeAsync(200);
        var procedure = await opened.ReadAsync<SilenceDto>();
        Assert.Equal((SilenceState.Open, 0, global::BriefingRoom.Versions.ItemVersion.HashOf(text)), (procedure.State, procedure.TextRevision, procedure.TextSha256));
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "silence.opened" && e.ItemId == 1), "France sees the countdown start");

        // Frozen on every path: the hub and REST, a delegate and the chair alike.
        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => france.Hub.InvokeAsync<OperationAck>(
                "SubmitOperation", 1, new SubmitOperationRequest("draft:1", 0, "silent-1", TextOperation.Builder().Insert("x").Retain(text.Length).Build()), Ct));
            Assert.Contains("silence procedure", refused.Message, StringComparison.Ordinal);
            var rest = await chair.PostJsonAsync($"{M}/texts/draft:1/operations", new SubmitOperationRequest("draft:1", 0, "silent-2", TextOperation.Builder().Insert("x").Retain(text.Length).Build()));
            await rest.ShouldBeAsync(409);
            Assert.Contains("silence procedure", (await rest.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        });

        clock.Advance(TimeSpan.FromHours(24));
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.status" && e.ItemId == 1 && StatusOf(e) == "agreed"), "the item is agreed at the deadline");
        var concluded = Silence(france.Events.Single(e => e.Type == "silence.concluded"));
        Assert.Equal((SilenceState.Agreed, "Silence procedure"), (concluded.State, concluded.ClosedBy));
        Assert.Equal("Silence procedure", france.Events.Single(e => e.Type == "silence.concluded").Actor);
        // The guest takes no part in the procedure, and learns its outcome from the item's status.
        await guest.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.status" && e.ItemId == 1), "the guest sees the item agreed");
        Assert.DoesNotContain(guest.Events, e => e.Type.StartsWith("silence.", StringComparison.Ordinal));

        Assert.Equal(1, app.WithDb(db => db.Events.Count(e => e.Type == "silence.concluded")));
        Assert.Equal(text, app.ServerText("draft:1"));
        var list = await chair.GetJsonAsync<List<SilenceDto>>($"{M}/silences");
        Assert.Equal(SilenceState.Agreed, Assert.Single(list).State);
    }

    [Fact]
    public async Task AProposalStillOpenWhenSilenceAgreesTheItemLapsesInTheProceduresName()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var poland = await RoomClient.JoinAsync(app, "pl");
        var france = await app.SignInAsync("fr");
        var chair = await app.SignInAsync("chair");
        var words = app.ServerText("draft:1")[..10];
        var tabled = await france.PostJsonAsync($"{M}/items/1/proposals", new { from = 0, to = words.Length, revision = app.ServerRevision("draft:1"), replacement = "Tabled too late" });
        await tabled.ShouldBeAsync(200);
        var proposal = await tabled.ReadAsync<global::BriefingRoom.Proposals.ProposalDto>();
        await (await chair.PostJsonAsync($"{M}/items/1/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(24)))).ShouldBeAsync(200);

        clock.Advance(TimeSpan.FromHours(24));
        await poland.WaitUntilAsync(c => c.Events.Any(e => e.Type == "proposal.lapsed"), "Poland hears the proposal lapsed with the agreement");
        var lapsed = await chair.GetJsonAsync<List<global::BriefingRoom.Proposals.ProposalDto>>($"{M}/items/1/proposals");
        var now = lapsed.Single(p => p.Id == proposal.Id);
        Assert.Equal((global::BriefingRoom.Proposals.ProposalStatus.Lapsed, "Silence procedure"), (now.Status, now.Decision!.By));
        Assert.True(poland.Events.Single(e => e.Type == "item.status" && e.ItemId == 1).Seq < poland.Events.Single(e => e.Type == "proposal.lapsed").Seq);
    }

    [Fact]
    public async Task WhileSilenceRunsTheProcedureDecidesTheStatusTheChairCancelsItFirst()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        var chair = await app.SignInAsync("chair");
        await (await chair.PutJsonAsync($"{M}/items/1/status", new { status = "notAgreed" })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/1/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(24)))).ShouldBeAsync(200);

        // Moved another way now, the item would be agreed over it at the deadline: refused, saying what to do.
        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            foreach (var refused in new[]
            {
                await chair.PutJsonAsync($"{M}/items/1/status", new { status = "underDiscussion" }),
                await chair.PostJsonAsync($"{M}/items/1/coalition", null),
            })
            {
                await refused.ShouldBeAsync(409);
                var problem = await refused.ReadJsonAsync();
                Assert.Equal("Under a silence procedure", problem.GetProperty("title").GetString());
                Assert.Contains("cancel the procedure first", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        });

        // Once the chair has cancelled the procedure, the status is the chair's again.
        await (await chair.DeleteAsync($"{M}/items/1/silence", Ct)).ShouldBeAsync(200);
        await (await chair.PutJsonAsync($"{M}/items/1/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
    }

    [Fact]
    public async Task AMemberDelegationBreaksSilenceWithAReasonTheChairSeesWhoAndWhyAndTheItemIsNotAgreed()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var chairRoom = await RoomClient.JoinAsync(app, "chair");
        await using var hungaryRoom = await RoomClient.JoinAsync(app, "hu");
        var chair = await app.SignInAsync("chair");
        var deadline = clock.GetUtcNow().AddHours(2);
        await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(deadline))).ShouldBeAsync(200);
        // A witness on another item with the same deadline: when it concludes, the timer has passed over item 3 too.
        await (await chair.PostJsonAsync($"{M}/items/4/silence", SilenceClock.OpenUntil(deadline))).ShouldBeAsync(200);

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            // Guests, institutions, observers, the secretariat and the chair do not break silence; a reason is required.
            await (await (await app.SignInAsync("uk")).PostJsonAsync($"{M}/items/3/silence/break", new { reason = "No" })).ShouldBeAsync(404);
            await (await (await app.SignInAsync("ua")).PostJsonAsync($"{M}/items/1/silence/break", new { reason = "No" })).ShouldBeAsync(403);
            await (await (await app.SignInAsync("com")).PostJsonAsync($"{M}/items/3/silence/break", new { reason = "No" })).ShouldBeAsync(403);
            await (await (await app.SignInAsync("observer")).PostJsonAsync($"{M}/items/3/silence/break", new { reason = "No" })).ShouldBeAsync(403);
            await (await (await app.SignInAsync("secretariat")).PostJsonAsync($"{M}/items/3/silence/break", new { reason = "No" })).ShouldBeAsync(403);
            await (await chair.PostJsonAsync($"{M}/items/3/silence/break", new { reason = "No" })).ShouldBeAsync(403);
            var blank = await (await app.SignInAsync("hu")).PostJsonAsync($"{M}/items/3/silence/break", new { reason = "  " });
            await blank.ShouldBeAsync(400);
            Assert.True((await blank.ReadJsonAsync()).GetProperty("errors").TryGetProperty("reason", out _), "the problem names the field");
            await (await (await app.SignInAsync("hu")).PostJsonAsync($"{M}/items/5/silence/break", new { reason = "No" })).ShouldBeAsync(409);
        });

        clock.Advance(TimeSpan.FromMinutes(30));
        var broke = await (await app.SignInAsync("hu")).PostJsonAsync($"{M}/items/3/silence/break", new { reason = "Hungary cannot accept the transfer of frozen assets." });
        await broke.ShouldBeAsync(200);
        await chairRoom.WaitUntilAsync(c => c.Events.Any(e => e.Type == "silence.broken" && e.ItemId == 3), "the chair sees silence broken");
        var broken = Silence(chairRoom.Events.Single(e => e.Type == "silence.broken"));
        Assert.Equal((SilenceState.Broken, "HU", "Hungary", "Hungary cannot accept the transfer of frozen assets."),
            (broken.State, broken.Break!.DelegationCode, broken.Break.Delegation, broken.Break.Reason));
        Assert.Equal(clock.GetUtcNow(), broken.Break.At);

        // One objection ends it: a later one is refused and says who broke it.
        var late = await (await app.SignInAsync("de")).PostJsonAsync($"{M}/items/3/silence/break", new { reason = "Us too." });
        await late.ShouldBeAsync(409);
        Assert.Contains("already broken by Hungary", (await late.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The draft moves again at once.
        hungaryRoom.Insert("draft:3", 0, "Objection noted. ");
        await hungaryRoom.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "an edit goes through again");

        clock.Advance(TimeSpan.FromHours(2));
        await chairRoom.WaitUntilAsync(c => c.Events.Any(e => e.Type == "silence.concluded" && e.ItemId == 4), "the witness procedure concludes");
        Assert.DoesNotContain(chairRoom.Events, e => e.Type == "item.status" && e.ItemId == 3);
        Assert.Equal(global::BriefingRoom.Agenda.ItemStatus.UnderDiscussion, app.WithDb(db => db.Items.Single(i => i.Id == 3).Status));
    }

    [Fact]
    public async Task OnlyTheChairOpensAndCancelsSilenceWithADeadlineInTheFutureAndWithinThirtyDays()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var chair = await app.SignInAsync("chair");
        var now = clock.GetUtcNow();

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            foreach (var (body, why) in new (object Body, string Why)[]
            {
                (SilenceClock.OpenUntil(now.AddMinutes(-5)), "in the past"),
                (SilenceClock.OpenUntil(now.AddSeconds(20)), "too soon"),
                (SilenceClock.OpenUntil(now.AddDays(31)), "too far"),
                (new { }, "missing"),
            })
            {
                var refused = await chair.PostJsonAsync($"{M}/items/3/silence", body);
                Assert.True((int)refused.StatusCode == 400, $"a deadline {why} is refused");
                Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("deadline", out _), $"the problem for a deadline {why} names the field");
            }

            await (await (await app.SignInAsync("secretariat")).PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(now.AddHours(1)))).ShouldBeAsync(403);
            await (await (await app.SignInAsync("fr")).PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(now.AddHours(1)))).ShouldBeAsync(403);
            await (await chair.PostJsonAsync($"{M}/items/5/silence", SilenceClock.OpenUntil(now.AddHours(1)))).ShouldBeAsync(409);
            await (await chair.DeleteAsync($"{M}/items/3/silence", Ct)).ShouldBeAsync(409);
            await (await (await app.SignInAsync("uk")).GetAsync($"{M}/silences", Ct)).ShouldBeAsync(403);
        });

        // An offset other than UTC is the same instant.
        var deadline = now.AddHours(3).ToOffset(TimeSpan.FromHours(1));
        var opened = await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(deadline))).ReadAsync<SilenceDto>();
        Assert.Equal(deadline, opened.Deadline);
        await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(now.AddHours(4)))).ShouldBeAsync(409);
        await (await (await app.SignInAsync("fr")).DeleteAsync($"{M}/items/3/silence", Ct)).ShouldBeAsync(403);

        await (await chair.DeleteAsync($"{M}/items/3/silence", Ct)).ShouldBeAsync(200);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "silence.cancelled" && e.ItemId == 3), "France sees the procedure cancelled");
        france.Insert("draft:3", 0, "Moving again. ");
        await france.WaitUntilAsync(c => c.IsSynchronized("draft:3"), "the draft moves again");
        var late = await (await app.SignInAsync("hu")).PostJsonAsync($"{M}/items/3/silence/break", new { reason = "Too late" });
        await late.ShouldBeAsync(409);
        Assert.Contains("cancelled", (await late.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Everything is in the meeting's history.
        var history = await chair.GetJsonAsync<JsonElement>($"{M}/events?since=0");
        Assert.Equal(["silence.opened", "silence.cancelled"], history.GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()!).Where(t => t.StartsWith("silence.", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A deadline agrees a text, so it must be one instant. Without an offset ("2025-03-07T12:00:00") the serializer read it
    /// in the server's own time zone: the same request set a deadline an hour apart on a server in Brussels and in a
    /// container on UTC, and the answer ("+00:00" here) was the only sign that the server had chosen.
    /// </summary>
    [Fact]
    public async Task ADeadlineWithoutAnOffsetIsRefusedNamingTheDeadlineAndNothingOpens()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        var chair = await app.SignInAsync("chair");
        var at = clock.GetUtcNow().AddHours(3).UtcDateTime;

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            foreach (var deadline in new[] { at.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), at.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) })
            {
                var refused = await chair.SendRawAsync(HttpMethod.Post, $"{M}/items/3/silence", JsonSerializer.Serialize(new { deadline }));
                var problem = await refused.ReadJsonAsync();
                Assert.True((int)refused.StatusCode == 400, $"a deadline without an offset ({deadline}) is refused: {problem}");
                Assert.True(problem.GetProperty("errors").TryGetProperty("deadline", out var words), $"the problem names the deadline: {problem}");
                Assert.Contains("offset", words.ToString(), StringComparison.Ordinal);
            }
        });

        // With its offset, "Z" or "+01:00", the same instant opens the procedure.
        var utc = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var opened = await chair.SendRawAsync(HttpMethod.Post, $"{M}/items/3/silence", JsonSerializer.Serialize(new { deadline = utc }));
        await opened.ShouldBeAsync(200);
        Assert.Equal(new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero), (await opened.ReadAsync<SilenceDto>()).Deadline);
    }

    /// <summary>
    /// A deadline with its offset that names no instant (a thirteenth month, or past the year 9999 once in UTC) was told to
    /// "give an instant with its offset", which it had: the chair looked for a missing offset that was not missing.
    /// </summary>
    [Fact]
    public async Task ADeadlineWithAnOffsetThatNamesNoInstantIsRefusedSayingWhatIsWrongWithIt()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        var chair = await app.SignInAsync("chair");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            foreach (var deadline in new[] { "2026-13-01T12:00:00Z", "2026-02-30T12:00:00+01:00", "2026-03-01T25:00:00Z", "9999-12-31T23:00:00-05:00" })
            {
                var refused = await chair.SendRawAsync(HttpMethod.Post, $"{M}/items/3/silence", JsonSerializer.Serialize(new { deadline }));
                var problem = await refused.ReadJsonAsync();
                Assert.True((int)refused.StatusCode == 400, $"{deadline} is refused: {problem}");
                Assert.True(problem.GetProperty("errors").TryGetProperty("deadline", out var words), $"the problem names the deadline: {problem}");
                Assert.DoesNotContain("offset", words.ToString(), StringComparison.Ordinal);
                Assert.Contains("no instant", words.ToString(), StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public async Task ADeadlineThatPassedWhileTheAppWasDownConcludesOnceWhenItStartsAgain()
    {
        var directory = Path.Combine(Path.GetTempPath(), "briefingroom-tests", "silence-restart-" + Guid.NewGuid().ToString("N"));
        var clock = SilenceClock.New();
        try
        {
            await using (var first = new BriefingApp(directory: directory).WithSilenceClock(clock))
            {
                var chair = await first.SignInAsync("chair");
                await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(1)))).ShouldBeAsync(200);
            }

            // The app is stopped while the deadline passes.
            clock.Advance(TimeSpan.FromHours(5));
            await using var second = new BriefingApp(directory: directory).WithSilenceClock(clock);
            await using var watcher = await RoomClient.JoinAsync(second, "observer");
            await watcher.WaitUntilAsync(c => c.Events.Any(e => e.Type == "silence.concluded") || c.Snapshot!.Items.Single(i => i.Id == 3).Status == global::BriefingRoom.Agenda.ItemStatus.Agreed,
                "the procedure concludes after the restart");

            Assert.Equal(1, second.WithDb(db => db.Events.Count(e => e.Type == "silence.concluded")));
            Assert.Equal(SilenceState.Agreed, second.WithDb(db => db.SilenceProcedures.Single().State));
            Assert.Equal(global::BriefingRoom.Agenda.ItemStatus.Agreed, second.WithDb(db => db.Items.Single(i => i.Id == 3).Status));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temp cleaning.
            }
        }
    }

    /// <summary>
    /// Once the deadline has passed unbroken the item is being agreed: a delegation can no longer break silence, and the
    /// chair can no longer cancel the procedure either, whether or not the timer has concluded it yet. (The timer
    /// concludes due procedures one after another: three earlier ones give the cancellation its chance to come first.)
    /// </summary>
    [Fact]
    public async Task AfterAnUnbrokenDeadlineTheChairCanNoLongerCancelTheProcedure()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var chair = await app.SignInAsync("chair");
        var deadline = clock.GetUtcNow().AddHours(2);
        foreach (var (item, after) in new[] { (1, 0), (2, 1), (3, 2), (4, 3) })
        {
            await (await chair.PostJsonAsync($"{M}/items/{item}/silence", SilenceClock.OpenUntil(deadline.AddSeconds(after)))).ShouldBeAsync(200);
        }

        clock.Advance(TimeSpan.FromHours(3));
        var cancelled = await chair.DeleteAsync($"{M}/items/4/silence", Ct);

        await cancelled.ShouldBeAsync(409);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "silence.concluded" && e.ItemId == 4), "the procedure concludes at its deadline");
        Assert.Equal(Agenda.ItemStatus.Agreed, app.WithDb(db => db.Items.Single(i => i.Id == 4).Status));
        Assert.DoesNotContain(france.Events, e => e.Type == "silence.cancelled");
    }

    /// <summary>
    /// The timer concludes due procedures one after another. When one meeting's could not conclude (its grain failing,
    /// here by a fault put in front of it), the whole pass stopped and started again five seconds later at that same
    /// procedure, so every other meeting's deadline waited for as long as that meeting failed.
    /// </summary>
    [Fact]
    public async Task AMeetingWhoseProcedureCannotConcludeDoesNotHoldUpAnotherMeetingsDeadline()
    {
        var clock = SilenceClock.New();
        var fault = new ChangeFailsIn<ConcludeSilence>(meetingId: 1);
        await using var app = new BriefingApp().WithSilenceClock(clock).WithServices(s => s.AddSingleton<IIncomingGrainCallFilter>(fault));
        var chair = await app.SignInAsync("chair");
        using var admin = await app.SignInAsync("admin");
        var second = (await (await admin.PostJsonAsync("/api/meetings", new { title = "European Council", kind = "europeanCouncil", date = "2025-03-20", place = "Brussels", documentNumber = "EUCO 1/25" }))
            .ReadJsonAsync()).GetProperty("id").GetInt32();
        var itemId = (await (await admin.PostJsonAsync($"/api/meetings/{second}/items", new { title = "Middle East", rule = "consensus", draft = "The European Council discussed the Middle East." }))
            .ReadJsonAsync()).GetProperty("id").GetInt32();
        var deadline = clock.GetUtcNow().AddHours(2);
        await (await chair.PostJsonAsync($"{M}/items/1/silence", SilenceClock.OpenUntil(deadline))).ShouldBeAsync(200);
        await (await admin.PostJsonAsync($"/api/meetings/{second}/items/{itemId}/silence", SilenceClock.OpenUntil(deadline.AddSeconds(1)))).ShouldBeAsync(200);

        await using var room = app.NewHubConnection(await app.TokenForAsync("admin"));
        var concluded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        room.On<ClientEventBatch>("MeetingEvents", batch =>
        {
            if (batch.MeetingId == second && batch.Events.Any(e => e.Type == "silence.concluded" && e.ItemId == itemId))
            {
                concluded.TrySetResult();
            }
        });
        await room.StartAsync(Ct);
        await room.InvokeAsync<JsonElement>("JoinMeeting", second, Ct);

        clock.Advance(TimeSpan.FromHours(3));
        await concluded.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.True(fault.Failed > 0, "meeting 1's procedure was tried first, and failed");
        Assert.Equal(Agenda.ItemStatus.Agreed, app.WithDb(db => db.Items.Single(i => i.Id == itemId).Status));
        Assert.Equal(SilenceState.Open, app.WithDb(db => db.Set<SilenceProcedure>().Single(p => p.MeetingId == 1).State));
    }

    /// <summary>
    /// A lock says nothing about the item moves until the chair unlocks it, yet a lock put on while silence ran (the item
    /// contested, say) was overturned at the deadline: the item came out agreed and locked. While a procedure runs it
    /// decides the item, so the lock is refused as a status change is, saying to cancel the procedure first.
    /// </summary>
    [Fact]
    public async Task TheChairCannotLockAnItemUnderSilenceSoTheDeadlineNeverAgreesALockedItem()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(2)))).ShouldBeAsync(200);

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var refused = await chair.PostJsonAsync($"{M}/items/3/lock", new { reason = "Contested: Hungary's objection stands." });
            await refused.ShouldBeAsync(409);
            var problem = await refused.ReadJsonAsync();
            Assert.Equal("Under a silence procedure", problem.GetProperty("title").GetString());
            Assert.Contains("cancel the procedure first to lock it", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        });

        // Cancelled first, the item is the chair's to lock, and no deadline agrees it.
        await (await chair.DeleteAsync($"{M}/items/3/silence", Ct)).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/3/lock", new { reason = "Contested: Hungary's objection stands." })).ShouldBeAsync(200);
        Assert.Equal((global::BriefingRoom.Agenda.ItemStatus.UnderDiscussion, true),
            app.WithDb(db => db.Items.Where(i => i.Id == 3).Select(i => new { i.Status, Locked = i.LockedAt != null }).AsEnumerable().Select(i => (i.Status, i.Locked)).Single()));
    }

    /// <summary>
    /// Removing an item under silence took the procedure with it (its row went with the item): the delegations' countdown
    /// ended with no word of it in the history, and the record of who put what to silence was gone. As a locked item is,
    /// an item under silence is removed only once the chair has cancelled the procedure, which the room hears.
    /// </summary>
    [Fact]
    public async Task AnItemUnderSilenceIsRemovedOnlyAfterTheChairCancelsTheProcedure()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(2)))).ShouldBeAsync(200);

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var refused = await chair.DeleteAsync($"{M}/items/3", Ct);
            await refused.ShouldBeAsync(409);
            var problem = await refused.ReadJsonAsync();
            Assert.Equal("Under a silence procedure", problem.GetProperty("title").GetString());
            Assert.Contains("cancel the procedure first to remove it", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(SilenceState.Open, Assert.Single(await chair.GetJsonAsync<List<SilenceDto>>($"{M}/silences")).State);

        await (await chair.DeleteAsync($"{M}/items/3/silence", Ct)).ShouldBeAsync(200);
        await (await chair.DeleteAsync($"{M}/items/3", Ct)).ShouldBeAsync(200);
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.deleted" && e.ItemId == 3), "France sees the item removed");
        Assert.Contains(france.Events, e => e.Type == "silence.cancelled" && e.ItemId == 3);
    }

    /// <summary>
    /// The item is agreed as it was put to silence, and the conclusions print its title with its text: the chair could
    /// still retitle it, change its decision rule or its guests while the procedure ran, and the deadline agreed what
    /// the delegations had not seen.
    /// </summary>
    [Fact]
    public async Task AnItemUnderSilenceIsEditedOnlyAfterTheChairCancelsTheProcedure()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(2)))).ShouldBeAsync(200);
        var item = (await chair.GetJsonAsync<JsonElement>(M)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == 3);
        object Edit(int version) => new { title = "Something else", description = "", rule = item.GetProperty("rule").GetString(), guests = Array.Empty<string>(), expectedVersion = version };

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var refused = await chair.PutJsonAsync($"{M}/items/3", Edit(item.GetProperty("version").GetInt32()));
            await refused.ShouldBeAsync(409);
            var problem = await refused.ReadJsonAsync();
            Assert.Equal("Under a silence procedure", problem.GetProperty("title").GetString());
            Assert.Contains("cancel the procedure first to edit it", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        });

        await (await chair.DeleteAsync($"{M}/items/3/silence", Ct)).ShouldBeAsync(200);
        var now = (await chair.GetJsonAsync<JsonElement>(M)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == 3);
        await (await chair.PutJsonAsync($"{M}/items/3", Edit(now.GetProperty("version").GetInt32()))).ShouldBeAsync(200);
    }

    /// <summary>
    /// A member state whose voting rights are suspended under Art. 7(3) TEU is not counted in a unanimity (Art. 354 TFEU),
    /// and silence is a tacit unanimity: its objection does not break silence. It used to end the procedure at once.
    /// </summary>
    [Fact]
    public async Task AMemberStateWhoseVotingRightsAreSuspendedDoesNotBreakSilence()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var chair = await app.SignInAsync("chair");
        await (await chair.PutJsonAsync($"{M}/participants/HU", new { headOfDelegation = "Viktor Orbán", votingRightsSuspended = true, expectedVersion = 0 })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(2)))).ShouldBeAsync(200);
        var hungary = await app.SignInAsync("hu");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var refused = await hungary.PostJsonAsync($"{M}/items/3/silence/break", new { reason = "Hungary cannot accept the transfer of frozen assets." });
            await refused.ShouldBeAsync(403);
            Assert.Contains("Art. 7(3) TEU", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(SilenceState.Open, Assert.Single(await chair.GetJsonAsync<List<SilenceDto>>($"{M}/silences")).State);

        clock.Advance(TimeSpan.FromHours(3));
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.status" && e.ItemId == 3 && StatusOf(e) == "agreed"), "the item is agreed at the deadline");
        Assert.DoesNotContain(france.Events, e => e.Type == "silence.broken");
    }

    /// <summary>
    /// Silence is a tacit unanimity of the item's voting body. A member state that does not take part in the item (an
    /// opt-out, an item of a subset) is outside it, in the tally and in "would the backers alone carry it" alike; its
    /// objection broke silence all the same, and the item it has no vote on was not agreed.
    /// </summary>
    [Fact]
    public async Task AMemberStateNotTakingPartInTheItemDoesNotBreakSilence()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var france = await RoomClient.JoinAsync(app, "fr");
        var chair = await app.SignInAsync("chair");
        var denmark = await app.SignInAsync("dk");
        // Item V (defence) is agreed in the demo: reopened, Denmark says it does not take part, as under its opt-out.
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        await (await denmark.PutJsonAsync($"{M}/items/5/positions/DK", new { stance = "notTakingPart", expectedVersion = app.PositionVersion(5, "DK") })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/5/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(2)))).ShouldBeAsync(200);

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var refused = await denmark.PostJsonAsync($"{M}/items/5/silence/break", new { reason = "Denmark objects to joint borrowing." });
            await refused.ShouldBeAsync(403);
            Assert.Contains("does not take part", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(SilenceState.Open, Assert.Single(await chair.GetJsonAsync<List<SilenceDto>>($"{M}/silences")).State);

        clock.Advance(TimeSpan.FromHours(3));
        await france.WaitUntilAsync(c => c.Events.Any(e => e.Type == "item.status" && e.ItemId == 5 && StatusOf(e) == "agreed"), "the item is agreed at the deadline");
        Assert.DoesNotContain(france.Events, e => e.Type == "silence.broken");
    }

    /// <summary>
    /// What is agreed at the deadline is the item as it was put to silence, positions included: a delegation that has
    /// changed its mind breaks silence, it does not edit its stance under it (docs/ARCHITECTURE.md, "Silence").
    /// </summary>
    [Fact]
    public async Task UnderSilenceThePositionsAreFrozenWithTheDraftAndAnObjectionIsABreak()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var hungaryRoom = await RoomClient.JoinAsync(app, "hu");
        var chair = await app.SignInAsync("chair");
        var hungary = await app.SignInAsync("hu");
        await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(2)))).ShouldBeAsync(200);
        var position = app.ServerText("position:3:HU");

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            foreach (var (client, code) in new[] { (hungary, "HU"), (chair, "FR") })
            {
                var refused = await client.PutJsonAsync($"{M}/items/3/positions/{code}", new { stance = "oppose", expectedVersion = app.PositionVersion(3, code) });
                await refused.ShouldBeAsync(409);
                Assert.Contains("silence procedure", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            var op = await Assert.ThrowsAsync<HubException>(() => hungaryRoom.Hub.InvokeAsync<OperationAck>("SubmitOperation", 1,
                new SubmitOperationRequest("position:3:HU", app.ServerRevision("position:3:HU"), "hu-1", TextOperation.Builder().Retain(position.Length).Insert(" No.").Build()), Ct));
            Assert.Contains("silence procedure", op.Message, StringComparison.Ordinal);
        });

        // Breaking silence is how the objection is made; the position moves again after it.
        await (await hungary.PostJsonAsync($"{M}/items/3/silence/break", new { reason = "Hungary opposes the transfer of frozen assets." })).ShouldBeAsync(200);
        await (await hungary.PutJsonAsync($"{M}/items/3/positions/HU", new { stance = "oppose", expectedVersion = app.PositionVersion(3, "HU") })).ShouldBeAsync(200);
    }

    /// <summary>A delegate whose seat the chair revoked has no voice in the room any more, with a token still valid or not.</summary>
    [Fact]
    public async Task ADelegateWhoseSeatWasRevokedCannotBreakSilence()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        var chair = await app.SignInAsync("chair");
        var hungary = await app.SignInAsync("hu");
        await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(2)))).ShouldBeAsync(200);
        var seat = (await chair.GetJsonAsync<List<global::BriefingRoom.Meetings.MembershipDto>>($"{M}/memberships")).Single(m => m.DelegationCode == "HU");
        await (await chair.DeleteAsync($"{M}/memberships/{seat.Id}", Ct)).ShouldBeAsync(204);

        await Fingerprint.AssertUnchangedAsync(app, async () =>
            await (await hungary.PostJsonAsync($"{M}/items/3/silence/break", new { reason = "Hungary cannot accept the transfer of frozen assets." })).ShouldBeAsync(404));
        Assert.Equal(SilenceState.Open, Assert.Single(await chair.GetJsonAsync<List<SilenceDto>>($"{M}/silences")).State);
    }

    /// <summary>
    /// Guests take no part in silence and are not told of it, but a guest writing its own position on an item under silence
    /// was refused with the procedure and its deadline in the words. It is told only that the item's texts are frozen.
    /// </summary>
    [Fact]
    public async Task AGuestWhoseTextIsFrozenBySilenceIsNotToldOfTheProcedureOrItsDeadline()
    {
        var clock = SilenceClock.New();
        await using var app = new BriefingApp().WithSilenceClock(clock);
        await using var ukraine = await RoomClient.JoinAsync(app, "ua");
        var chair = await app.SignInAsync("chair");
        var deadline = clock.GetUtcNow().AddHours(5);
        await (await chair.PostJsonAsync($"{M}/items/1/silence", SilenceClock.OpenUntil(deadline))).ShouldBeAsync(200);
        var guest = await app.SignInAsync("ua");
        // Ukraine has stated nothing on item 1 yet: its position text is empty, at revision 0.

        var heard = new List<string>();
        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            var put = await guest.PutJsonAsync($"{M}/items/1/positions/UA", new { stance = "support", expectedVersion = app.PositionVersion(1, "UA") });
            await put.ShouldBeAsync(409);
            heard.Add((await put.ReadJsonAsync()).ToString());
            var op = await Assert.ThrowsAsync<HubException>(() => ukraine.Hub.InvokeAsync<OperationAck>(
                "SubmitOperation", 1, new SubmitOperationRequest("position:1:UA", 0, "guest-1", TextOperation.Builder().Insert("Ukraine asks for more.").Build()), Ct));
            heard.Add(op.Message);
        });

        Assert.All(heard, words =>
        {
            Assert.Contains("frozen", words, StringComparison.Ordinal);
            Assert.DoesNotContain("silence", words, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(SilenceRules.When(deadline), words, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(ukraine.Events, e => e.Type.StartsWith("silence.", StringComparison.Ordinal));
    }

    /// <summary>
    /// Between an unbroken deadline and the timer's conclusion (a moment, or longer while the meeting's grain cannot take
    /// the conclusion) the chair who tried to move or lock the item was told to cancel the procedure first, and the
    /// cancellation was then refused because the deadline had passed. The refusal now says what is happening: the item
    /// is being agreed.
    /// </summary>
    [Fact]
    public async Task AfterAnUnbrokenDeadlineTheChairIsToldTheItemIsBeingAgreedNotToCancel()
    {
        var clock = SilenceClock.New();
        var fault = new ChangeFailsIn<ConcludeSilence>(meetingId: 1);
        await using var app = new BriefingApp().WithSilenceClock(clock).WithServices(s => s.AddSingleton<IIncomingGrainCallFilter>(fault));
        var chair = await app.SignInAsync("chair");
        await (await chair.PostJsonAsync($"{M}/items/3/silence", SilenceClock.OpenUntil(clock.GetUtcNow().AddHours(2)))).ShouldBeAsync(200);
        clock.Advance(TimeSpan.FromHours(3));

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            foreach (var refused in new[]
            {
                await chair.PutJsonAsync($"{M}/items/3/status", new { status = "notAgreed" }),
                await chair.PostJsonAsync($"{M}/items/3/lock", new { reason = "Contested" }),
            })
            {
                await refused.ShouldBeAsync(409);
                var detail = (await refused.ReadJsonAsync()).GetProperty("detail").GetString()!;
                Assert.DoesNotContain("cancel the procedure", detail, StringComparison.Ordinal);
                Assert.Contains("being agreed", detail, StringComparison.Ordinal);
            }

            await (await chair.DeleteAsync($"{M}/items/3/silence", Ct)).ShouldBeAsync(409);
        });
    }
}
