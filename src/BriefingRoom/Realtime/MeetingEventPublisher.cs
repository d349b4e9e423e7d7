using Microsoft.AspNetCore.SignalR;

namespace BriefingRoom.Realtime;

/// <summary>
/// Committed events as clients receive them: one message per group commit. <see cref="From"/> is the sequence number the
/// previous batch ended at, <see cref="UpTo"/> the last number this one covers; <see cref="Events"/> are the ones the
/// recipient may see (a guest's batch leaves out events about items it is not invited to). A client whose last number is
/// <see cref="From"/> or later applies the events it lacks and moves to <see cref="UpTo"/>; one further behind catches up first.
/// </summary>
public sealed record EventBatchDto(int MeetingId, long From, long UpTo, IReadOnlyList<MeetingEventDto> Events);

/// <summary>
/// Pushes committed events to the meeting's groups without waiting for any client: a slow or stuck connection must
/// never hold up the change that produced the event, nor the others' copies. Members get each batch whole (one
/// serialization, one send per connection); each guest delegation present gets its own filtered batch, even when it is
/// empty, so that its numbers stay contiguous and it never has to ask what it missed.
/// </summary>
public sealed class MeetingEventPublisher(IHubContext<BriefingHub, IBriefingClient> hub, ILogger<MeetingEventPublisher> log)
{
    public void Publish(int meetingId, long from, IReadOnlyList<(MeetingEventDto Event, IReadOnlyCollection<string>? Audience)> events, IEnumerable<string> guestCodes, Func<int, bool> guestsSeePositions)
    {
        if (events.Count == 0)
        {
            return;
        }

        var upTo = events[^1].Event.Seq;
        var all = new MeetingEventDto[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            all[i] = events[i].Event;
        }

        Sends.Observe(hub.Clients.Group(MeetingGroups.Members(meetingId)).MeetingEvents(new EventBatchDto(meetingId, from, upTo, all)), log, meetingId, "events", upTo);
        foreach (var code in guestCodes)
        {
            var theirs = events.Where(e => e.Audience is null || e.Audience.Contains(code)).Select(e => Positions.GuestView.ForGuests(e.Event, guestsSeePositions)).ToArray();
            Sends.Observe(hub.Clients.Group(MeetingGroups.Guest(meetingId, code)).MeetingEvents(new EventBatchDto(meetingId, from, upTo, theirs)), log, meetingId, "events", upTo);
        }
    }

    /// <summary>
    /// Tells <paramref name="userIds"/> (and every administrator, when <paramref name="admins"/>) that their list of meetings
    /// changed with meeting <paramref name="meetingId"/>: see <see cref="IBriefingClient.MeetingsChanged"/>.
    /// </summary>
    public void MeetingsChanged(int meetingId, IReadOnlyList<string> userIds, bool admins)
    {
        if (userIds.Count > 0)
        {
            Sends.Observe(hub.Clients.Users(userIds).MeetingsChanged(), log, meetingId, "a change of the meetings list");
        }

        if (admins)
        {
            Sends.Observe(hub.Clients.Group(MeetingGroups.Admins).MeetingsChanged(), log, meetingId, "a change of the meetings list");
        }
    }

    /// <summary>Tells the meeting's inviters, <paramref name="inviters"/> and every administrator: see <see cref="IBriefingClient.InvitationsChanged"/>.</summary>
    public void InvitationsChanged(int meetingId, IReadOnlyList<string> inviters)
    {
        Sends.Observe(hub.Clients.Users(inviters).InvitationsChanged(meetingId), log, meetingId, "a change of the invitations");
        Sends.Observe(hub.Clients.Group(MeetingGroups.Admins).InvitationsChanged(meetingId), log, meetingId, "a change of the invitations");
    }
}
