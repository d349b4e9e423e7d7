using System.ComponentModel.DataAnnotations;
using BriefingRoom.Data;
using BriefingRoom.Voting;

namespace BriefingRoom.Positions;

/// <summary>A delegation's stance on an item. The position's text travels apart, as a text document.</summary>
public sealed record PositionDto(
    int ItemId, string DelegationCode, Stance Stance, ReservationKind? ReservationKind, string? ReservationText,
    int Version, string UpdatedBy, DateTimeOffset UpdatedAt, bool RecordedOnBehalf)
{
    public static PositionDto From(Position p) => new(
        p.ItemId, p.DelegationCode, p.Stance, p.ReservationKind, p.ReservationText,
        p.Version, p.UpdatedByName, p.UpdatedAt, p.RecordedOnBehalf);

    /// <summary>The position of a delegation that has not said anything yet.</summary>
    public static PositionDto None(int itemId, string delegationCode) =>
        new(itemId, delegationCode, Stance.NoPosition, null, null, 0, "", DateTimeOffset.MinValue, false);
}

public sealed record PutPositionRequest(
    [property: Required] Stance? Stance,
    ReservationKind? ReservationKind,
    [property: StringLength(Limits.Reason)] string? ReservationText,
    [property: Required] int? ExpectedVersion);
