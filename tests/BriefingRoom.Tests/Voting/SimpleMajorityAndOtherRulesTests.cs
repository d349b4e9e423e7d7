using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

public class SimpleMajorityAndOtherRulesTests
{
    [Fact]
    public void FourteenOf27IsASimpleMajorityAndThirteenIsNot()
    {
        var fourteen = Council.All(Stance.Abstain).With(Stance.Support, Council.First(14)).Evaluate(DecisionRule.SimpleMajority);
        var thirteen = Council.All(Stance.Abstain).With(Stance.Support, Council.First(13)).Evaluate(DecisionRule.SimpleMajority);

        Assert.Equal((DecisionOutcome.Adopted, "Art. 238(1) TFEU", 14), (fourteen.Outcome, fourteen.Basis, fourteen.Thresholds.MembersRequired));
        Assert.Equal(DecisionOutcome.NotAdopted, thirteen.Outcome);
        Assert.Equal("Not adopted: only 13 of 27 member states in favour (48.15%); a simple majority needs 14.", thirteen.Reason);
        Assert.Equal(14, thirteen.Flips.Length);
        Assert.Equal("if Poland supports: adopted", thirteen.Flips[0].Description);
    }

    [Fact]
    public void WithOneMemberStateSuspendedExactlyHalfOfThe26IsNotAMajority()
    {
        var result = Council.All(Stance.Oppose).With(Stance.Support, Council.First(13)).Suspended("SE").Evaluate(DecisionRule.SimpleMajority);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal((26, 14), (result.Thresholds.ParticipatingMembers, result.Thresholds.MembersRequired));
    }

    [Fact]
    public void ASimpleMajorityIsPendingWhileTheLastWordCanTipIt()
    {
        var result = Council.All(Stance.Oppose).With(Stance.Support, Council.First(13)).With(Stance.NoPosition, "SE")
            .Evaluate(DecisionRule.SimpleMajority);

        Assert.Equal(DecisionOutcome.Pending, result.Outcome);
        Assert.Equal(["if Sweden supports: adopted", "if Sweden opposes: not adopted"], result.Descriptions());
    }

    [Fact]
    public void AnItemForInformationDecidesNothingButStillShowsWhereEveryoneStands()
    {
        var result = Council.All(Stance.Support).With(Stance.Oppose, "HU").Evaluate(DecisionRule.ForInformation);

        Assert.Equal(DecisionOutcome.NoDecision, result.Outcome);
        Assert.Equal("For information: nothing is decided.", result.Reason);
        Assert.Empty(result.Flips);
        Assert.Empty(result.Blockers);
        Assert.Equal(7, result.Tallies.Length);
        Assert.Equal(["HU"], result.Tallies.Single(t => t.Stance == Stance.Oppose).Codes);
    }

    [Fact]
    public void QualifiedMajorityAlreadyReachedIsAdoptedWhateverTheUndecidedSay()
    {
        var result = Council.All(Stance.Support).With(Stance.NoPosition, "MT", "LU", "CY").Evaluate(DecisionRule.QualifiedMajority);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Contains(result.Notes, n => n.StartsWith("Population figures for 2025 are derived from published shares"));
        // Germany, France and Italy opposing would leave it open: three are not a blocking minority unless an undecided joins them.
        Assert.Equal(["if Germany, France and Italy oppose: pending"], result.Descriptions());
    }

    [Fact]
    public void QualifiedMajorityIsPendingWhileTheLargeMemberStatesHaveNotSaid()
    {
        var result = Council.All(Stance.Support).With(Stance.NoPosition, "DE", "FR", "IT", "ES", "PL", "RO", "NL")
            .Evaluate(DecisionRule.QualifiedMajority);

        Assert.Equal(DecisionOutcome.Pending, result.Outcome);
        Assert.StartsWith("Pending: 20 of 27 member states in favour (74.07%), holding 25.77% of the population", result.Reason);
        Assert.Equal(
            ["if Germany, France and Italy support: adopted", "if Germany, France, Italy and Spain oppose: not adopted"],
            result.Descriptions());
    }

    [Fact]
    public void UnanimityDoesNotWarnAboutDerivedPopulationFiguresItDoesNotUse()
    {
        var result = Council.All(Stance.Support).Evaluate(DecisionRule.Unanimity);

        Assert.DoesNotContain(result.Notes, n => n.Contains("derived from published shares"));
        Assert.Equal(PopulationFigureOrigin.DerivedFromPublishedShares, result.Population.Origin);
    }

    [Fact]
    public void AReservationWithoutItsTextIsRefused() =>
        Assert.Throws<ArgumentException>(() => Council.All(Stance.Support).With(Stance.SupportWithReservation, "AT").Evaluate(DecisionRule.Unanimity));

    [Fact]
    public void GreeceWrittenAsGrIsRefusedAsAMemberState() =>
        Assert.Throws<ArgumentException>(() => Council.All(Stance.Support).Without("EL").Append(new DelegationStance("GR", Stance.Support)).ToList()
            .Evaluate(DecisionRule.Unanimity));

    [Fact]
    public void AMemberStateListedTwiceIsRefused() =>
        Assert.Throws<ArgumentException>(() => Council.All(Stance.Support).Append(new DelegationStance("FR", Stance.Oppose)).ToList()
            .Evaluate(DecisionRule.Unanimity));
}
