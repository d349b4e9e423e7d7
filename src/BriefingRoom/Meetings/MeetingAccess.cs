using BriefingRoom.Agenda;

namespace BriefingRoom.Meetings;

/// <summary>Who is calling, as the authentication layer established it. Never taken from a request body.</summary>
[Orleans.Immutable]
public sealed record Caller(string UserId, string Name, bool IsAdmin);

/// <summary>
/// What one caller may do in one meeting. Built from the caller's membership (or the global Admin role);
/// every endpoint and hub method asks it before touching the meeting.
/// </summary>
[Orleans.Immutable]
public sealed record MeetingAccess(int MeetingId, Caller Caller, MeetingRole Role, string? DelegationCode, DelegationKind? DelegationKind)
{
    public bool IsChair => Role == MeetingRole.Chair || Caller.IsAdmin;
    public bool IsSecretariat => Role == MeetingRole.Secretariat;

    /// <summary>A guest delegation's people see only the items their delegation is invited to.</summary>
    public bool IsGuest => DelegationKind == Meetings.DelegationKind.Guest && !IsChair;

    public bool CanManageAgenda => IsChair;
    public bool CanLock => IsChair;
    public bool CanManageParticipants => IsChair;
    public bool CanManageMemberships => IsChair;
    public bool CanSeeMemberships => IsChair || IsSecretariat;

    /// <summary>The chair and the secretariat seat people by invitation (only an admin seats a chair).</summary>
    public bool CanInvite => IsChair || IsSecretariat;
    public bool CanRecordOnBehalf => IsChair || IsSecretariat;
    public bool CanExport => IsChair || IsSecretariat;

    /// <summary>The chair, the secretariat and member-state or institution delegates draft conclusions; guests and observers read.</summary>
    public bool CanEditDrafts => IsChair || IsSecretariat || (Role == MeetingRole.Delegate && !IsGuest);

    public bool CanSee(AgendaItem item) => !IsGuest || item.Guests.Any(g => g.DelegationCode == DelegationCode);

    /// <summary>A delegate writes only its own delegation's position; the chair and the secretariat may record any on its behalf.</summary>
    public bool CanWritePosition(string delegationCode) =>
        CanRecordOnBehalf || (Role == MeetingRole.Delegate && string.Equals(DelegationCode, delegationCode, StringComparison.Ordinal));

    public bool WritesOnBehalfOf(string delegationCode) =>
        !(Role == MeetingRole.Delegate && string.Equals(DelegationCode, delegationCode, StringComparison.Ordinal));
}
