using Microsoft.AspNetCore.SignalR.Client;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// A hub connection as the meetings page holds one (joined to no meeting), counting what it is told of the lists a page
/// reads again: <c>MeetingsChanged</c>, and <c>InvitationsChanged</c> with the meeting it names.
/// </summary>
public sealed class ListsListener : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly string _who;
    private readonly SemaphoreSlim _told = new(0);
    private readonly List<int> _invitations = [];
    private int _meetings;

    private ListsListener(HubConnection hub, string who)
    {
        _hub = hub;
        _who = who;
        hub.On("MeetingsChanged", () =>
        {
            Interlocked.Increment(ref _meetings);
            _told.Release();
        });
        hub.On<int>("InvitationsChanged", meetingId =>
        {
            lock (_invitations)
            {
                _invitations.Add(meetingId);
            }

            _told.Release();
        });
    }

    public static async Task<ListsListener> ConnectAsync(BriefingApp app, string who)
    {
        var listener = new ListsListener(app.NewHubConnection(await app.TokenForAsync(who)), who);
        await listener._hub.StartAsync(TestContext.Current.CancellationToken);
        return listener;
    }

    public int MeetingsTold => Volatile.Read(ref _meetings);

    /// <summary>The meetings each <c>InvitationsChanged</c> named, in the order told.</summary>
    public IReadOnlyList<int> InvitationsTold
    {
        get
        {
            lock (_invitations)
            {
                return [.. _invitations];
            }
        }
    }

    public Task WaitForMeetingsAsync(int count, string what) => WaitAsync(() => MeetingsTold >= count, what);

    public Task WaitForInvitationsAsync(int count, string what) => WaitAsync(() => InvitationsTold.Count >= count, what);

    private async Task WaitAsync(Func<bool> done, string what)
    {
        while (!done())
        {
            Assert.True(await _told.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken),
                $"{_who}: {what} (told of the meetings {MeetingsTold} times, of invitations {InvitationsTold.Count} times)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        _told.Dispose();
    }
}
