using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

/// <summary>Art. 238(2) TFEU and Art. 238(3)(b) TFEU: 72% of the members, 65% of the population, no blocking-minority clause.</summary>
public class ReinforcedQualifiedMajorityTests
{
    private static List<DelegationStance> FirstInFavourRestOpposed(int inFavour) =>
        Council.All(Stance.Oppose).With(Stance.Support, Council.First(inFavour));

    [Fact]
    public void TwentyOf27AreNeededAndEnough()
    {
        var table = Council.Table((Council.First(19), 90_000_000), (Council.Codes[19..20], 1_000_000), (Council.Last(7), 9_000_000));

        var twenty = FirstInFavourRestOpposed(20).Evaluate(DecisionRule.ReinforcedQualifiedMajority, table);
        var nineteen = FirstInFavourRestOpposed(19).Evaluate(DecisionRule.ReinforcedQualifiedMajority, table);

        Assert.Equal((DecisionOutcome.Adopted, "Art. 238(2) TFEU", 20), (twenty.Outcome, twenty.Basis, twenty.Thresholds.MembersRequired));
        Assert.Equal(DecisionOutcome.NotAdopted, nineteen.Outcome);
        Assert.StartsWith("Not adopted: only 19 of 27 member states in favour (70.37%): 20 are required (72%).", nineteen.Reason);
    }

    [Theory]
    [InlineData(65_000_000, DecisionOutcome.Adopted)]
    [InlineData(64_999_999, DecisionOutcome.NotAdopted)]
    [InlineData(65_000_001, DecisionOutcome.Adopted)]
    public void TwentyMemberStatesMustHold65PercentOfThePopulation(long inFavourPopulation, DecisionOutcome expected)
    {
        var table = Council.Table((Council.First(20), inFavourPopulation), (Council.Last(7), 100_000_000 - inFavourPopulation));

        Assert.Equal(expected, FirstInFavourRestOpposed(20).Evaluate(DecisionRule.ReinforcedQualifiedMajority, table).Outcome);
    }

    [Fact]
    public void EighteenOf25IsExactly72PercentAndSeventeenIsNot()
    {
        var table = Council.Table((Council.First(17), 70_000_000), (Council.Codes[17..18], 5_000_000), (Council.Codes[18..25], 25_000_000), (Council.Last(2), 1_000_000));
        List<DelegationStance> Vote(int inFavour) => FirstInFavourRestOpposed(inFavour).With(Stance.NotTakingPart, Council.Last(2));

        var eighteen = Vote(18).Evaluate(DecisionRule.ReinforcedQualifiedMajority, table);
        var seventeen = Vote(17).Evaluate(DecisionRule.ReinforcedQualifiedMajority, table);

        Assert.Equal((DecisionOutcome.Adopted, "Art. 238(3)(b) TFEU", 18), (eighteen.Outcome, eighteen.Basis, eighteen.Thresholds.MembersRequired));
        Assert.Equal(72m, eighteen.Tallies.Single(t => t.Stance == Stance.Support).MembersPercent);
        Assert.Equal(DecisionOutcome.NotAdopted, seventeen.Outcome);
    }

    [Fact]
    public void ThreeMemberStatesHoldingMoreThan35PercentBlockBecauseThereIsNoBlockingMinorityClause()
    {
        var table = Council.Table((Council.First(24), 60_000_000), (Council.Last(3), 40_000_000));

        var result = FirstInFavourRestOpposed(24).Evaluate(DecisionRule.ReinforcedQualifiedMajority, table);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Null(result.Thresholds.BlockingMinorityMembers);
    }
}
