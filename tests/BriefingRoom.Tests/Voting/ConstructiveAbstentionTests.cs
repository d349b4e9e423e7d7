using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

/// <summary>Art. 31(1) TEU: formal abstainers are not bound, and block at one third of the member states and one third of the population.</summary>
public class ConstructiveAbstentionTests
{
    // 90 000 000 people: one third is exactly 30 000 000.
    private static PopulationTable Table(int abstainers, long abstainersPopulation) =>
        Council.Table((Council.First(abstainers), abstainersPopulation), (Council.Last(27 - abstainers), 90_000_000 - abstainersPopulation));

    private static DecisionResult Vote(int abstainers, long abstainersPopulation, Stance stance = Stance.AbstainConstructively) =>
        Council.All(Stance.Support).With(stance, Council.First(abstainers))
            .Evaluate(DecisionRule.UnanimityWithConstructiveAbstention, Table(abstainers, abstainersPopulation));

    [Fact]
    public void NineMemberStatesHoldingExactlyOneThirdOfThePopulationBlock()
    {
        var result = Vote(9, 30_000_000);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal(9, result.Blockers.Length);
        Assert.All(result.Blockers, b => Assert.Equal(Stance.AbstainConstructively, b.Stance));
        Assert.EndsWith("are at least one third of the member states (9 of 27) and hold 33.33% of the population (at least one third), so the decision is not adopted.", result.Reason);
        Assert.Equal((9, 30_000_000L), (result.Thresholds.ConstructiveAbstentionMembersToBlock, result.Thresholds.ConstructiveAbstentionPopulationToBlock));
    }

    [Fact]
    public void NineMemberStatesOnePersonShortOfOneThirdOfThePopulationDoNotBlock()
    {
        var result = Vote(9, 29_999_999);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.EndsWith("are below one third of the population, so they do not block.", result.Reason);
    }

    [Fact]
    public void NineMemberStatesOnePersonAboveOneThirdBlock() =>
        Assert.Equal(DecisionOutcome.NotAdopted, Vote(9, 30_000_001).Outcome);

    [Fact]
    public void EightMemberStatesDoNotBlockHoweverManyPeopleTheyHold() =>
        Assert.Equal(DecisionOutcome.Adopted, Vote(8, 80_000_000).Outcome);

    [Fact]
    public void PlainAbstentionsNeverCountTowardsTheThird() =>
        Assert.Equal(DecisionOutcome.Adopted, Vote(20, 80_000_000, Stance.Abstain).Outcome);

    [Fact]
    public void WhenFormalAbstentionsBlockDroppingTheDeclarationOfTheLargestIsTheSmallestFix()
    {
        var result = Vote(9, 30_000_000);

        // Every abstainer alone can lift the block: each flip drops one member below the third.
        Assert.Equal(9, result.Flips.Length);
        Assert.Equal("if Belgium abstains without a formal declaration: adopted", result.Flips[0].Description);
    }

    [Fact]
    public void WithOneMemberStateSuspendedTheThirdIsOfTheRemaining26()
    {
        // 26 take part: one third of them is 8.67, so nine formal abstainers are needed to block.
        var delegations = Council.All(Stance.Support).With(Stance.AbstainConstructively, Council.First(8)).Suspended("SE");
        var table = Council.Table((Council.First(8), 40_000_000), (Council.Codes[8..26], 50_000_000), (["SE"], 10_000_000));

        var result = delegations.Evaluate(DecisionRule.UnanimityWithConstructiveAbstention, table);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal((26, 9, 30_000_000L), (result.Thresholds.ParticipatingMembers, result.Thresholds.ConstructiveAbstentionMembersToBlock, result.Thresholds.ConstructiveAbstentionPopulationToBlock));
    }
}
