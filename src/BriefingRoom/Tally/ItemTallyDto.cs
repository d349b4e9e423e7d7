using System.Collections.Immutable;
using System.Text.Json.Serialization;
using BriefingRoom.Voting;

namespace BriefingRoom.Tally;

/// <summary>
/// Where an item stands under its decision rule, as the room shows it: the item's id and every field of the
/// <see cref="DecisionResult"/> (outcome, reason, thresholds, tallies per stance, blockers, flips, reservations,
/// who is not counted, notes, the population table used). The calculator answers with the same fields, without the id.
/// <see cref="PositionsWithheld"/>: a guest's view, with the outcome in words and nobody's stance (see <see cref="Positions.GuestView"/>).
/// </summary>
public sealed record ItemTallyDto(
    int ItemId,
    DecisionRule Rule,
    string Basis,
    DecisionOutcome Outcome,
    string Reason,
    DecisionThresholds Thresholds,
    ImmutableArray<StanceTally> Tallies,
    ImmutableArray<MemberStance> Blockers,
    ImmutableArray<FlipScenario> Flips,
    ImmutableArray<MemberReservation> Reservations,
    ImmutableArray<NotCountedDelegation> NotCounted,
    ImmutableArray<string> Notes,
    PopulationBasis Population,
    bool PositionsWithheld = false)
{
    public static ItemTallyDto From(int itemId, DecisionResult r) => new(
        itemId, r.Rule, r.Basis, r.Outcome, r.Reason, r.Thresholds, r.Tallies, r.Blockers, r.Flips,
        r.Reservations, r.NotCounted, r.Notes, r.Population);

    /// <summary>
    /// The basis and thresholds a guest is shown (<see cref="Positions.GuestView.ForGuests(ItemTallyDto)"/>): those of the
    /// voting body as the room knows it (the member states taking part in the meeting, less any suspended), not shrunk by a
    /// member state's stance "not taking part", which is a stance the guest may not see. Null when they are the same.
    /// Never sent: a guest's copy carries them in place of <see cref="Basis"/> and <see cref="Thresholds"/>.
    /// </summary>
    [JsonIgnore]
    public (string Basis, DecisionThresholds Thresholds)? ForGuestsWithoutStances { get; init; }
}

/// <summary>The payload of a "tally.changed" event: the item's whole new tally, so that replaying it is harmless.</summary>
public sealed record TallyChangedDto(int ItemId, ItemTallyDto Tally);
