namespace BriefingRoom.Meetings;

public enum MeetingRole
{
    Chair,
    Secretariat,
    Delegate,
    Observer,
}

/// <summary>A user's access to one meeting, granted by a chair or an admin. The only way into a meeting.</summary>
public class Membership
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public int MeetingId { get; set; }
    public MeetingRole Role { get; set; }
    /// <summary>The delegation a delegate speaks for (required for delegates); an observer of a guest delegation sees only that guest's items.</summary>
    public string? DelegationCode { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
    public required string GrantedBy { get; set; }
}
