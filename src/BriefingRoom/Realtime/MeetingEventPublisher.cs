using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Realtime;

/// <summary>
/// Pushes committed events to the meeting's groups without waiting for any client: a slow or stuck
/// connection must never hold up the change that produced the event, nor the others' copies.
/// Clients order by sequence number and fetch what they miss, so a dropped send loses nothing.
/// </summary>
public sealed partial class MeetingEventPublisher(IHubContext<BriefingHub, IBriefingClient> hub, ILogger<MeetingEventPublisher> log)
{
    public void Publish(MeetingEventDto e, IReadOnlyCollection<string>? guestAudience)
    {
        var send = hub.Clients.Groups(MeetingGroups.For(e.MeetingId, guestAudience)).MeetingEvent(e);
        if (!send.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(send, e);
        }
    }

    private async Task ObserveAsync(Task send, MeetingEventDto e)
    {
        try
        {
            await send;
        }
        catch (Exception ex)
        {
            LogSendFailed(log, ex, e.MeetingId, e.Seq);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: pushing event {Seq} failed; clients will catch up")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, int meetingId, long seq);
}
