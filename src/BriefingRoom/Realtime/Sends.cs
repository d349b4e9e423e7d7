namespace BriefingRoom.Realtime;

/// <summary>
/// Sends to SignalR groups are never awaited where people are waiting (a stuck client must not hold anyone up);
/// this makes sure a failed one is logged rather than left as an unobserved task.
/// </summary>
public static partial class Sends
{
    /// <summary>Logs the send should it fail, and then calls <paramref name="failed"/> (a sender that must send again then).</summary>
    public static void Observe(Task send, ILogger log, int meetingId, string what, long? seq = null, Action? failed = null)
    {
        if (!send.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(send, log, meetingId, what, seq, failed);
        }
    }

    private static async Task ObserveAsync(Task send, ILogger log, int meetingId, string what, long? seq, Action? failed)
    {
        try
        {
            await send;
        }
        catch (Exception ex)
        {
            LogSendFailed(log, ex, meetingId, what, seq);
            failed?.Invoke();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId}: sending {What} {Seq} failed; clients catch up or take the next one")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, int meetingId, string what, long? seq);
}
