using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Realtime;

/// <summary>
/// Pushes committed events to the meeting's groups without waiting for any client: a slow or stuck
/// connection must never hold up the change that produced the event, nor the others' copies.
/// Clients order by sequence number and fetch what they miss, so a dropped send loses nothing.
/// </summary>
public sealed class MeetingEventPublisher(IHubContext<BriefingHub, IBriefingClient> hub, ILogger<MeetingEventPublisher> log)
{
    public void Publish(MeetingEventDto e, IReadOnlyCollection<string>? guestAudience) =>
        Sends.Observe(hub.Clients.Groups(MeetingGroups.For(e.MeetingId, guestAudience)).MeetingEvent(e), log, e.MeetingId, "event", e.Seq);
}
