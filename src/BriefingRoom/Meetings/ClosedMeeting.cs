using BriefingRoom.Realtime;

namespace BriefingRoom.Meetings;

/// <summary>
/// A closed meeting's record stops moving, as an agreed item's texts do: nothing in it changes (texts, positions,
/// agenda, proposals, coalitions, silence procedures, roster) until the chair reopens it. Which changes go on regardless
/// is each change's own word (<see cref="MeetingChange{T}.GoesOnWhenClosed"/>); the meeting's grain asks before it runs
/// any change and before it accepts any text operation.
/// </summary>
public static class ClosedMeeting
{
    public static LockedRefusal Refusal() => new(
        "The meeting is closed: its texts, positions, agenda, proposals and coalitions no longer change. The documents can still be exported; the chair can reopen the meeting to change anything.")
    {
        Title = "The meeting is closed",
    };
}
