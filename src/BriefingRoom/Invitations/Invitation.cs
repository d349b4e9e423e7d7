using BriefingRoom.Meetings;

namespace BriefingRoom.Invitations;

public enum InvitationState
{
    Pending,
    Accepted,
    Expired,
    Withdrawn,
}

/// <summary>
/// A seat offered to an e-mail address: role, delegation and the name the room will see. The link that accepts it
/// carries a random token; only the token's SHA-256 is stored, so a copy of the database opens no seat.
/// </summary>
public class Invitation
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public MeetingRole Role { get; set; }
    public string? DelegationCode { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedByUserId { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public string? AcceptedByUserId { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawnByName { get; set; }

    public InvitationState StateAt(DateTimeOffset now) =>
        AcceptedAt is not null ? InvitationState.Accepted
        : WithdrawnAt is not null ? InvitationState.Withdrawn
        : ExpiresAt <= now ? InvitationState.Expired
        : InvitationState.Pending;
}
