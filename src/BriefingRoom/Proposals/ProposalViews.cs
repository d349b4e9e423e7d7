using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Population;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Proposals;

/// <summary>
/// What a proposal's "would the backers alone carry it" needs: the meeting's delegations, its year's table, each item's
/// rule, and the member states that take no part in an item (<see cref="NotTakingPart"/>: outside its voting body).
/// </summary>
public sealed record ProposalCarryContext(
    IReadOnlyList<Participant> Participants, PopulationTable Table, IReadOnlyDictionary<int, DecisionRule> Rules, IReadOnlySet<(int ItemId, string Code)> NotTakingPart);

/// <summary>Proposals as screens show them.</summary>
public static class ProposalViews
{
    public static async Task<ProposalCarryContext> CarryContextAsync(BriefingDb db, Meeting meeting, CancellationToken ct)
    {
        var participants = await db.Participants.AsNoTracking().Include(p => p.Delegation).Where(p => p.MeetingId == meeting.Id).ToListAsync(ct);
        var population = await PopulationTableStore.ForYearAsync(db, meeting.Date.Year, ct);
        var rules = await db.Items.AsNoTracking().Where(i => i.MeetingId == meeting.Id).ToDictionaryAsync(i => i.Id, i => i.Rule, ct);
        var itemIds = rules.Keys.ToList();
        var outside = await db.Positions.AsNoTracking()
            .Where(p => itemIds.Contains(p.ItemId) && p.Stance == Stance.NotTakingPart)
            .Select(p => new { p.ItemId, p.DelegationCode }).ToListAsync(ct);
        return new ProposalCarryContext(participants, population.Table, rules, outside.Select(o => (o.ItemId, o.DelegationCode)).ToHashSet());
    }

    /// <summary>The proposal as screens show it; <paramref name="span"/>, when given, is a newer span than the row holds (the grain's).</summary>
    public static ProposalDto Dto(Proposal p, ProposalCarryContext? carry, ProposalSpanDto? span = null)
    {
        var backers = p.Supports.Where(s => s.Stance == SupportStance.Back).Select(s => s.DelegationCode).Order(StringComparer.Ordinal).ToList();
        var objectors = p.Supports.Where(s => s.Stance == SupportStance.Object).Select(s => s.DelegationCode).Order(StringComparer.Ordinal).ToList();
        return new ProposalDto(
            p.Id, p.Number, p.ItemId, DocumentId.Draft(p.ItemId).ToString(),
            p.DelegationCode, p.ProposerName, p.ProposedByName, p.CreatedAt,
            p.Original, p.Replacement, p.Reason,
            p.Status, span ?? new ProposalSpanDto(p.From, p.To, p.Revision, p.SpanDeleted),
            backers, objectors,
            p.Status == ProposalStatus.Open && carry is not null ? Carry(p, backers, objectors, carry) : null,
            p.DecidedAt is { } at ? new ProposalDecisionDto(p.DecidedByName ?? "", at, p.DecisionReason, p.AcceptedRevision) : null);
    }

    /// <summary>
    /// The item's own rule, evaluated by the same code as the live tally (<see cref="DecisionEvaluator"/>), with the
    /// backers (and the proposer) supporting, the objectors opposing, those not taking part in the item outside its voting
    /// body and every other member state abstaining: "if nobody else moved".
    /// </summary>
    private static BackersCarryDto? Carry(Proposal p, List<string> backers, List<string> objectors, ProposalCarryContext carry)
    {
        if (!carry.Rules.TryGetValue(p.ItemId, out var rule) || rule == DecisionRule.ForInformation)
        {
            return null;
        }

        var stances = carry.Participants
            .Where(x => x.Delegation!.Kind != DelegationKind.Guest)
            .Select(x =>
            {
                var kind = x.Delegation!.Kind;
                // A member state that does not take part in the item (an opt-out) is outside its voting body, whatever it
                // says of the wording: the thresholds are of the others, as in the live tally. The proposer backs it.
                var stance = kind == DelegationKind.MemberState && carry.NotTakingPart.Contains((p.ItemId, x.DelegationCode)) ? Stance.NotTakingPart
                    : backers.Contains(x.DelegationCode) || x.DelegationCode == p.DelegationCode ? Stance.Support
                    : objectors.Contains(x.DelegationCode) ? Stance.Oppose
                    : kind == DelegationKind.MemberState ? Stance.Abstain : Stance.NoPosition;
                return new DelegationStance(x.DelegationCode, stance)
                {
                    Kind = kind,
                    Name = x.Delegation.Name,
                    VotingRightsSuspended = kind == DelegationKind.MemberState && x.VotingRightsSuspended,
                };
            });
        var result = DecisionEvaluator.Evaluate(rule, stances, carry.Table);
        return new BackersCarryDto(result.Outcome == DecisionOutcome.Adopted, result.Outcome, result.Reason);
    }

    /// <summary>
    /// The proposals on the items a snapshot shows: the open ones at the spans the grain gave with the texts (one the
    /// grain did not list was tabled after those texts, and its event follows), the closed ones as they ended.
    /// </summary>
    public static async Task<IReadOnlyList<ProposalDto>> ForSnapshotAsync(
        BriefingDb db, Meeting meeting, IReadOnlyCollection<int> itemIds, IReadOnlyList<Live.ProposalSpanEntry> openSpans, CancellationToken ct)
    {
        var rows = await db.Proposals.AsNoTracking().Include(p => p.Supports)
            .Where(p => p.MeetingId == meeting.Id && itemIds.Contains(p.ItemId))
            .OrderBy(p => p.Number).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }

        var spans = openSpans.ToDictionary(s => s.ProposalId, s => s.Span);
        var carry = await CarryContextAsync(db, meeting, ct);
        return [.. rows
            .Where(p => p.Status != ProposalStatus.Open || spans.ContainsKey(p.Id))
            .Select(p => Dto(p, carry, spans.GetValueOrDefault(p.Id)))];
    }
}
