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

    private static object Caret(string documentId, int anchor) => new { documentId, revision = 0, anchor, head = anchor };

    private static string? ItemsOf(RoomClient client, string delegationCode) => ScaleOutPresenceOrderTests.ItemsOf(client, delegationCode);

    private static Task DeactivateAsync(BriefingApp app) =>
        app.Services.GetRequiredService<IGrainFactory>().GetGrain<Live.IMeetingGrain>(BriefingApp.DemoMeetingId)
            .Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle(Ct).AsTask();

    /// <summary>Joins over a real WebSocket after SignalR's negotiation, so that the client knows its connection id.</summary>
    private static async Task<RoomClient> JoinNamedAsync(BriefingApp app, string who)
    {
        var token = await app.TokenForAsync(who);
        return await RoomClient.JoinAsync(() => NewNamedConnection(app, token), () => app.SnapshotAsync(token, BriefingApp.DemoMeetingId), who);
    }

    private static HubConnection NewNamedConnection(BriefingApp app, string token) => new HubConnectionBuilder()
        .AddJsonProtocol(o => BriefingRoom.Api.BriefingJson.Configure(o.PayloadSerializerOptions))
        .WithUrl(new Uri(app.BaseAddress, "/hubs/briefing"), o =>
        {
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        })
        .Build();

    [Fact]
    public async Task ASendOfTheActivationThatWentDoesNotArriveAfterTheNextActivationsWholeRoom()
    {
        var gate = new OneListHeld();
        await using var app = new BriefingApp(realSockets: true).WithServices(gate.Wrap);
        await using var watcher = await RoomClient.JoinAsync(app, "observer");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        await watcher.WaitUntilAsync(c => ItemsOf(c, "DE") == "", "the watcher sees Germany, on no item");

        // Germany turns to item 1: the send that says so reads the room and is then held (Redis or the database slow).
        gate.Arm();
        await germany.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await gate.Reached;

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
        var gate = new OneListHeld();
        await using var app = new BriefingApp(realSockets: true).WithServices(gate.Wrap);
        await using var watcher = await RoomClient.JoinAsync(app, "observer");
        await using var germany = await RoomClient.JoinAsync(app, "de");
        await watcher.WaitUntilAsync(c => ItemsOf(c, "DE") == "", "the watcher sees Germany, on no item");

        // Germany turns to item 1; the send that says so is held past the time the grain waits for it as it goes.
        gate.Arm();
        await germany.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await gate.Reached;
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
        await using var chair = await RoomClient.JoinAsync(app, "chair");
        var closing = await JoinNamedAsync(app, "hu");
        await using var staying = await JoinNamedAsync(app, "hu");
        await closing.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await staying.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await chair.WaitUntilAsync(c => ItemsOf(c, "HU") == "1", "Hungary is on item 1");
        var closed = closing.Hub.ConnectionId!;
        await closing.Hub.InvokeAsync("MoveCaret", 1, Caret("draft:1", 5), Ct);
        await chair.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == closed), "the chair sees the tab's caret");

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
        await using var chair = await RoomClient.JoinAsync(app, "chair");
        await using var turning = await JoinNamedAsync(app, "hu");
        await using var staying = await JoinNamedAsync(app, "hu");
        await turning.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await staying.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await chair.WaitUntilAsync(c => ItemsOf(c, "HU") == "1", "Hungary is on item 1");
        var turned = turning.Hub.ConnectionId!;
        await turning.Hub.InvokeAsync("MoveCaret", 1, Caret("draft:1", 5), Ct);
        await chair.WaitUntilAsync(c => c.Carets.Any(x => x.ConnectionId == turned), "the chair sees the tab's caret");

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

        var hungary = NewNamedConnection(app, await app.TokenForAsync("hu"));
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

    /// <summary>Acts once, inside the meeting's grain, right after it has answered a join.</summary>
    private sealed class AfterJoin : IIncomingGrainCallFilter
    {
        public Once Once { get; } = new();

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            await context.Invoke();
            if (context.InterfaceMethod.Name == "Join")
            {
                await Once.RunAsync();
            }
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

        public void Wrap(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(IPresenceStore));
            services.Remove(original);
            services.AddSingleton<IPresenceStore>(sp => new Seen(
                (IPresenceStore)(original.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)), this));
        }

        private sealed class Seen(IPresenceStore inner, RemovalsSeen seen) : IPresenceStore
        {
            public Task AddAsync(PresenceEntry entry) => inner.AddAsync(entry);

            public Task<bool> FocusAsync(string connectionId, int meetingId, int? itemId) => inner.FocusAsync(connectionId, meetingId, itemId);

            public Task<PresenceEntry?> RemoveAsync(string connectionId, int meetingId) => inner.RemoveAsync(connectionId, meetingId);

            public async Task<IReadOnlyList<PresenceEntry>> RemoveConnectionAsync(string connectionId)
            {
                var meetings = await inner.RemoveConnectionAsync(connectionId);
                Interlocked.Exchange(ref seen._next, null)?.TrySetResult();
                return meetings;
            }

            public Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId) => inner.ListAsync(meetingId);
        }
    }

    /// <summary>Wraps the presence store so that, once armed, the next list of a room is read and then held until released.</summary>
    private sealed class OneListHeld
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public Task Reached => _reached.Task;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public void Release() => _release.TrySetResult();

        public void Wrap(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(IPresenceStore));
            services.Remove(original);
            services.AddSingleton<IPresenceStore>(sp => new Held(
                (IPresenceStore)(original.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)), this));
        }

        private sealed class Held(IPresenceStore inner, OneListHeld gate) : IPresenceStore
        {
            public Task AddAsync(PresenceEntry entry) => inner.AddAsync(entry);

            public Task<bool> FocusAsync(string connectionId, int meetingId, int? itemId) => inner.FocusAsync(connectionId, meetingId, itemId);

            public Task<PresenceEntry?> RemoveAsync(string connectionId, int meetingId) => inner.RemoveAsync(connectionId, meetingId);

            public Task<IReadOnlyList<PresenceEntry>> RemoveConnectionAsync(string connectionId) => inner.RemoveConnectionAsync(connectionId);

            public async Task<IReadOnlyList<PresenceEntry>> ListAsync(int meetingId)
            {
                var entries = await inner.ListAsync(meetingId);
                if (Interlocked.Exchange(ref gate._armed, 0) == 1)
                {
                    gate._reached.TrySetResult();
                    await gate._release.Task;
                }

                return entries;
            }
        }
    }
}
