using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

/// <summary>Consensus (Art. 15(4) TEU, Art. 235(1) TFEU) and unanimity (Art. 238(4) TFEU).</summary>
public class UnanimityAndConsensusTests
{
    [Theory]
    [InlineData(DecisionRule.Consensus)]
    [InlineData(DecisionRule.Unanimity)]
    public void AnAbstentionDoesNotPreventAdoption(DecisionRule rule)
    {
        var result = Council.All(Stance.Support).With(Stance.Abstain, "MT").Evaluate(rule);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal("No member state opposes: 26 of 27 member states support; Malta abstains, which does not prevent adoption.", result.Reason);
    }

    [Theory]
    [InlineData(DecisionRule.Consensus)]
    [InlineData(DecisionRule.Unanimity)]
    public void OneObjectionFromTheSmallestMemberStateBlocks(DecisionRule rule)
    {
        var result = Council.All(Stance.Support).With(Stance.Oppose, "MT").Evaluate(rule);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal(["MT"], result.Blockers.Select(b => b.Code));
    }

    [Fact]
    public void SeveralObjectionsAreAllNamedAndAllMustBeLifted()
    {
        var result = Council.All(Stance.Support).With(Stance.Oppose, "HU", "SK").Evaluate(DecisionRule.Unanimity);

        Assert.Equal("Hungary and Slovakia oppose: unanimity requires no objection.", result.Reason);
        Assert.Equal(["HU", "SK"], result.Blockers.Select(b => b.Code));
        Assert.Equal(["if Hungary and Slovakia abstain: adopted"], result.Descriptions());
    }

    [Fact]
    public void AFormalDeclarationOutsideArticle31CountsAsAPlainAbstention()
    {
        var result = Council.All(Stance.Support).With(Stance.AbstainConstructively, Council.First(10)).Evaluate(DecisionRule.Unanimity);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Contains(result.Notes, n => n.Contains("has no effect of its own under this rule"));
    }

    [Fact]
    public void AMemberStateNotTakingPartIsOutsideTheVote()
    {
        var result = Council.All(Stance.Support).With(Stance.NotTakingPart, "DK").Evaluate(DecisionRule.Unanimity);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal(26, result.Thresholds.ParticipatingMembers);
        Assert.Contains(result.Notes, n => n.StartsWith("Not all member states take part: Denmark does not; thresholds are of the 26 member states"));
        var notTakingPart = result.Tallies.Single(t => t.Stance == Stance.NotTakingPart);
        Assert.Equal((1, 5_953_581L, (decimal?)null), (notTakingPart.Members, notTakingPart.Population, notTakingPart.PopulationPercent));
    }

    [Fact]
    public void AbstentionsAloneAdoptNothing()
    {
        var result = Council.All(Stance.Abstain).Evaluate(DecisionRule.Unanimity);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.StartsWith("No member state supports it", result.Reason);
        Assert.Equal(27, result.Flips.Length);
        Assert.Equal("if Germany supports: adopted", result.Flips[0].Description);
    }

    [Fact]
    public void TheLastMemberStateThatHasNotSaidDecidesEitherWay()
    {
        var result = Council.All(Stance.Support).With(Stance.NoPosition, "LU").Evaluate(DecisionRule.Unanimity);

        Assert.Equal(DecisionOutcome.Pending, result.Outcome);
        Assert.Equal("Pending: Luxembourg has not yet said; unanimity requires no objection.", result.Reason);
        Assert.Equal(["if Luxembourg supports: adopted", "if Luxembourg opposes: not adopted"], result.Descriptions());
    }

    [Fact]
    public void AnObjectionDecidesTheOutcomeWhateverTheOthersHaveYetToSay()
    {
        var result = Council.All(Stance.NoPosition).With(Stance.Oppose, "HU").Evaluate(DecisionRule.Unanimity);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal(["if Hungary abstains: pending"], result.Descriptions());
    }

    [Fact]
    public void WithManyYetToSayTheOutcomeIsPendingAndAnyOneOfThemCanBlock()
    {
        var result = Council.All(Stance.NoPosition).With(Stance.Support, "FR").Evaluate(DecisionRule.Consensus);

        Assert.Equal(DecisionOutcome.Pending, result.Outcome);
        Assert.StartsWith("Pending: Belgium, Bulgaria, Czechia, Denmark, Germany, Estonia and 20 others have not yet said", result.Reason);
        Assert.Equal("if Germany, Italy, Spain, Poland, Romania, Netherlands, Belgium, Czechia, Portugal, Sweden, Greece, Hungary, Austria, " +
            "Bulgaria, Denmark, Finland, Slovakia, Ireland, Croatia, Lithuania, Slovenia, Latvia, Estonia, Cyprus, Luxembourg and Malta support: adopted",
            result.Flips[0].Description);
        Assert.Equal(27, result.Flips.Length);
        Assert.Equal("if Germany opposes: not adopted", result.Flips[1].Description);
    }
}
