using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

/// <summary>Builds voting bodies and synthetic population tables for the decision-rule tests.</summary>
internal static class Council
{
    public static readonly string[] Codes = [.. MemberStates.All.Select(s => s.Code)];

    /// <summary>All 27 member states with one stance.</summary>
    public static List<DelegationStance> All(Stance stance) => [.. Codes.Select(code => new DelegationStance(code, stance))];

    /// <summary>The given member states take <paramref name="stance"/>, the others keep theirs.</summary>
    public static List<DelegationStance> With(this List<DelegationStance> delegations, Stance stance, params IEnumerable<string> codes)
    {
        var set = codes.ToHashSet();
        return [.. delegations.Select(d => set.Contains(d.Code) ? d with { Stance = stance } : d)];
    }

    public static List<DelegationStance> Without(this List<DelegationStance> delegations, params IEnumerable<string> codes)
    {
        var set = codes.ToHashSet();
        return [.. delegations.Where(d => !set.Contains(d.Code))];
    }

    public static List<DelegationStance> Suspended(this List<DelegationStance> delegations, string code) =>
        [.. delegations.Select(d => d.Code == code ? d with { VotingRightsSuspended = true } : d)];

    /// <summary>The first <paramref name="count"/> member states in protocol order.</summary>
    public static string[] First(int count) => Codes[..count];

    public static string[] Last(int count) => Codes[^count..];

    /// <summary>
    /// A synthetic table in which each group of member states holds an exact total, spread as evenly as the
    /// integers allow (the remainder goes to the group's first member). Every member state must be in a group.
    /// </summary>
    public static PopulationTable Table(params (IEnumerable<string> Codes, long Total)[] groups)
    {
        var figures = new List<PopulationFigure>();
        foreach (var (codes, total) in groups)
        {
            var list = codes.ToList();
            var each = total / list.Count;
            figures.AddRange(list.Select((code, i) => new PopulationFigure(code, i == 0 ? each + total % list.Count : each)));
        }
        return new PopulationTable(2099, "synthetic test table", PopulationFigureOrigin.Official, figures);
    }

    public static DecisionResult Evaluate(this List<DelegationStance> delegations, DecisionRule rule, PopulationTable? table = null) =>
        DecisionEvaluator.Evaluate(rule, delegations, table ?? PopulationTables.Eu2025);

    public static string[] Descriptions(this DecisionResult result) => [.. result.Flips.Select(f => f.Description)];
}
