using System.Collections.Immutable;
using BriefingRoom.Meetings;

namespace BriefingRoom.Voting;

public sealed record Reservation(ReservationKind Kind, string Text);

/// <summary>
/// One delegation's stance, as the decision rules read it. Member states listed here form the voting body;
/// a member state not listed does not take part (an Art. 238(3) TFEU subset such as the euro area), so a
/// full Council item lists all 27, with <see cref="Stance.NoPosition"/> for those that have not yet said.
/// </summary>
public sealed record DelegationStance(string Code, Stance Stance)
{
    public DelegationKind Kind { get; init; } = DelegationKind.MemberState;

    /// <summary>Required when <see cref="Stance"/> is <see cref="Stance.SupportWithReservation"/>.</summary>
    public Reservation? Reservation { get; init; }

    /// <summary>Voting rights suspended under Art. 7(3) TEU: the member state is not counted (Art. 354 TFEU).</summary>
    public bool VotingRightsSuspended { get; init; }

    /// <summary>A display name for institutions and guests; member states are named from <see cref="MemberStates"/>.</summary>
    public string? Name { get; init; }
}

public enum DecisionOutcome
{
    Adopted,
    NotAdopted,
    /// <summary>The outcome depends on member states that have not yet said.</summary>
    Pending,
    /// <summary>The item is for information: nothing is decided.</summary>
    NoDecision,
}

/// <summary>
/// How many member states hold a stance (codes in protocol order) and how many people they represent. The
/// percentages are of the participating member states and population, rounded to two decimals for display
/// only (decisions compare the integers); they are null for <see cref="Stance.NotTakingPart"/>, which is outside the voting body.
/// </summary>
public sealed record StanceTally(
    Stance Stance,
    int Members,
    ImmutableArray<string> Codes,
    long Population,
    decimal? MembersPercent,
    decimal? PopulationPercent);

/// <summary>What the rule requires, drawn from the rule and the participating member states. Members that do not apply to the rule are null.</summary>
public sealed record DecisionThresholds
{
    public required int ParticipatingMembers { get; init; }
    public required long ParticipatingPopulation { get; init; }
    public required bool AllMemberStatesTakePart { get; init; }

    /// <summary>Member states in favour required (QMV, reinforced QMV, simple majority).</summary>
    public int? MembersRequired { get; init; }
    public int? MembersPercent { get; init; }
    /// <summary>The "at least fifteen" of Art. 16(4) TEU, when all member states take part.</summary>
    public int? MinimumMembers { get; init; }

    /// <summary>The smallest population in favour that meets the population threshold.</summary>
    public long? PopulationRequired { get; init; }
    public int? PopulationPercent { get; init; }

    /// <summary>The fewest member states not in favour that can block a qualified majority on a proposal.</summary>
    public int? BlockingMinorityMembers { get; init; }

    /// <summary>Art. 31(1) TEU: formal abstainers block if they are at least this many member states...</summary>
    public int? ConstructiveAbstentionMembersToBlock { get; init; }
    /// <summary>... and hold at least this many people.</summary>
    public long? ConstructiveAbstentionPopulationToBlock { get; init; }

    public required string Description { get; init; }
}

public sealed record MemberStance(string Code, string Name, Stance Stance, long Population);

public sealed record StanceChange(string Code, string Name, Stance From, Stance To);

/// <summary>A smallest set of stance changes that would change the outcome, and the outcome it would give.</summary>
public sealed record FlipScenario(ImmutableArray<StanceChange> Changes, DecisionOutcome Outcome, string Description);

public sealed record MemberReservation(string Code, string Name, ReservationKind Kind, string Text);

/// <summary>A delegation the rule does not count, and why: an institution, a guest, or a member state whose voting rights are suspended.</summary>
public sealed record NotCountedDelegation(string Code, string Name, DelegationKind Kind, string Reason);

public sealed record PopulationBasis(int Year, string Source, PopulationFigureOrigin Origin, long UnionTotal);

public sealed record DecisionResult
{
    public required DecisionRule Rule { get; init; }
    /// <summary>The Treaty articles applied, e.g. "Art. 16(4) TEU".</summary>
    public required string Basis { get; init; }
    public required DecisionOutcome Outcome { get; init; }
    /// <summary>Why, in plain words: which threshold failed, who blocks, who has not yet said.</summary>
    public required string Reason { get; init; }
    public required DecisionThresholds Thresholds { get; init; }
    /// <summary>One tally per stance, in the order of <see cref="Stance"/>, including empty ones.</summary>
    public required ImmutableArray<StanceTally> Tallies { get; init; }
    /// <summary>Who stops adoption when the outcome is <see cref="DecisionOutcome.NotAdopted"/>, largest population first.</summary>
    public required ImmutableArray<MemberStance> Blockers { get; init; }
    public required ImmutableArray<FlipScenario> Flips { get; init; }
    public required ImmutableArray<MemberReservation> Reservations { get; init; }
    public required ImmutableArray<NotCountedDelegation> NotCounted { get; init; }
    /// <summary>What a chair should know beyond the outcome: who is not bound, which figures are approximations, who is outside the vote.</summary>
    public required ImmutableArray<string> Notes { get; init; }
    public required PopulationBasis Population { get; init; }
}
