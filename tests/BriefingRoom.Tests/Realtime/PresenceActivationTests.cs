using BriefingRoom.Realtime;
using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// Presence across activations of the meeting's grain, its one sender (see <see cref="PresenceSenderTests"/>), and a
/// connection that closes while its join is under way.
/// </summary>
public sealed class PresenceActivationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string? ItemsOf(RoomClient client, string delegationCode) => ScaleOutPresenceOrderTests.ItemsOf(client, delegationCode);

    private static Task DeactivateAsync(BriefingApp app) =>
        app.Services.GetRequiredService<IGrainFactory>().GetGrain<Live.IMeetingGrain>(BriefingApp.DemoMeetingId)
            .Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle(Ct).AsTask();

    /// <summary>
    /// An app whose presence lists can be held (<see cref="PresenceListGate"/>), with a watcher and Germany in the room;
    /// Germany turns to item 1, and the send that says so reads the room and is then held (Redis or the database slow).
    /// </summary>
    private static async Task<(BriefingApp App, PresenceListGate Gate, RoomClient Watcher, RoomClient Germany)> GermanyTurnsWithItsSendHeldAsync()
    {
        var gate = new PresenceListGate();
        var app = new BriefingApp(realSockets: true).WithServices(gate.Wrap);
        var watcher = await RoomClient.JoinAsync(app, "observer");
        var germany = await RoomClient.JoinAsync(app, "de");
        await watcher.WaitUntilAsync(c => ItemsOf(c, "DE") == "", "the watcher sees Germany, on no item");
        gate.Arm();
        await germany.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await gate.Reached;
        return (app, gate, watcher, germany);
    }

    /// <summary>
    /// The chair and two tabs of Hungary's on item 1, one of which (returned first) shows a caret there: while the other
    /// stays, only presence's "gone" can take that caret off the chair's page.
    /// </summary>
    private static async Task<(RoomClient Chair, RoomClient Tab, RoomClient Staying)> TwoTabsOnItemOneOneWithACaretAsync(BriefingApp app)
    {
        var chair = await RoomClient.JoinAsync(app, "chair");
        var tab = await app.JoinNamedAsync("hu");
        var staying = await app.JoinNamedAsync("hu");
        await tab.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await staying.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await chair.WaitUntilAsync(c => ItemsOf(c, "HU") == "1", "Hungary is on item 1");
        await tab.MoveCaretAsync("draft:1", 5);
        var id = tab.Hub.ConnectionId!;
        await chair.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == id), "the chair sees the tab's caret");
        return (chair, tab, staying);
    }

    [Fact]
    public async Task ASendOfTheActivationThatWentDoesNotArriveAfterTheNextActivationsWholeRoom()
    {
        var (arranged, gate, watcher, germany) = await GermanyTurnsWithItsSendHeldAsync();
        await using var app = arranged;
        await using var _ = watcher;
        await using var __ = germany;

        // The meeting's grain goes from memory meanwhile (it waits for the held send, then gives up); Germany turns to
        // item 2, which starts it again, and its first send is the whole room: the watcher sees Germany on item 2.
        await DeactivateAsync(app);
        await germany.Hub.InvokeAsync("Focus", 1, (int?)2, Ct);
        await watcher.WaitUntilAsync(c => ItemsOf(c, "DE") == "2", "the watcher sees Germany on item 2");

        // The held send goes on; then Spain joins, and once the watcher sees Spain, Germany is still on item 2.
        gate.Release();
        await using var spain = await RoomClient.JoinAsync(app, "es");
        await watcher.WaitUntilAsync(c => ItemsOf(c, "ES") is not null, "the watcher sees Spain");
        Assert.Equal("2", ItemsOf(watcher, "DE"));
    }

    [Fact]
    public async Task AMoveWhoseSendTheActivationThatWentNeverMadeIsShownByTheNextOne()
    {
        // Germany's send to item 1 is held past the time the grain waits for it as it goes.
        var (arranged, gate, watcher, germany) = await GermanyTurnsWithItsSendHeldAsync();
        await using var app = arranged;
        await using var _ = watcher;
        await using var __ = germany;
        await DeactivateAsync(app);
        var chair = await app.SignInAsync("chair");
        await (await chair.GetAsync("/api/meetings/1/snapshot", Ct)).ShouldBeAsync(200);
        gate.Release();

        // The meeting is in memory again (the snapshot asked its grain): the room is told where Germany is.
        await watcher.WaitUntilAsync(c => ItemsOf(c, "DE") == "1", "the watcher sees Germany on item 1");
    }

    [Fact]
    public async Task ATabThatClosesOnceTheMeetingWentFromMemoryHasItsCaretTakenAway()
    {
        await using var app = new BriefingApp(realSockets: true);
        var (chair, closing, staying) = await TwoTabsOnItemOneOneWithACaretAsync(app);
        await using var _ = chair;
        await using var __ = staying;
        var closed = closing.Hub.ConnectionId!;

        // The meeting goes from memory (idle, or moved to another instance); then the tab closes, which starts it again.
        await DeactivateAsync(app);
        await closing.DisposeAsync();

        // Hungary is still on item 1 through the other tab, so only "gone" can take the closed tab's caret away.
        await chair.WaitUntilAsync(c => c.GoneSeen.Contains(closed), "the closed tab is named gone, and its caret taken away");
    }

    [Fact]
    public async Task ATabThatTurnsAwayOnceTheMeetingWentFromMemoryHasItsCaretTakenAway()
    {
        await using var app = new BriefingApp(realSockets: true);
        var (chair, turning, staying) = await TwoTabsOnItemOneOneWithACaretAsync(app);
        await using var _ = chair;
        await using var __ = turning;
        await using var ___ = staying;
        var turned = turning.Hub.ConnectionId!;

        // The meeting goes from memory; then the tab turns to item 3, which starts it again.
        await DeactivateAsync(app);
        await turning.Hub.InvokeAsync("Focus", 1, (int?)3, Ct);

        // Hungary is still on item 1 through the other tab, so only "gone" can take the turned tab's caret away there.
        await chair.WaitUntilAsync(c => c.GoneSeen.Contains(turned), "the tab that turned to item 3 is named gone from item 1");
    }

    [Fact]
    public async Task AConnectionThatClosesWhileItsJoinIsUnderWayLeavesNoGhostInThePresence()
    {
        var store = new RemovalsSeen();
        var afterJoin = new AfterJoin();
        var calls = new GrainCallsSeen();
        await using var app = new BriefingApp(realSockets: true).WithServices(s =>
        {
            store.Wrap(s);
            s.AddSingleton<IIncomingGrainCallFilter>(afterJoin);
            s.AddSingleton<IIncomingGrainCallFilter>(calls);
        });
        await using var france = await RoomClient.JoinAsync(app, "fr");

        var hungary = app.NewNamedHubConnection(await app.TokenForAsync("hu"));
        await hungary.StartAsync(Ct);
        // The grain has admitted the connection; before the hub lists it in presence, the connection closes, and the hub
        // is done with its disconnect.
        afterJoin.Once.Arm(async () =>
        {
            var removed = store.NextRemoval();
            _ = hungary.DisposeAsync().AsTask();
            await removed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        });
        var confirmed = calls.Arm("ConfirmJoin");
        var join = hungary.InvokeAsync<JoinedDto>("JoinMeeting", 1, Ct);
        await afterJoin.Once.Done;
        await confirmed;
        await Assert.ThrowsAnyAsync<Exception>(() => join);

        await using var spain = await RoomClient.JoinAsync(app, "es");
        await france.WaitUntilAsync(
            c => ItemsOf(c, "ES") is not null && ItemsOf(c, "HU") is null,
            "France sees Spain, and no longer Hungary, whose connection closed as it joined");
    }

    /// <summary>
    /// A connection in two meetings closes, and the first meeting told of it cannot be reached (its grain moving, its
    /// silo gone): the other meeting is still told, and its room hears that the person left; the first room hears it at
    /// its next change of presence. The hub used to stop at the first grain that failed, so the rooms after it kept the
    /// person until then, and their carets with them.
    /// </summary>
    [Fact]
    public async Task AConnectionThatClosesStillLeavesItsOtherMeetingWhenTheFirstCannotBeTold()
    {
        var fault = new FirstLeaveFails();
        await using var app = new BriefingApp(realSockets: true).WithServices(s => s.AddSingleton<IIncomingGrainCallFilter>(fault));
        using var admin = await app.SignInAsync("admin");
        var other = (await (await admin.PostJsonAsync("/api/meetings", new { title = "Foreign Affairs Council", kind = "europeanCouncil", date = "2025-04-14", place = "Luxembourg", documentNumber = "FAC 1/25" }))
            .ReadJsonAsync()).GetProperty("id").GetInt32();
        (await app.InviteAndAcceptAsync("fac-chair@example.org", "chair", null, "Chair of the FAC", "admin", other)).Dispose();
        (await app.InviteAndAcceptAsync("fac-secretary@example.org", "secretariat", null, "FAC secretariat", "admin", other)).Dispose();
        await using var euco = await RoomClient.JoinAsync(app, "chair");
        await using var fac = await RoomClient.JoinAsync(app, "fac-chair@example.org", other);

        // The administrator's one connection is in both rooms.
        var both = app.NewHubConnection(await app.TokenForAsync("admin"));
        await both.StartAsync(Ct);
        await both.InvokeAsync<JoinedDto>("JoinMeeting", BriefingApp.DemoMeetingId, Ct);
        await both.InvokeAsync<JoinedDto>("JoinMeeting", other, Ct);
        await euco.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.Name == "Administrator") == true, "the EUCO room sees the administrator");
        await fac.WaitUntilAsync(c => c.Presence?.Users.Any(u => u.Name == "Administrator") == true, "the FAC room sees the administrator");
        var administrator = euco.Presence!.Users.Single(u => u.Name == "Administrator").UserId;

        fault.Arm();
        await both.DisposeAsync();
        var failed = await fault.Failed;

        var (told, which, untold, comer) = failed == BriefingApp.DemoMeetingId ? (fac, "FAC", euco, "fr") : (euco, "EUCO", fac, "fac-secretary@example.org");
        await told.WaitUntilAsync(c => c.LeftSeen.Contains(administrator), $"the {which} room, whose grain could be told, hears that the administrator left");

        // The room whose grain was not told hears it at its next change of presence: presence forgot the connection.
        await using var arriving = await RoomClient.JoinAsync(app, comer, (int)failed);
        await untold.WaitUntilAsync(c => c.LeftSeen.Contains(administrator), "the other room hears that the administrator left once someone comes in");
    }

    /// <summary>
    /// The meeting goes from memory, and as it starts again presence cannot list the room (Redis not answering for a
    /// moment). The new activation knew none of the connections already in the room for as long as it lived: it relayed
    /// none of their carets and ignored where they turned. It now reads the room again until presence answers.
    /// </summary>
    [Fact]
    public async Task AnActivationThatCouldNotReadTheRoomAsItStartedReadsItAgain()
    {
        var presence = new ListFailsOnceArmed();
        await using var app = new BriefingApp(realSockets: true).WithServices(presence.Wrap);
        await using var watcher = await RoomClient.JoinAsync(app, "observer");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        await watcher.WaitUntilAsync(c => ItemsOf(c, "DE") == "", "the watcher sees Germany on no item");

        await DeactivateAsync(app);
        var wholeRooms = watcher.PresenceSeen.Count(p => p.Full);
        presence.Arm();
        // Starts the meeting again, whose first list of the room fails; the turn itself is lost.
        await germany.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await presence.Failed;

        await watcher.WaitUntilAsync(c => c.PresenceSeen.Count(p => p.Full) > wholeRooms, "the watcher is sent the whole room once the activation has read it");
        await germany.Hub.InvokeAsync("Focus", 1, (int?)2, Ct);
        await watcher.WaitUntilAsync(c => ItemsOf(c, "DE") == "2", "the watcher sees Germany turn to item 2");
    }

    /// <summary>Presence whose next list of a room, once armed, fails as Redis not answering does.</summary>
    private sealed class ListFailsOnceArmed
    {
        private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public Task Failed => _failed.Task;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public void Wrap(IServiceCollection services) => PresenceStoreDecorator.Wrap(services, inner => new Failing(inner, this));

        private sealed class Failing(IPresenceStore inner, ListFailsOnceArmed owner) : PresenceStoreDecorator(inner)
        {
            public override Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId)
            {
                if (Interlocked.Exchange(ref owner._armed, 0) == 1)
                {
                    owner._failed.TrySetResult();
                    throw new TimeoutException("Presence did not answer (a test's failure).");
                }

                return base.ListAsync(meetingId);
            }
        }
    }

    /// <summary>Once armed, the next "Leave" any meeting's grain is told throws; <see cref="Failed"/> is that meeting.</summary>
    private sealed class FirstLeaveFails : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource<long> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public Task<long> Failed => _failed.Task;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod.Name == "Leave" && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                context.TargetId.TryGetIntegerKey(out var meetingId, out _);
                _failed.TrySetResult(meetingId);
                throw new InvalidOperationException($"Meeting {meetingId} cannot be reached (a fault of the test).");
            }

            return context.Invoke();
        }
    }

    /// <summary>Wraps the presence store so that a test can wait for the next closed connection to be forgotten.</summary>
    private sealed class RemovalsSeen
    {
        private TaskCompletionSource? _next;

        public Task NextRemoval()
        {
            var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _next, next);
            return next.Task;
        }

        public void Wrap(IServiceCollection services) => PresenceStoreDecorator.Wrap(services, inner => new Seen(inner, this));

        private sealed class Seen(IPresenceStore inner, RemovalsSeen seen) : PresenceStoreDecorator(inner)
        {
            public override async Task<IReadOnlyList<PresenceEntry>> RemoveConnectionAsync(string connectionId)
            {
                var removed = await base.RemoveConnectionAsync(connectionId);
                Interlocked.Exchange(ref seen._next, null)?.TrySetResult();
                return removed;
            }
        }
    }
}
