using System.ComponentModel.DataAnnotations;
using BriefingRoom.Api;
using BriefingRoom.Data;

namespace BriefingRoom.Meetings;

public sealed record CreateMeetingRequest(
    [property: Required, Legible, OneLine, StringLength(Limits.Title, MinimumLength = 1)] string Title,
    [property: Required] MeetingKind? Kind,
    [property: Required, MeetingDate] DateOnly? Date,
    [property: Required, Legible, OneLine, StringLength(Limits.ShortText, MinimumLength = 1)] string Place,
    [property: Required, Legible, OneLine, StringLength(Limits.ShortText, MinimumLength = 1)] string DocumentNumber,
    [property: Legible, OneLine, StringLength(Limits.ShortText)] string? DistributionMarking,
    Positions.ReservationAttribution? ReservationAttribution = null);

/// <summary>The meeting's own fields. <see cref="ReservationAttribution"/> left out keeps the current choice.</summary>
public sealed record UpdateMeetingRequest(
    [property: Required, Legible, OneLine, StringLength(Limits.Title, MinimumLength = 1)] string Title,
    [property: Required, MeetingDate] DateOnly? Date,
    [property: Required, Legible, OneLine, StringLength(Limits.ShortText, MinimumLength = 1)] string Place,
    [property: Required, Legible, OneLine, StringLength(Limits.ShortText, MinimumLength = 1)] string DocumentNumber,
    [property: Required] MeetingStatus? Status,
    [property: Legible, OneLine, StringLength(Limits.ShortText)] string? DistributionMarking,
    [property: Required] int? ExpectedVersion,
    Positions.ReservationAttribution? ReservationAttribution = null);

public sealed record AddParticipantRequest(
    [property: Required, StringLength(Limits.Code, MinimumLength = 1)] string DelegationCode,
    [property: Legible, OneLine, StringLength(Limits.ShortText)] string? HeadOfDelegation);

/// <summary>The participant's flags at <see cref="ExpectedVersion"/>: one read before a suspension was lifted must not re-impose it.</summary>
public sealed record UpdateParticipantRequest(
    [property: Legible, OneLine, StringLength(Limits.ShortText)] string? HeadOfDelegation,
    // Required: a missing field must not read as false and give a suspended member state its vote back.
    [property: Required] bool? VotingRightsSuspended,
    [property: Required, Range(0, int.MaxValue)] int? ExpectedVersion);

/// <summary>A seat in the meeting. <see cref="Email"/> only for those who seat people (chair, admin); everyone else sees the name.</summary>
public sealed record MembershipDto(int Id, string UserId, string? Email, string Name, MeetingRole Role, string? DelegationCode, DateTimeOffset GrantedAt);

/// <summary>A membership as the room hears of it: who, in what role; no e-mail address.</summary>
public sealed record MembershipEventDto(int Id, string Name, MeetingRole Role, string? DelegationCode);

public sealed record CreateDelegationRequest(
    [property: Required, RegularExpression("^[A-Z]{2,8}$", ErrorMessage = "A code is 2 to 8 capital letters.")] string Code,
    [property: Required, Legible, OneLine, StringLength(Limits.ShortText, MinimumLength = 1)] string Name,
    [property: Required] DelegationKind? Kind);

/// <summary>What a client missed: the events after its sequence number that it may see, and the number it is now current to.
/// When it missed too much, <see cref="Reset"/> says to reload the snapshot instead.</summary>
public sealed record EventsPage(IReadOnlyList<Realtime.MeetingEventDto> Events, long UpTo, bool Reset);

/// <summary>
/// A meeting's date is one a meeting of the Council could have: from 1 January 1950 to 31 December 2100. A year typed as
/// "0225" or "2225" was taken as it came and printed on the conclusions' cover, and picked the population table by it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MeetingDateAttribute : ValidationAttribute
{
    public static readonly DateOnly Earliest = new(1950, 1, 1);
    public static readonly DateOnly Latest = new(2100, 12, 31);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is DateOnly date && (date < Earliest || date > Latest)
            ? new ValidationResult($"A meeting's date is between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}; {date:yyyy-MM-dd} is not: check the year.")
            : ValidationResult.Success;
}
