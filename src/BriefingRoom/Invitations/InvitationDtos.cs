using System.ComponentModel.DataAnnotations;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Meetings;

namespace BriefingRoom.Invitations;

public sealed record CreateInvitationRequest(
    [property: Required, EmailAddress, StringLength(256)] string Email,
    [property: Required, OneLine, StringLength(Limits.ShortText, MinimumLength = 1)] string DisplayName,
    [property: Required] MeetingRole? Role,
    [property: StringLength(Limits.Code)] string? DelegationCode);

/// <summary>
/// An invitation as those who invite see it. <see cref="Link"/> is there only when no e-mail was sent (Development
/// without an SMTP server): then the inviter passes the link on; otherwise only the invitee ever sees it.
/// </summary>
public sealed record InvitationDto(
    int Id, string Email, string DisplayName, MeetingRole Role, string? DelegationCode, InvitationState State,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt, string? Link)
{
    public static InvitationDto From(Invitation i, DateTimeOffset now, string? link = null) =>
        new(i.Id, i.Email, i.DisplayName, i.Role, i.DelegationCode, i.StateAt(now), i.CreatedAt, i.CreatedByName, i.ExpiresAt, i.AcceptedAt, link);
}

public sealed record InvitationTokenRequest([property: Required, StringLength(200, MinimumLength = 1)] string Token);

public sealed record AcceptInvitationRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Token,
    [property: StringLength(Identity.PasswordLengthLimit.Max)] string? Password);

/// <summary>
/// What the holder of a valid link is offered. <see cref="HasAccount"/> says whether to choose a password or enter
/// the existing one: only the holder of the link, who controls that mailbox, learns it. An account registered without
/// proving the address does not count (accepting replaces it).
/// </summary>
public sealed record InvitationPreviewDto(
    string Email, string DisplayName, MeetingRole Role, string? DelegationCode, string? DelegationName,
    int MeetingId, string MeetingTitle, string DocumentNumber, DateOnly MeetingDate, string InvitedBy, DateTimeOffset ExpiresAt, bool HasAccount);

public sealed record AcceptedInvitationDto(int MeetingId, int MembershipId, MeetingRole Role, string? DelegationCode, string Name);
