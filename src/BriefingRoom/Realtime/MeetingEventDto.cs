using System.Text.Json;

namespace BriefingRoom.Realtime;

/// <summary>An event as clients receive it, live or when catching up. Clients apply events in <see cref="Seq"/> order.</summary>
public sealed record MeetingEventDto(int MeetingId, long Seq, string Type, int? ItemId, object Payload, string ActorId, string Actor, DateTimeOffset At)
{
    public static MeetingEventDto From(MeetingEvent e, object payload) =>
        new(e.MeetingId, e.Seq, e.Type, e.ItemId, payload, e.ActorUserId, e.ActorName, e.OccurredAt);

    public static MeetingEventDto FromStored(MeetingEvent e) =>
        From(e, JsonDocument.Parse(e.Payload).RootElement.Clone());
}
