using System.ComponentModel.DataAnnotations;
using BriefingRoom.Data;
using BriefingRoom.Voting;

namespace BriefingRoom.Tally;

/// <summary>
/// A "what if" for the stateless calculator. The member states listed form the voting body (list all 27 for the full
/// Council; a subset such as the euro area otherwise); guests are listed as not counted.
/// </summary>
public sealed record EvaluateRequest(
    [property: Required] DecisionRule? Rule,
    [property: Required] int? Year,
    [property: Required] IReadOnlyList<EvaluateMemberRequest>? Members,
    IReadOnlyList<EvaluateGuestRequest>? Guests);

public sealed record EvaluateMemberRequest(
    [property: Required, StringLength(Limits.Code, MinimumLength = 1)] string Code,
    [property: Required] Stance? Stance,
    ReservationKind? ReservationKind,
    [property: StringLength(Limits.Reason)] string? ReservationText,
    bool? VotingRightsSuspended);

public sealed record EvaluateGuestRequest(
    [property: Required, StringLength(Limits.Code, MinimumLength = 1)] string Code,
    [property: StringLength(Limits.ShortText)] string? Name,
    [property: Required] Stance? Stance);
