using System.Collections.Immutable;

namespace BriefingRoom.Voting;

/// <summary>A participating member state: one with voting rights that takes part in this vote.</summary>
internal sealed record Voter(string Code, string Name, long Population, Stance Stance);

/// <summary>
/// The arithmetic of one rule over one voting body, in integers only: member counts and population
/// integers, compared by cross-multiplication so that exactly 65.00% passes and 64.99...% does not.
/// Percentages appear only in words and display fields, never in a comparison.
/// </summary>
internal sealed class Ballot
{
    public Ballot(DecisionRule rule, ImmutableArray<Voter> voters)
    {
        Rule = rule;
        Voters = voters;
        Members = voters.Length;
        Population = voters.Sum(v => v.Population);
        AllMemberStatesTakePart = Members == MemberStates.Count;
        ByPopulation = [.. Enumerable.Range(0, Members)
            .OrderByDescending(i => voters[i].Population)
            .ThenBy(i => MemberStates.ProtocolIndex(voters[i].Code))];

        switch (rule)
        {
            case DecisionRule.QualifiedMajority:
                // Art. 16(4) TEU: at least 55% of the members, comprising at least fifteen of them.
                // Art. 238(3)(a) TFEU, when not all take part: 55% of the participating members (no "fifteen").
                MembersPercent = 55;
                MinimumMembers = AllMemberStatesTakePart ? 15 : null;
                MembersRequired = Math.Max(CeilingPercent(Members, 55), MinimumMembers ?? 0);
                PopulationPercent = 65;
                // Art. 16(4) TEU: a blocking minority must include at least four Council members.
                // Art. 238(3)(a) TFEU: at least the minimum number of members representing more than 35% of the
                // participating population, plus one.
                BlockingMinorityMembers = AllMemberStatesTakePart ? 4 : FewestHoldingMoreThan35Percent() + 1;
                break;
            case DecisionRule.ReinforcedQualifiedMajority:
                // Art. 238(2) TFEU (all take part) and Art. 238(3)(b) TFEU (a subset): 72% of the members,
                // 65% of the population. Neither paragraph has a blocking-minority clause.
                MembersPercent = 72;
                MembersRequired = CeilingPercent(Members, 72);
                PopulationPercent = 65;
                break;
            case DecisionRule.SimpleMajority:
                // Art. 238(1) TFEU: a majority of the component members, i.e. more than half of those that vote.
                MembersRequired = Members / 2 + 1;
                break;
        }
        if (PopulationPercent is { } percent)
        {
            PopulationRequired = CeilingPercent(Population, percent);
        }
    }

    public DecisionRule Rule { get; }
    public ImmutableArray<Voter> Voters { get; }
    public int Members { get; }
    public long Population { get; }
    public bool AllMemberStatesTakePart { get; }
    /// <summary>Voter indices, largest population first, then protocol order: the deterministic order of every search.</summary>
    public ImmutableArray<int> ByPopulation { get; }

    public int? MembersPercent { get; }
    public int? MinimumMembers { get; }
    public int? MembersRequired { get; }
    public int? PopulationPercent { get; }
    public long? PopulationRequired { get; }
    public int? BlockingMinorityMembers { get; }

    /// <summary>Art. 31(1) TEU: at least one third of the member states.</summary>
    public int ConstructiveAbstentionMembersToBlock => (Members + 2) / 3;

    /// <summary>Art. 31(1) TEU: at least one third of the population.</summary>
    public long ConstructiveAbstentionPopulationToBlock => (Population + 2) / 3;

    public static bool IsInFavour(Stance stance) => stance is Stance.Support or Stance.SupportWithReservation;

    /// <summary>
    /// Adopted, not adopted, or pending: pending when the members that have not yet said could still
    /// decide either way. Every rule is monotone (a move towards support never hurts adoption), so it is
    /// enough to try all of them supporting and all of them opposing.
    /// </summary>
    public DecisionOutcome OutcomeOf(ReadOnlySpan<Stance> stances)
    {
        if (Rule == DecisionRule.ForInformation)
        {
            return DecisionOutcome.NoDecision;
        }
        var best = Passes(Count(stances, Stance.Support));
        var worst = Passes(Count(stances, Stance.Oppose));
        return (best, worst) switch
        {
            (true, true) => DecisionOutcome.Adopted,
            (false, false) => DecisionOutcome.NotAdopted,
            _ => DecisionOutcome.Pending,
        };
    }

    public Counts Count(ReadOnlySpan<Stance> stances, Stance undecidedAs)
    {
        var counts = new Counts();
        for (var i = 0; i < stances.Length; i++)
        {
            var stance = stances[i] == Stance.NoPosition ? undecidedAs : stances[i];
            var population = Voters[i].Population;
            if (IsInFavour(stance))
            {
                counts.InFavour++;
                counts.InFavourPopulation += population;
            }
            else if (stance == Stance.Oppose)
            {
                counts.Opposed++;
            }
            else if (stance == Stance.AbstainConstructively)
            {
                counts.Constructive++;
                counts.ConstructivePopulation += population;
            }
        }
        return counts;
    }

    public bool Passes(Counts c)
    {
        if (Members == 0)
        {
            return false;
        }
        return Rule switch
        {
            // Art. 15(4) TEU: the European Council decides by consensus; any objection blocks. Its President and the
            // Commission's President do not vote (Art. 235(1) TFEU) and never reach this list. Abstentions do not block
            // (Art. 235(1) TFEU, third subparagraph), but a decision needs someone in favour.
            DecisionRule.Consensus => c.Opposed == 0 && c.InFavour > 0,
            // Art. 238(4) TFEU: abstentions by members present or represented do not prevent adoption; an objection does.
            // A formal (constructive) abstention is an abstention here: it has no effect of its own outside Art. 31(1) TEU.
            DecisionRule.Unanimity => c.Opposed == 0 && c.InFavour > 0,
            // Art. 31(1) TEU: formal abstainers are not bound, but if they are at least one third of the member states
            // comprising at least one third of the population, the decision is not adopted. Both thirds are taken of the
            // participating member states (Art. 354 TFEU leaves a suspended member state out of the count).
            DecisionRule.UnanimityWithConstructiveAbstention =>
                c.Opposed == 0 && c.InFavour > 0 && !ConstructiveAbstentionBlocks(c),
            // Art. 16(4) TEU / Art. 238(3)(a) TFEU. Abstaining or not saying counts as not in favour. The blocking-minority
            // clause rescues a failing population threshold only: the members' threshold always applies (with all 27 taking
            // part it is met anyway whenever fewer than four are not in favour).
            DecisionRule.QualifiedMajority =>
                c.InFavour >= MembersRequired!.Value
                && (MeetsPopulation(c) || Members - c.InFavour < BlockingMinorityMembers!.Value),
            // Art. 238(2) TFEU / Art. 238(3)(b) TFEU.
            DecisionRule.ReinforcedQualifiedMajority => c.InFavour >= MembersRequired!.Value && MeetsPopulation(c),
            // Art. 238(1) TFEU.
            DecisionRule.SimpleMajority => c.InFavour >= MembersRequired!.Value,
            _ => false,
        };
    }

    public bool MeetsPopulation(Counts c) => c.InFavourPopulation * 100 >= Population * PopulationPercent!.Value;

    public bool MeetsMembers(Counts c) => c.InFavour >= MembersRequired!.Value;

    public bool IsDeemedAttained(Counts c) =>
        Rule == DecisionRule.QualifiedMajority && MeetsMembers(c) && !MeetsPopulation(c)
        && Members - c.InFavour < BlockingMinorityMembers!.Value;

    public bool ConstructiveAbstentionBlocks(Counts c) =>
        c.Constructive * 3 >= Members && c.ConstructivePopulation * 3 >= Population;

    private int FewestHoldingMoreThan35Percent()
    {
        long held = 0;
        for (var k = 0; k < ByPopulation.Length; k++)
        {
            held += Voters[ByPopulation[k]].Population;
            if (held * 100 > Population * 35)
            {
                return k + 1;
            }
        }
        return Members;
    }

    private static int CeilingPercent(int whole, int percent) => (whole * percent + 99) / 100;

    private static long CeilingPercent(long whole, int percent) => (whole * percent + 99) / 100;

    internal struct Counts
    {
        public int InFavour;
        public long InFavourPopulation;
        public int Opposed;
        public int Constructive;
        public long ConstructivePopulation;
    }
}
