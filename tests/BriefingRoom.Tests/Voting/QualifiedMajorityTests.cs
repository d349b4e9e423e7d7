using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

/// <summary>Art. 16(4) TEU (all 27 take part) and Art. 238(3)(a) TFEU (a subset), on synthetic integer tables.</summary>
public class QualifiedMajorityTests
{
    private static List<DelegationStance> FirstInFavourRestOpposed(int inFavour) =>
        Council.All(Stance.Oppose).With(Stance.Support, Council.First(inFavour));

    [Fact]
    public void FifteenMemberStatesHoldingExactly65PercentOfThePopulationAdopt()
    {
        var table = Council.Table((Council.First(15), 65_000_000), (Council.Last(12), 35_000_000));

        var result = FirstInFavourRestOpposed(15).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal("Art. 16(4) TEU", result.Basis);
        Assert.StartsWith("Adopted by qualified majority: 15 of 27 member states in favour (55.56%), holding 65.00% of the population", result.Reason);
        Assert.Empty(result.Blockers);
    }

    [Fact]
    public void OnePersonShortOf65PercentIsNotAdoptedAndTheReasonDoesNotRoundItUp()
    {
        var table = Council.Table((Council.First(15), 64_999_999), (Council.Last(12), 35_000_001));

        var result = FirstInFavourRestOpposed(15).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.StartsWith(
            "Not adopted: the member states in favour hold 64 999 999 of 100 000 000 people (64.99%): 65% (65 000 000) is required.",
            result.Reason);
        Assert.Equal(12, result.Blockers.Length);
    }

    [Fact]
    public void OnePersonAbove65PercentIsAdopted()
    {
        var table = Council.Table((Council.First(15), 65_000_001), (Council.Last(12), 34_999_999));

        Assert.Equal(DecisionOutcome.Adopted, FirstInFavourRestOpposed(15).Evaluate(DecisionRule.QualifiedMajority, table).Outcome);
    }

    [Fact]
    public void FourteenMemberStatesAreNotEnoughWhateverPopulationTheyHold()
    {
        var table = Council.Table((Council.First(14), 90_000_000), (Council.Last(13), 10_000_000));

        var result = FirstInFavourRestOpposed(14).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.StartsWith("Not adopted: only 14 of 27 member states in favour (51.85%): 15 are required (55%, and at least 15).", result.Reason);
    }

    [Fact]
    public void TheThresholdsAreDrawnFromTheRuleAndTheTable()
    {
        var result = Council.All(Stance.Support).Evaluate(DecisionRule.QualifiedMajority);

        var t = result.Thresholds;
        Assert.Equal((27, 15, 55, 15, 65, 4), (t.ParticipatingMembers, t.MembersRequired, t.MembersPercent, t.MinimumMembers, t.PopulationPercent, t.BlockingMinorityMembers));
        Assert.Equal(451_073_984, t.ParticipatingPopulation);
        Assert.Equal((451_073_984L * 65 + 99) / 100, t.PopulationRequired);
        Assert.Equal(
            "15 of 27 member states in favour (55%, and at least 15) representing 65% of the population (293 198 090 of 451 073 984); " +
            "a blocking minority needs at least 4 members",
            t.Description);
        Assert.Null(t.ConstructiveAbstentionMembersToBlock);
    }

    [Fact]
    public void ThreeMemberStatesHoldingMoreThan35PercentCannotBlockTheMajorityIsDeemedAttained()
    {
        var table = Council.Table((Council.First(24), 60_000_000), (Council.Last(3), 40_000_000));

        var result = FirstInFavourRestOpposed(24).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal(
            "Qualified majority deemed attained: the 3 member states not in favour (Slovakia, Finland and Sweden) hold 40.00% of the population, " +
            "but a blocking minority needs at least 4 members.",
            result.Reason);
    }

    [Fact]
    public void FourMemberStatesHoldingMoreThan35PercentBlock()
    {
        var table = Council.Table((Council.First(23), 60_000_000), (Council.Last(4), 40_000_000));

        var result = FirstInFavourRestOpposed(23).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal(["SI", "SK", "FI", "SE"], result.Blockers.Select(b => b.Code));
        Assert.EndsWith("Blocking: Slovenia, Slovakia, Finland and Sweden (4 member states, 40.00% of the population).", result.Reason);
    }

    [Fact]
    public void AbstainingCountsAsNotVotingInFavour()
    {
        var table = Council.Table((Council.First(15), 60_000_000), (Council.Last(12), 40_000_000));

        var result = Council.All(Stance.Abstain).With(Stance.Support, Council.First(15)).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal(12, result.Blockers.Length);
        Assert.All(result.Blockers, b => Assert.Equal(Stance.Abstain, b.Stance));
    }

    [Fact]
    public void WhenTheBigFiveOpposeTheSmallestWinningCombinationIsGermanyAndFrance()
    {
        var result = Council.All(Stance.Support).With(Stance.Oppose, "DE", "FR", "IT", "ES", "PL").Evaluate(DecisionRule.QualifiedMajority);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal(["DE", "FR", "IT", "ES", "PL"], result.Blockers.Select(b => b.Code));
        var flip = Assert.Single(result.Flips);
        Assert.Equal("if Germany and France support: adopted", flip.Description);
        Assert.Equal([Stance.Support, Stance.Support], flip.Changes.Select(c => c.To));
    }

    [Fact]
    public void ANarrowMajorityNamesEachMemberStateWhoseSwitchWouldSinkIt()
    {
        // In favour: 65.00% exactly; any member state in favour that switches sinks it.
        var table = Council.Table((Council.First(15), 65_000_000), (Council.Last(12), 35_000_000));

        var result = FirstInFavourRestOpposed(15).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(15, result.Flips.Length);
        Assert.Equal("if Belgium opposes: not adopted", result.Flips[0].Description);
        Assert.All(result.Flips, f => Assert.Equal(DecisionOutcome.NotAdopted, f.Outcome));
    }

    [Fact]
    public void WhenNoSingleSwitchSinksItTheSmallestBlockingCombinationIsNamed()
    {
        var result = Council.All(Stance.Support).Evaluate(DecisionRule.QualifiedMajority);

        // Germany, France and Italy hold 46.89%, but a blocking minority needs four members: Spain makes the fourth.
        var flip = Assert.Single(result.Flips);
        Assert.Equal("if Germany, France, Italy and Spain oppose: not adopted", flip.Description);
    }

    [Fact]
    public void TheFlipSearchIsDeterministic()
    {
        var delegations = Council.All(Stance.Support).With(Stance.Oppose, "DE", "FR", "IT", "ES", "PL").With(Stance.Abstain, "NL");

        var first = delegations.Evaluate(DecisionRule.QualifiedMajority);
        var second = delegations.Evaluate(DecisionRule.QualifiedMajority);

        Assert.Equal(first.Descriptions(), second.Descriptions());
        Assert.Equal(first.Reason, second.Reason);
    }
}
