using System.ComponentModel.DataAnnotations;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Voting;

namespace BriefingRoom.Positions;

/// <summary>
/// A delegation's stance on an item. The position's text travels apart, as a text document. The reservation's paragraph
/// follows the draft's paragraphs as they are added and removed; <see cref="ReservationParagraphDeleted"/> says that all
/// its words were deleted (the paragraph is then null, and the conclusions are not exported until it is restated).
/// </summary>
public sealed record PositionDto(
    int ItemId, string DelegationCode, Stance Stance, ReservationKind? ReservationKind, string? ReservationText,
    int Version, string UpdatedBy, DateTimeOffset UpdatedAt, bool RecordedOnBehalf, int? ReservationParagraph = null,
    bool ReservationParagraphDeleted = false)
{
    public static PositionDto From(Position p) => new(
        p.ItemId, p.DelegationCode, p.Stance, p.ReservationKind, p.ReservationText,
        p.Version, p.UpdatedByName, p.UpdatedAt, p.RecordedOnBehalf, p.ReservationParagraph, p.ReservationParagraphDeleted);

    /// <summary>The position of a delegation that has not said anything yet.</summary>
    public static PositionDto None(int itemId, string delegationCode) =>
        new(itemId, delegationCode, Stance.NoPosition, null, null, 0, "", DateTimeOffset.MinValue, false);
}

/// <summary>
/// A stance and its reservation. REST and the hub's SetPosition both hand it to <see cref="PositionService"/>, whose
/// validation is the one that counts (the hub runs no data annotations); the annotations describe it for OpenAPI.
/// <see cref="ReservationParagraph"/> names the paragraph of the item's draft the reservation applies to, numbered
/// from 1 as <see cref="Drafting.DraftParagraphs"/> counts them; null applies it to the whole text.
/// </summary>
public sealed record PutPositionRequest(
    [property: Required] Stance? Stance,
    ReservationKind? ReservationKind,
    [property: Legible, StringLength(Limits.Reason)] string? ReservationText,
    [property: Required] int? ExpectedVersion,
    int? ReservationParagraph = null);
