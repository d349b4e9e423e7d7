using System.Collections.Immutable;
using BriefingRoom.Meetings;
using static BriefingRoom.Voting.DecisionWording;

namespace BriefingRoom.Voting;

/// <summary>
/// The decision rules of the European Council and the Council, as a pure function of the rule, the
/// delegations' stances and the population table. How each stance counts:
/// <list type="bullet">
/// <item>Support and SupportWithReservation: in favour under every rule (the reservation is reported, it does not change the count).</item>
/// <item>Abstain: consensus and unanimity, does not block; QMV, reinforced QMV and simple majority, not in favour.</item>
/// <item>AbstainConstructively: under Art. 31(1) TEU, does not block, the member is not bound, and formal abstainers block only
/// together at one third of the member states and one third of the population; under any other rule, a plain abstention.</item>
/// <item>Oppose: blocks consensus and unanimity; not in favour under the majority rules.</item>
/// <item>NoPosition: not yet said. The outcome is pending if what they say could still change it, and decided otherwise.</item>
/// <item>NotTakingPart: outside the voting body under every rule (an opt-out, or outside a subset): thresholds are of the others (Art. 238(3) TFEU).</item>
/// </list>
/// Institutions, guests and member states whose voting rights are suspended are listed in <see cref="DecisionResult.NotCounted"/> and never counted.
/// </summary>
public static class DecisionEvaluator
{
    /// <exception cref="ArgumentException">A code appears twice for the same kind of delegation, a member state code is unknown, or a reservation is missing.</exception>
    public static DecisionResult Evaluate(DecisionRule rule, IEnumerable<DelegationStance> delegations, PopulationTable population)
    {
        var (list, members, ballot) = BallotOf(rule, delegations, population);
        var stances = ballot.Voters.Select(v => v.Stance).ToArray();
        var outcome = ballot.OutcomeOf(stances);

        return new DecisionResult
        {
            Rule = rule,
            Basis = Basis(ballot, members.Any(m => m.VotingRightsSuspended)),
            Outcome = outcome,
            Reason = Reason(ballot, stances, outcome),
            Thresholds = Thresholds(ballot),
            Tallies = Tallies(ballot, members, population),
            Blockers = Blockers(ballot, stances, outcome),
            Flips = FlipSearch.Find(ballot, stances, outcome),
            Reservations = [.. members
                .Where(m => m.Stance == Stance.SupportWithReservation)
                .OrderBy(m => MemberStates.ProtocolIndex(m.Code))
                .Select(m => new MemberReservation(m.Code, MemberStates.NameOf(m.Code), m.Reservation!.Kind, m.Reservation.Text))],
            NotCounted = NotCounted(list),
            Notes = Notes(ballot, members, population),
            Population = new PopulationBasis(population.Year, population.Source, population.Origin, population.Total),
        };
    }

    /// <summary>
    /// Only the legal basis and the thresholds of the vote, which depend on who takes part and not on the other stances:
    /// no outcome, tallies or what-ifs are worked out.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Evaluate"/>.</exception>
    public static (string Basis, DecisionThresholds Thresholds) BasisAndThresholds(DecisionRule rule, IEnumerable<DelegationStance> delegations, PopulationTable population)
    {
        var (_, members, ballot) = BallotOf(rule, delegations, population);
        return (Basis(ballot, members.Any(m => m.VotingRightsSuspended)), Thresholds(ballot));
    }

    /// <summary>The delegations, checked; the member states among them; and the ballot of those who vote.</summary>
    private static (List<DelegationStance> All, List<DelegationStance> Members, Ballot Ballot) BallotOf(
        DecisionRule rule, IEnumerable<DelegationStance> delegations, PopulationTable population)
    {
        ArgumentNullException.ThrowIfNull(delegations);
        ArgumentNullException.ThrowIfNull(population);
        if (!Enum.IsDefined(rule))
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown decision rule.");
        }

        var list = delegations.ToList();
        Validate(list);
        var members = list.Where(d => d.Kind == DelegationKind.MemberState).ToList();
        var voters = members
            .Where(d => !d.VotingRightsSuspended && d.Stance != Stance.NotTakingPart)
            .OrderBy(d => MemberStates.ProtocolIndex(d.Code))
            .Select(d => new Voter(d.Code, MemberStates.NameOf(d.Code), population.PopulationOf(d.Code), d.Stance))
            .ToImmutableArray();
        return (list, members, new Ballot(rule, voters));
    }

    private static void Validate(List<DelegationStance> delegations)
    {
        // Unique within a kind only: "HR" is Croatia and, in many rooms, the High Representative too.
        var seen = new HashSet<(DelegationKind, string)>();
        foreach (var d in delegations)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(delegations));
            if (!seen.Add((d.Kind, d.Code)))
            {
                throw new ArgumentException($"{d.Code} appears more than once.", nameof(delegations));
            }
            if (d.Kind == DelegationKind.MemberState && !MemberStates.IsMemberState(d.Code))
            {
                throw new ArgumentException($"'{d.Code}' is listed as a member state but is not one of the 27.", nameof(delegations));
            }
            if (!Enum.IsDefined(d.Stance) || !Enum.IsDefined(d.Kind))
            {
                throw new ArgumentException($"{d.Code} has an unknown stance or kind.", nameof(delegations));
            }
            if (d.Kind == DelegationKind.MemberState && d.Stance == Stance.SupportWithReservation && d.Reservation is null)
            {
                throw new ArgumentException($"{d.Code} supports with a reservation but the reservation is missing.", nameof(delegations));
            }
        }
    }

    private static string Basis(Ballot ballot, bool anySuspended)
    {
        var basis = ballot.Rule switch
        {
            DecisionRule.Consensus => "Art. 15(4) TEU; Art. 235(1) TFEU",
            DecisionRule.Unanimity => "Art. 238(4) TFEU; Art. 235(1) TFEU",
            DecisionRule.UnanimityWithConstructiveAbstention => "Art. 31(1) TEU",
            DecisionRule.QualifiedMajority => ballot.AllMemberStatesTakePart ? "Art. 16(4) TEU" : "Art. 238(3)(a) TFEU",
            DecisionRule.ReinforcedQualifiedMajority => ballot.AllMemberStatesTakePart ? "Art. 238(2) TFEU" : "Art. 238(3)(b) TFEU",
            DecisionRule.SimpleMajority => "Art. 238(1) TFEU",
            _ => "for information: no decision",
        };
        return anySuspended && ballot.Rule != DecisionRule.ForInformation ? basis + "; Art. 7(3) TEU and Art. 354 TFEU" : basis;
    }

    private static DecisionThresholds Thresholds(Ballot b)
    {
        var n = b.Members;
        var whose = b.AllMemberStatesTakePart ? "the population" : "their population";
        var populationPart = b.PopulationRequired is { } required
            ? $"representing {b.PopulationPercent}% of {whose} ({People(required)} of {People(b.Population)})"
            : "";
        var description = b.Rule switch
        {
            DecisionRule.Consensus =>
                $"no objection among the {MemberStatesCount(n)}; abstentions do not block; the Presidents of the European Council and of the Commission do not vote",
            DecisionRule.Unanimity =>
                $"no objection among the {MemberStatesCount(n)} taking part; abstentions do not prevent adoption",
            DecisionRule.UnanimityWithConstructiveAbstention =>
                $"no objection among the {MemberStatesCount(n)} taking part; formal abstentions block only if they are at least " +
                $"{b.ConstructiveAbstentionMembersToBlock} of {n} member states (one third) holding at least " +
                $"{People(b.ConstructiveAbstentionPopulationToBlock)} of {People(b.Population)} people (one third)",
            DecisionRule.QualifiedMajority =>
                $"{b.MembersRequired} of {n} member states in favour (55%{(b.MinimumMembers is { } min ? $", and at least {min}" : "")}) {populationPart}; " +
                (b.AllMemberStatesTakePart
                    ? $"a blocking minority needs at least {b.BlockingMinorityMembers} members"
                    : $"a blocking minority needs at least {b.BlockingMinorityMembers} members (the fewest holding more than 35% of that population, plus one)"),
            DecisionRule.ReinforcedQualifiedMajority =>
                $"{b.MembersRequired} of {n} member states in favour (72%) {populationPart}",
            DecisionRule.SimpleMajority =>
                $"{b.MembersRequired} of {n} member states in favour (a majority of the component members)",
            _ => "nothing is decided",
        };
        var constructive = b.Rule == DecisionRule.UnanimityWithConstructiveAbstention;
        return new DecisionThresholds
        {
            ParticipatingMembers = n,
            ParticipatingPopulation = b.Population,
            AllMemberStatesTakePart = b.AllMemberStatesTakePart,
            MembersRequired = b.MembersRequired,
            MembersPercent = b.MembersPercent,
            MinimumMembers = b.MinimumMembers,
            PopulationRequired = b.PopulationRequired,
            PopulationPercent = b.PopulationPercent,
            BlockingMinorityMembers = b.BlockingMinorityMembers,
            ConstructiveAbstentionMembersToBlock = constructive ? b.ConstructiveAbstentionMembersToBlock : null,
            ConstructiveAbstentionPopulationToBlock = constructive ? b.ConstructiveAbstentionPopulationToBlock : null,
            Description = description,
        };
    }

    private static ImmutableArray<StanceTally> Tallies(Ballot b, List<DelegationStance> members, PopulationTable table)
    {
        var counted = members.Where(m => !m.VotingRightsSuspended).ToList();
        return [.. Enum.GetValues<Stance>().Select(stance =>
        {
            var holding = counted
                .Where(m => m.Stance == stance)
                .OrderBy(m => MemberStates.ProtocolIndex(m.Code))
                .ToList();
            var population = holding.Sum(m => table.PopulationOf(m.Code));
            if (stance == Stance.NotTakingPart)
            {
                // Outside the voting body: no share of a participating population they are not part of.
                return new StanceTally(stance, holding.Count, [.. holding.Select(m => m.Code)], population, null, null);
            }
            return new StanceTally(
                stance,
                holding.Count,
                [.. holding.Select(m => m.Code)],
                population,
                b.Members == 0 ? null : DisplayPercent(holding.Count, b.Members),
                b.Population == 0 ? null : DisplayPercent(population, b.Population));
        })];
    }

    private static ImmutableArray<MemberStance> Blockers(Ballot b, Stance[] stances, DecisionOutcome outcome)
    {
        if (outcome != DecisionOutcome.NotAdopted)
        {
            return [];
        }
        var counts = b.Count(stances, Stance.Oppose);
        Func<Stance, bool> blocks = b.Rule switch
        {
            DecisionRule.Consensus or DecisionRule.Unanimity => s => s == Stance.Oppose,
            DecisionRule.UnanimityWithConstructiveAbstention => b.ConstructiveAbstentionBlocks(counts)
                ? s => s is Stance.Oppose or Stance.AbstainConstructively
                : s => s == Stance.Oppose,
            _ => s => s is Stance.Oppose or Stance.Abstain or Stance.AbstainConstructively,
        };
        return [.. b.ByPopulation
            .Where(i => blocks(stances[i]))
            .Select(i => new MemberStance(b.Voters[i].Code, b.Voters[i].Name, stances[i], b.Voters[i].Population))];
    }

    private static string Reason(Ballot b, Stance[] stances, DecisionOutcome outcome)
    {
        if (outcome == DecisionOutcome.NoDecision)
        {
            return "For information: nothing is decided.";
        }
        if (b.Members == 0)
        {
            return "No member state takes part in the vote: nothing can be adopted.";
        }

        var names = (Func<Stance, bool> which) => (IReadOnlyList<string>)[.. Enumerable.Range(0, b.Members)
            .Where(i => which(stances[i])).Select(i => b.Voters[i].Name)];
        var undecided = names(s => s == Stance.NoPosition);
        var undecidedWords = $"{Names(undecided, 6)} {Verb(Stance.NoPosition, undecided.Count > 1, Stance.NoPosition)}";
        var decided = b.Count(stances, Stance.Abstain);

        return b.Rule switch
        {
            DecisionRule.Consensus or DecisionRule.Unanimity or DecisionRule.UnanimityWithConstructiveAbstention =>
                UnanimityReason(b, stances, outcome, names, undecidedWords, decided),
            _ => MajorityReason(b, stances, outcome, undecided, undecidedWords),
        };
    }

    private static string UnanimityReason(
        Ballot b, Stance[] stances, DecisionOutcome outcome, Func<Func<Stance, bool>, IReadOnlyList<string>> names,
        string undecidedWords, Ballot.Counts decided)
    {
        var label = b.Rule == DecisionRule.Consensus ? "consensus" : "unanimity";
        var opposed = names(s => s == Stance.Oppose);
        var constructive = names(s => s == Stance.AbstainConstructively);
        var abstaining = names(s => s is Stance.Abstain or Stance.AbstainConstructively);
        var isConstructiveRule = b.Rule == DecisionRule.UnanimityWithConstructiveAbstention;

        if (opposed.Count > 0)
        {
            return $"{Names(opposed)} {Verb(Stance.Oppose, opposed.Count > 1, Stance.Oppose)}: {label} requires no objection.";
        }
        if (isConstructiveRule && b.ConstructiveAbstentionBlocks(decided))
        {
            return $"{Names(constructive)} abstain with a formal declaration: they are at least one third of the member states " +
                $"({constructive.Count} of {b.Members}) and hold {Percent(decided.ConstructivePopulation, b.Population)} of the population " +
                "(at least one third), so the decision is not adopted.";
        }
        if (outcome == DecisionOutcome.Pending)
        {
            return $"Pending: {undecidedWords}; {label} requires no objection.";
        }
        if (outcome == DecisionOutcome.NotAdopted)
        {
            return $"No member state supports it: {label} needs at least one member state in favour, abstentions alone adopt nothing.";
        }

        var support = $"{decided.InFavour} of {b.Members} member states support";
        if (abstaining.Count == 0)
        {
            return $"No member state opposes: {support}.";
        }
        if (isConstructiveRule && constructive.Count > 0)
        {
            var plain = names(s => s == Stance.Abstain);
            var plainWords = plain.Count == 0 ? "" : $"{Names(plain)} {Verb(Stance.Abstain, plain.Count > 1, Stance.Abstain)}; ";
            var membersBelow = decided.Constructive * 3 < b.Members;
            var populationBelow = decided.ConstructivePopulation * 3 < b.Population;
            var below = (membersBelow, populationBelow) switch
            {
                (true, true) => "the member states and of the population",
                (true, false) => "the member states",
                _ => "the population",
            };
            return $"No member state opposes: {support}; {plainWords}{Names(constructive)} " +
                $"{Verb(Stance.AbstainConstructively, constructive.Count > 1, Stance.AbstainConstructively)} and {(constructive.Count > 1 ? "are" : "is")} not bound; " +
                $"formal abstentions ({constructive.Count} of {b.Members} member states, {Percent(decided.ConstructivePopulation, b.Population)} of the population) " +
                $"are below one third of {below}, so they do not block.";
        }
        var abstainWords = $"{Names(abstaining)} {Verb(Stance.Abstain, abstaining.Count > 1, Stance.Abstain)}";
        return $"No member state opposes: {support}; {abstainWords}, which does not prevent adoption.";
    }

    private static string MajorityReason(
        Ballot b, Stance[] stances, DecisionOutcome outcome, IReadOnlyList<string> undecided, string undecidedWords)
    {
        var now = b.Count(stances, Stance.Abstain);
        var inFavour = $"{now.InFavour} of {b.Members} member states in favour ({Percent(now.InFavour, b.Members)})";
        if (b.Rule == DecisionRule.SimpleMajority)
        {
            var needed = $"a simple majority needs {b.MembersRequired}";
            return outcome switch
            {
                DecisionOutcome.Adopted => $"Adopted: {inFavour}; {needed}.",
                DecisionOutcome.Pending => $"Pending: {inFavour}; {needed}; {undecidedWords}.",
                _ => $"Not adopted: only {inFavour}; {needed}{EvenIf(undecided)}.",
            };
        }

        var label = b.Rule == DecisionRule.QualifiedMajority ? "qualified majority" : "reinforced qualified majority";
        var holding = $"holding {Percent(now.InFavourPopulation, b.Population)} of the population";
        var required = $"{b.MembersRequired} member states and {b.PopulationPercent}% of the population ({People(b.PopulationRequired!.Value)}) are required";
        var worst = b.Count(stances, Stance.Oppose);

        if (outcome == DecisionOutcome.Adopted)
        {
            if (b.IsDeemedAttained(worst))
            {
                var notInFavour = Enumerable.Range(0, b.Members).Where(i => !Ballot.IsInFavour(stances[i])).Select(i => b.Voters[i].Name).ToList();
                return $"Qualified majority deemed attained: the {notInFavour.Count} member states not in favour ({Names(notInFavour)}) " +
                    $"hold {Percent(b.Population - worst.InFavourPopulation, b.Population)} of the population, " +
                    $"but a blocking minority needs at least {b.BlockingMinorityMembers} members.";
            }
            return $"Adopted by {label}: {inFavour}, {holding}; {required}.";
        }
        if (outcome == DecisionOutcome.Pending)
        {
            return $"Pending: {inFavour}, {holding}; {required}; {undecidedWords}.";
        }

        var failures = new List<string>();
        if (!b.MeetsMembers(now))
        {
            var minimum = b.MinimumMembers is { } min ? $", and at least {min}" : "";
            failures.Add($"only {now.InFavour} of {b.Members} member states in favour ({PercentShort(now.InFavour, b.Members)}): " +
                $"{b.MembersRequired} are required ({b.MembersPercent}%{minimum})");
        }
        if (!b.MeetsPopulation(now))
        {
            failures.Add($"the member states in favour hold {People(now.InFavourPopulation)} of {People(b.Population)} people " +
                $"({PercentShort(now.InFavourPopulation, b.Population)}): {b.PopulationPercent}% ({People(b.PopulationRequired!.Value)}) is required");
        }
        var blockers = b.ByPopulation.Where(i => stances[i] is Stance.Oppose or Stance.Abstain or Stance.AbstainConstructively).ToList();
        var minority = blockers.Count == 0
            ? ""
            : $" Blocking: {Names([.. blockers.Select(i => b.Voters[i].Name)])} ({MemberStatesCount(blockers.Count)}, " +
              $"{Percent(blockers.Sum(i => b.Voters[i].Population), b.Population)} of the population).";
        return $"Not adopted: {string.Join("; ", failures)}{EvenIf(undecided)}.{minority}";
    }

    private static string EvenIf(IReadOnlyList<string> undecided) =>
        undecided.Count == 0 ? "" : $", even if the {MemberStatesCount(undecided.Count)} that have not yet said support";

    private static ImmutableArray<NotCountedDelegation> NotCounted(List<DelegationStance> delegations) =>
        [.. delegations
            .Where(d => d.Kind != DelegationKind.MemberState || d.VotingRightsSuspended)
            .Select(d => d.Kind switch
            {
                DelegationKind.Institution => new NotCountedDelegation(d.Code, d.Name ?? d.Code, d.Kind,
                    "An institution, not a member: it does not vote (the Presidents of the European Council and of the Commission: Art. 235(1) TFEU)."),
                DelegationKind.Guest => new NotCountedDelegation(d.Code, d.Name ?? d.Code, d.Kind,
                    "A guest: it takes part in the discussion and has no vote."),
                _ => new NotCountedDelegation(d.Code, MemberStates.NameOf(d.Code), d.Kind,
                    "Voting rights suspended under Art. 7(3) TEU: not counted (Art. 354 TFEU)."),
            })];

    private static ImmutableArray<string> Notes(Ballot b, List<DelegationStance> members, PopulationTable population)
    {
        var notes = new List<string>();
        if (b.Rule == DecisionRule.ForInformation)
        {
            return [];
        }
        var suspended = members.Where(m => m.VotingRightsSuspended).Select(m => m.Code).ToHashSet();
        var outside = MemberStates.All
            .Where(s => !b.Voters.Any(v => v.Code == s.Code))
            .Select(s => suspended.Contains(s.Code) ? $"{s.Name} (voting rights suspended)" : s.Name)
            .ToList();
        if (outside.Count > 0)
        {
            var verb = outside.Count > 1 ? "do" : "does";
            notes.Add($"Not all member states take part: {Names(outside)} {verb} not; " +
                $"thresholds are of the {MemberStatesCount(b.Members)} taking part and of their population (Art. 238(3) TFEU).");
        }
        var constructive = members
            .Where(m => m.Stance == Stance.AbstainConstructively && b.Voters.Any(v => v.Code == m.Code))
            .OrderBy(m => MemberStates.ProtocolIndex(m.Code))
            .Select(m => MemberStates.NameOf(m.Code))
            .ToList();
        if (constructive.Count > 0)
        {
            notes.Add(b.Rule == DecisionRule.UnanimityWithConstructiveAbstention
                ? $"{Names(constructive)} {(constructive.Count > 1 ? "abstain" : "abstains")} with a formal declaration: not bound by the decision, " +
                  "but accepting that it commits the Union (Art. 31(1) TEU)."
                : $"{Names(constructive)} {(constructive.Count > 1 ? "abstain" : "abstains")} with a formal declaration, which has no effect of its own " +
                  "under this rule: it counts as an abstention.");
        }
        foreach (var m in members.Where(m => m.Stance == Stance.SupportWithReservation && b.Voters.Any(v => v.Code == m.Code))
                     .OrderBy(m => MemberStates.ProtocolIndex(m.Code)))
        {
            notes.Add($"{MemberStates.NameOf(m.Code)} supports with {Reservation(m.Reservation!.Kind)}: {m.Reservation.Text}");
        }
        var usesPopulation = b.Rule is DecisionRule.QualifiedMajority or DecisionRule.ReinforcedQualifiedMajority
            or DecisionRule.UnanimityWithConstructiveAbstention;
        if (usesPopulation && population.Origin == PopulationFigureOrigin.DerivedFromPublishedShares)
        {
            notes.Add($"Population figures for {population.Year} are derived from published shares, not the Council's official integers: " +
                "a result within a few thousand people of a threshold should be checked against the official table.");
        }
        return [.. notes];
    }
}
