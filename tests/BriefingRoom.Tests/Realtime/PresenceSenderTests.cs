using BriefingRoom.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Realtime;

/// <summary>
/// Presence has one sender per meeting, the meeting's grain, wherever it runs: two instances sending each their own
/// deltas to the same room could deliver an older list after a newer one, and a page would show it until the next send.
/// The first instance's presence store is wrapped (<see cref="PresenceListGate"/>) so that a test can hold the next list
/// of the room that instance reads until the room has moved on.
/// </summary>
public sealed class ScaleOutPresenceOrderTests : TwoInstancesTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly PresenceListGate _gate = new();

    protected override BriefingApp ConfigureFirst(BriefingApp instance) => instance.WithServices(_gate.Wrap);

    [Fact]
    public async Task AnOlderPresenceListFromOneInstanceDoesNotUndoANewerMoveShownByTheOther()
    {
        // Germany joins first, through B: the meeting's grain starts there. The watcher is on B too.
        await using var germany = await RoomClient.JoinAsync(B, "de");
        await using var watcher = await RoomClient.JoinAsync(B, "observer");
        await germany.Hub.InvokeAsync("Focus", 1, (int?)1, Ct);
        await watcher.WaitUntilAsync(c => ItemsOf(c, "DE") == "1", "the watcher sees Germany on item 1");

        // Italy joins through A. The next list of the room that A reads is held once read (Germany still on item 1).
        _gate.Arm();
        await using var italy = await RoomClient.JoinAsync(A, "it");

        // Germany turns to item 2, through B; the watcher is told.
        await germany.Hub.InvokeAsync("Focus", 1, (int?)2, Ct);
        await watcher.WaitUntilAsync(c => ItemsOf(c, "DE") == "2" && ItemsOf(c, "IT") is not null, "the watcher sees Germany on item 2, and Italy");

        // Whatever A held goes now; then Spain joins through B, and once the watcher sees Spain, Germany is still on item 2.
        _gate.Release();
        await using var spain = await RoomClient.JoinAsync(B, "es");
        await watcher.WaitUntilAsync(c => ItemsOf(c, "ES") is not null, "the watcher sees Spain");
        Assert.Equal("2", ItemsOf(watcher, "DE"));
    }

    /// <summary>The items a delegation's person is shown on, as "1,2" (null: not in the room).</summary>
    internal static string? ItemsOf(RoomClient client, string delegationCode) =>
        client.Presence?.Users.FirstOrDefault(u => u.DelegationCode == delegationCode) is { } user ? string.Join(",", user.ItemIds) : null;
}

/// <summary>The one sender of a meeting's presence is the meeting's grain: a new activation knows nothing of what the pages were sent.</summary>
public sealed class PresenceSenderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SomeoneWhoLeavesWhileTheMeetingStartsAgainInMemoryIsGoneFromTheOthersPages()
    {
        await using var app = new BriefingApp(realSockets: true);
        await using var watcher = await RoomClient.JoinAsync(app, "observer");
        await using var france = await RoomClient.JoinAsync(app, "fr");
        await watcher.WaitUntilAsync(c => ScaleOutPresenceOrderTests.ItemsOf(c, "FR") is not null, "the watcher sees France");

        // The meeting's grain goes from memory; France's leaving starts it again, and the new one sends presence first.
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<Live.IMeetingGrain>(1)
            .Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle(Ct);
        await france.Hub.InvokeAsync("LeaveMeeting", 1, Ct);

        await watcher.WaitUntilAsync(c => ScaleOutPresenceOrderTests.ItemsOf(c, "FR") is null, "the watcher no longer sees France");
    }
}
