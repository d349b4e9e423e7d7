using BriefingRoom.Meetings;
using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

/// <summary>The special European Council of 6 March 2025 (SCENARIO.md), with the 2025 population table.</summary>
public class DemoMeetingDecisionTests
{
    private static readonly DelegationStance[] s_nonVoting =
    [
        new("EUCO-PRES", Stance.NoPosition) { Kind = DelegationKind.Institution, Name = "President of the European Council" },
        new("COM-PRES", Stance.Support) { Kind = DelegationKind.Institution, Name = "President of the Commission" },
        new("HR", Stance.Support) { Kind = DelegationKind.Institution, Name = "High Representative" },
        new("UK", Stance.Support) { Kind = DelegationKind.Guest, Name = "United Kingdom" },
        new("NO", Stance.Support) { Kind = DelegationKind.Guest, Name = "Norway" },
        new("JP", Stance.Support) { Kind = DelegationKind.Guest, Name = "Japan" },
        new("KR", Stance.Support) { Kind = DelegationKind.Guest, Name = "South Korea" },
        new("TR", Stance.Oppose) { Kind = DelegationKind.Guest, Name = "Turkey" },
        new("UA", Stance.Support) { Kind = DelegationKind.Guest, Name = "Ukraine" },
    ];

    /// <summary>Everyone supports, two with reservations, Hungary opposes; institutions and guests are in the room too.</summary>
    private static List<DelegationStance> UkraineItem() =>
    [
        .. Council.All(Stance.Support)
            .With(Stance.Oppose, "HU")
            .Select(d => d.Code switch
            {
                "AT" => d with { Stance = Stance.SupportWithReservation, Reservation = new(ReservationKind.Parliamentary, "neutrality: no lethal aid from Austria") },
                "SK" => d with { Stance = Stance.SupportWithReservation, Reservation = new(ReservationKind.General, "on the peace-talks mandate") },
                _ => d,
            }),
        .. s_nonVoting,
    ];

    [Theory]
    [InlineData(DecisionRule.Unanimity, "unanimity")]
    [InlineData(DecisionRule.Consensus, "consensus")]
    public void HungaryOpposingItemsOneAndThreeBlocksThemAndAbstainingWouldAdoptThem(DecisionRule rule, string label)
    {
        var result = UkraineItem().Evaluate(rule);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal($"Hungary opposes: {label} requires no objection.", result.Reason);
        var blocker = Assert.Single(result.Blockers);
        Assert.Equal(("HU", "Hungary", Stance.Oppose), (blocker.Code, blocker.Name, blocker.Stance));
        var flip = Assert.Single(result.Flips);
        Assert.Equal("if Hungary abstains: adopted", flip.Description);
        Assert.Equal(DecisionOutcome.Adopted, flip.Outcome);
        Assert.Equal([new StanceChange("HU", "Hungary", Stance.Oppose, Stance.Abstain)], flip.Changes);
    }

    [Fact]
    public void InstitutionsAndGuestsAreListedButNeverCounted()
    {
        var result = UkraineItem().Evaluate(DecisionRule.Consensus);

        Assert.Equal(27, result.Thresholds.ParticipatingMembers);
        Assert.Equal(["EUCO-PRES", "COM-PRES", "HR", "UK", "NO", "JP", "KR", "TR", "UA"], result.NotCounted.Select(n => n.Code));
        Assert.All(result.NotCounted.Take(3), n => Assert.Contains("Art. 235(1) TFEU", n.Reason));
        Assert.All(result.NotCounted.Skip(3), n => Assert.Equal(DelegationKind.Guest, n.Kind));
        Assert.Equal(1, result.Tallies.Single(t => t.Stance == Stance.Oppose).Members);
        Assert.Equal(24, result.Tallies.Single(t => t.Stance == Stance.Support).Members);
    }

    [Fact]
    public void ReservationsAreReportedAndCountInFavour()
    {
        var result = UkraineItem().With(Stance.Support, "HU").Evaluate(DecisionRule.Unanimity);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal(["AT", "SK"], result.Reservations.Select(r => r.Code));
        Assert.Equal(ReservationKind.Parliamentary, result.Reservations[0].Kind);
        Assert.Contains(result.Notes, n => n.StartsWith("Austria supports with a parliamentary reservation"));
    }

    [Theory]
    [InlineData(DecisionRule.UnanimityWithConstructiveAbstention)]
    [InlineData(DecisionRule.Unanimity)]
    public void ItemFourIsBlockedByHungaryAloneAndNotByIrelandsConstructiveAbstention(DecisionRule rule)
    {
        var result = UkraineItem().With(Stance.AbstainConstructively, "IE").Evaluate(rule);

        Assert.Equal(DecisionOutcome.NotAdopted, result.Outcome);
        Assert.Equal("Hungary opposes: unanimity requires no objection.", result.Reason);
        Assert.Equal(["HU"], result.Blockers.Select(b => b.Code));
        Assert.Contains("if Hungary abstains: adopted", result.Descriptions());
        Assert.DoesNotContain(result.Flips, f => f.Changes.Any(c => c.Code == "IE"));
    }

    [Fact]
    public void UnderConstructiveAbstentionHungaryCouldAlsoAbstainConstructively()
    {
        var result = UkraineItem().With(Stance.AbstainConstructively, "IE").Evaluate(DecisionRule.UnanimityWithConstructiveAbstention);

        Assert.Equal(["if Hungary abstains: adopted", "if Hungary abstains constructively: adopted"], result.Descriptions());
    }

    [Fact]
    public void ItemFourWithoutHungarysObjectionIsAdoptedAndIrelandIsNotBound()
    {
        var result = UkraineItem().With(Stance.AbstainConstructively, "IE").With(Stance.Support, "HU")
            .Evaluate(DecisionRule.UnanimityWithConstructiveAbstention);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Empty(result.Blockers);
        Assert.Equal("No member state opposes: 26 of 27 member states support; Ireland abstains constructively and is not bound; formal abstentions (1 of 27 member states, 1.19% of the population) are below one third of the member states and of the population, so they do not block.", result.Reason);
        Assert.Contains(result.Notes, n => n.StartsWith("Ireland abstains with a formal declaration: not bound by the decision"));
        var tally = result.Tallies.Single(t => t.Stance == Stance.AbstainConstructively);
        Assert.Equal((1, "IE", 5_367_244L, 1.19m), (tally.Members, tally.Codes.Single(), tally.Population, tally.PopulationPercent));
    }

    [Theory]
    [InlineData(DecisionRule.Consensus)]
    [InlineData(DecisionRule.Unanimity)]
    public void ItemFiveSupportedByAll27IsAdopted(DecisionRule rule)
    {
        var result = Council.All(Stance.Support).Concat(s_nonVoting).ToList().Evaluate(rule);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal("No member state opposes: 27 of 27 member states support.", result.Reason);
        Assert.Empty(result.Blockers);
        Assert.Equal(27, result.Flips.Length);
        Assert.Equal("if Germany opposes: not adopted", result.Flips[0].Description);
        Assert.Equal(100m, result.Tallies.Single(t => t.Stance == Stance.Support).PopulationPercent);
    }

    [Fact]
    public void SuspendingHungarysVotingRightsUnderArticle7LiftsItsObjection()
    {
        var result = UkraineItem().Suspended("HU").Evaluate(DecisionRule.Unanimity);

        Assert.Equal(DecisionOutcome.Adopted, result.Outcome);
        Assert.Equal(26, result.Thresholds.ParticipatingMembers);
        Assert.Contains("Art. 354 TFEU", result.Basis);
        var hungary = result.NotCounted.Single(n => n.Code == "HU");
        Assert.Equal(DelegationKind.MemberState, hungary.Kind);
        Assert.Contains("Art. 7(3) TEU", hungary.Reason);
        Assert.Equal(0, result.Tallies.Single(t => t.Stance == Stance.Oppose).Members);
        Assert.Contains(result.Notes, n => n.StartsWith("Not all member states take part: Hungary (voting rights suspended) does not; thresholds are of the 26"));
    }

    [Fact]
    public void TheResultSerializesToCamelCaseJson()
    {
        var result = UkraineItem().Evaluate(DecisionRule.Unanimity);
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        };

        var json = System.Text.Json.JsonSerializer.Serialize(result, options);
        var back = System.Text.Json.JsonSerializer.Deserialize<DecisionResult>(json, options);

        Assert.Contains("\"outcome\":\"NotAdopted\"", json);
        Assert.Contains("\"description\":\"if Hungary abstains: adopted\"", json);
        Assert.NotNull(back);
        Assert.Equal(result.Reason, back.Reason);
        Assert.Equal(result.Flips.Single().Changes, back.Flips.Single().Changes);
    }
}
