using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

/// <summary>Art. 238(3) TFEU: when not all member states take part, thresholds are of those that do.</summary>
public class ParticipationSubsetTests
{
    // Twenty take part (the last seven do not) and hold exactly 100 000 000 people between them.
    private static readonly string[] s_participating = Council.First(20);
    private static readonly string[] s_outside = Council.Last(7);

    private static List<DelegationStance> TwentyTakePart(int inFavour) =>
        Council.All(Stance.Oppose).With(Stance.Support, Council.First(inFavour)).With(Stance.NotTakingPart, s_outside);

    [Fact]
    public void ElevenOfTwentyIsExactly55PercentAndAdopts()
    {
        var table = Council.Table((Council.First(11), 65_000_000), (s_participating[11..], 35_000_000), (s_outside, 10_000_000));

        var result = TwentyTakePart(11).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal("Art. 238(3)(a) TFEU", result.Basis);
        Assert.Equal((20, 11, (int?)null, 100_000_000L, 65_000_000L),
            (result.Thresholds.ParticipatingMembers, result.Thresholds.MembersRequired, result.Thresholds.MinimumMembers,
             result.Thresholds.ParticipatingPopulation, result.Thresholds.PopulationRequired));
        Assert.False(result.Thresholds.AllMemberStatesTakePart);
        Assert.Equal(55m, result.Tallies.Single(t => t.Stance == Stance.Support).MembersPercent);
    }

    [Fact]
    public void TenOfTwentyIsBelow55PercentAndFails()
    {
        var table = Council.Table((Council.First(10), 90_000_000), (s_participating[10..], 10_000_000), (s_outside, 10_000_000));

        var result = TwentyTakePart(10).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.StartsWith("Not adopted: only 10 of 20 member states in favour (50.00%): 11 are required (55%).", result.Reason);
    }

    [Theory]
    [InlineData(35_000_000, 3)] // exactly 35% is not "more than 35%": a second member is needed, plus one
    [InlineData(35_000_001, 2)]
    public void TheBlockingMinorityIsTheFewestHoldingMoreThan35PercentPlusOne(long largest, int blockingMinority)
    {
        var table = Council.Table(([s_participating[0]], largest), (s_participating[1..], 100_000_000 - largest), (s_outside, 10_000_000));

        var result = TwentyTakePart(20).Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(blockingMinority, result.Thresholds.BlockingMinorityMembers);
        Assert.Contains($"a blocking minority needs at least {blockingMinority} members (the fewest holding more than 35% of that population, plus one)",
            result.Thresholds.Description);
    }

    [Fact]
    public void TwoMemberStatesBelowTheSubsetsBlockingMinorityCannotBlock()
    {
        // Belgium holds 35%, so a blocking minority needs three; Belgium and Bulgaria hold 38.42% between them.
        var table = Council.Table((["BE"], 35_000_000), (s_participating[1..], 65_000_000), (s_outside, 10_000_000));
        var delegations = Council.All(Stance.Support).With(Stance.Oppose, "BE", "BG").With(Stance.NotTakingPart, s_outside);

        var result = delegations.Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.StartsWith("Qualified majority deemed attained: the 2 member states not in favour (Belgium and Bulgaria)", result.Reason);
    }

    [Fact]
    public void ThreeMemberStatesFormTheSubsetsBlockingMinority()
    {
        var table = Council.Table((["BE"], 35_000_000), (s_participating[1..], 65_000_000), (s_outside, 10_000_000));
        var delegations = Council.All(Stance.Support).With(Stance.Oppose, "BE", "BG", "CZ").With(Stance.NotTakingPart, s_outside);

        Assert.Equal(DecisionOutcome.NotAdopted, delegations.Evaluate(DecisionRule.QualifiedMajority, table).Outcome);
    }

    [Fact]
    public void AMemberStateNotListedIsOutsideTheVotingBodyLikeOneNotTakingPart()
    {
        var table = Council.Table((Council.First(11), 65_000_000), (s_participating[11..], 35_000_000), (s_outside, 10_000_000));
        var listedOnly = TwentyTakePart(11).Without(s_outside);

        var result = listedOnly.Evaluate(DecisionRule.QualifiedMajority, table);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal(20, result.Thresholds.ParticipatingMembers);
        Assert.Contains(result.Notes, n => n.StartsWith("Not all member states take part: Poland, Portugal, Romania,"));
    }

    [Fact]
    public void WithHungarysVotingRightsSuspendedQualifiedMajorityIsOfTheOther26()
    {
        var table = PopulationTables.Eu2025;

        var result = Council.All(Stance.Support).With(Stance.Oppose, "HU").Suspended("HU").Evaluate(DecisionRule.QualifiedMajority);

        var t = result.Thresholds;
        Assert.Equal("Art. 238(3)(a) TFEU; Art. 7(3) TEU and Art. 354 TFEU", result.Basis);
        Assert.Equal((26, 15, (int?)null), (t.ParticipatingMembers, t.MembersRequired, t.MinimumMembers));
        Assert.Equal(table.Total - table.PopulationOf("HU"), t.ParticipatingPopulation);
        // Germany and France hold 34.39% of the 26, Italy takes it past 35%: three, plus one.
        Assert.Equal(4, t.BlockingMinorityMembers);
        Assert.Equal(100m, result.Tallies.Single(s => s.Stance == Stance.Support).PopulationPercent);
        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
    }
}
