using System.Collections.Immutable;

namespace BriefingRoom.Voting;

/// <summary>
/// "What would flip it": the smallest sets of stance changes that would change the outcome. Bounded and
/// deterministic: every member state alone first (at most 27 x 3 evaluations); only if no single change
/// works, one combination built greedily, largest population first, then pruned of every change it does
/// not need. Largest-first is optimal in the number of changes for the majority rules, whose thresholds
/// count members and add up population; for unanimity it ends with exactly the objections to lift.
/// </summary>
internal static class FlipSearch
{
    public static ImmutableArray<FlipScenario> Find(Ballot b, Stance[] stances, DecisionOutcome outcome) => outcome switch
    {
        // Towards adoption: the decided member states not in favour move.
        DecisionOutcome.NotAdopted => [.. Direction(b, stances, outcome, towardAdoption: true,
            movable: s => s is Stance.Oppose or Stance.Abstain or Stance.AbstainConstructively)],
        // Towards rejection: the decided member states that do not oppose move.
        DecisionOutcome.Adopted => [.. Direction(b, stances, outcome, towardAdoption: false,
            movable: s => s is not (Stance.Oppose or Stance.NoPosition))],
        // What would settle it: only those that have not yet said move.
        DecisionOutcome.Pending =>
        [
            .. Direction(b, stances, outcome, towardAdoption: true, movable: s => s == Stance.NoPosition),
            .. Direction(b, stances, outcome, towardAdoption: false, movable: s => s == Stance.NoPosition),
        ],
        _ => [],
    };

    private static List<FlipScenario> Direction(
        Ballot b, Stance[] stances, DecisionOutcome outcome, bool towardAdoption, Func<Stance, bool> movable)
    {
        var candidates = b.ByPopulation.Where(i => movable(stances[i])).ToList();
        var singles = new List<FlipScenario>();
        var trial = (Stance[])stances.Clone();
        foreach (var i in candidates)
        {
            var working = new List<(Stance To, DecisionOutcome Reached)>();
            foreach (var to in Targets(b, stances[i], towardAdoption))
            {
                trial[i] = to;
                var reached = b.OutcomeOf(trial);
                if (reached != outcome)
                {
                    working.Add((to, reached));
                }
            }
            trial[i] = stances[i];
            // An abstention is the smaller step for a member state that opposes: offer it, not support, when it is enough.
            if (towardAdoption && working.Any(w => w.To is Stance.Abstain or Stance.AbstainConstructively))
            {
                working.RemoveAll(w => w.To == Stance.Support);
            }
            singles.AddRange(working.Select(w => Scenario(b, [(i, stances[i], w.To)], w.Reached)));
        }
        return singles.Count > 0 ? singles : Combination(b, stances, outcome, towardAdoption, candidates);
    }

    private static List<FlipScenario> Combination(
        Ballot b, Stance[] stances, DecisionOutcome outcome, bool towardAdoption, List<int> candidates)
    {
        var strongest = towardAdoption ? Stance.Support : Stance.Oppose;
        var trial = (Stance[])stances.Clone();
        var chosen = new List<int>();
        foreach (var i in candidates)
        {
            trial[i] = strongest;
            chosen.Add(i);
            if (b.OutcomeOf(trial) != outcome)
            {
                break;
            }
        }
        var reached = b.OutcomeOf(trial);
        if (reached == outcome)
        {
            return [];
        }

        for (var k = chosen.Count - 1; k >= 0; k--)
        {
            var i = chosen[k];
            trial[i] = stances[i];
            if (b.OutcomeOf(trial) == reached)
            {
                chosen.RemoveAt(k);
            }
            else
            {
                trial[i] = strongest;
            }
        }

        if (towardAdoption)
        {
            foreach (var i in chosen)
            {
                foreach (var milder in Milder(b, stances[i]))
                {
                    trial[i] = milder;
                    if (b.OutcomeOf(trial) == reached)
                    {
                        break;
                    }
                    trial[i] = strongest;
                }
            }
        }
        return [Scenario(b, [.. chosen.Select(i => (i, stances[i], trial[i]))], reached)];
    }

    private static Stance[] Targets(Ballot b, Stance from, bool towardAdoption)
    {
        if (!towardAdoption)
        {
            return [Stance.Oppose];
        }
        return from switch
        {
            Stance.NoPosition => [Stance.Support],
            _ => [.. Milder(b, from), Stance.Support],
        };
    }

    /// <summary>The steps short of support that a member state not in favour could take, smallest first.</summary>
    private static Stance[] Milder(Ballot b, Stance from) => from switch
    {
        Stance.Oppose when b.Rule == DecisionRule.UnanimityWithConstructiveAbstention => [Stance.Abstain, Stance.AbstainConstructively],
        Stance.Oppose => [Stance.Abstain],
        Stance.AbstainConstructively => [Stance.Abstain],
        _ => [],
    };

    private static FlipScenario Scenario(Ballot b, List<(int Index, Stance From, Stance To)> changes, DecisionOutcome reached)
    {
        var records = changes
            .Select(c => new StanceChange(b.Voters[c.Index].Code, b.Voters[c.Index].Name, c.From, c.To))
            .ToImmutableArray();
        return new FlipScenario(records, reached, $"if {DecisionWording.Changes(records)}: {DecisionWording.Outcome(reached)}");
    }
}
