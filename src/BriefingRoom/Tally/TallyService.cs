using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Population;
using BriefingRoom.Positions;
using BriefingRoom.Realtime;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Tally;

/// <summary>
/// The live tally of agenda items: the meeting's participants and the item's positions, turned into the inputs of
/// the pure <see cref="DecisionEvaluator"/> and evaluated under the item's rule with the table the meeting's year picks.
/// Member states taking part in the meeting form the voting body (with their Art. 7 suspension), a member state
/// without a position counts as not yet said; institutions, and the guests invited to the item, are listed as not counted.
/// </summary>
public sealed class TallyService(BriefingDb db)
{
    public const string ChangedEvent = "tally.changed";

    /// <summary>The tally of one item the caller may see; a guest gets "not found" for items it is not invited to.</summary>
    public async Task<Outcome<ItemTallyDto>> ForItemAsync(MeetingAccess access, int itemId, CancellationToken ct)
    {
        var found = await ItemRules.ReadVisibleAsync(db, access, itemId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == access.MeetingId, ct);
        var tally = (await ForItemsAsync(db, meeting, [found.Value!], ct))[0];
        return GuestView.SeesPositions(access, found.Value!) ? tally : GuestView.ForGuests(tally);
    }

    /// <summary>The tallies of <paramref name="items"/> (with their guests loaded), read through <paramref name="db"/>.</summary>
    public static async Task<IReadOnlyList<ItemTallyDto>> ForItemsAsync(BriefingDb db, Meeting meeting, IReadOnlyList<AgendaItem> items, CancellationToken ct)
    {
        var participants = await db.Participants.AsNoTracking().Include(p => p.Delegation)
            .Where(p => p.MeetingId == meeting.Id).ToListAsync(ct);
        var itemIds = items.Select(i => i.Id).ToList();
        var positions = await db.Positions.AsNoTracking().Where(p => itemIds.Contains(p.ItemId)).ToListAsync(ct);
        var population = await PopulationTableStore.ForYearAsync(db, meeting.Date.Year, ct);
        return Build(items, participants, positions, population);
    }

    /// <summary>Pure: the tallies from what has been read already (the snapshot reads it once for everything it shows).</summary>
    public static IReadOnlyList<ItemTallyDto> Build(
        IReadOnlyList<AgendaItem> items, IReadOnlyList<Participant> participants, IReadOnlyList<Position> positions, PopulationChoice population)
    {
        var byItem = positions.ToLookup(p => p.ItemId);
        return [.. items.Select(item =>
        {
            var delegations = Delegations(item, participants, byItem[item.Id]);
            var tally = ItemTallyDto.From(item.Id, WithoutWhatIfs(item, Evaluate(item, delegations, population)));
            if (!delegations.Any(NotTakingPart))
            {
                return tally;
            }

            // A member state "not taking part" leaves the voting body, which moves the thresholds: a guest, who may not see
            // that stance, is given those of the body as the room knows it (its outcome in words is the real one).
            var known = DecisionEvaluator.BasisAndThresholds(item.Rule, delegations.Select(d => NotTakingPart(d) ? d with { Stance = Stance.NoPosition } : d), population.Table);
            return tally with { ForGuestsWithoutStances = known };
        })];
    }

    /// <summary>
    /// For a change that moves tallies: saves what the change has done so far, so that the tallies see it, then
    /// returns one "tally.changed" event per item (all the meeting's items when <paramref name="itemIds"/> is null),
    /// each for the item's own guests. The change appends them right after its own event.
    /// </summary>
    public static async Task<IReadOnlyList<PendingEvent>> ChangedEventsAsync(ChangeContext ctx, IReadOnlyCollection<int>? itemIds, CancellationToken ct)
    {
        await ctx.Db.SaveChangesAsync(ct);
        var query = ctx.Db.Items.AsNoTracking().Include(i => i.Guests).Where(i => i.MeetingId == ctx.Meeting.Id);
        if (itemIds is not null)
        {
            query = query.Where(i => itemIds.Contains(i.Id));
        }

        var items = await query.OrderBy(i => i.Number).ToListAsync(ct);
        var tallies = await ForItemsAsync(ctx.Db, ctx.Meeting, items, ct);
        return [.. items.Zip(tallies, GuestView.TallyEvents).SelectMany(events => events)];
    }

    /// <summary>A coalition statement is supported by those who sign it, not decided: "if Hungary abstains: adopted" means nothing there.</summary>
    private static bool NotTakingPart(DelegationStance d) => d.Kind == DelegationKind.MemberState && d.Stance == Stance.NotTakingPart;

    private static DecisionResult WithoutWhatIfs(AgendaItem item, DecisionResult result) =>
        item.Status == ItemStatus.Coalition ? result with { Flips = [] } : result;

    private static List<DelegationStance> Delegations(AgendaItem item, IReadOnlyList<Participant> participants, IEnumerable<Position> positions)
    {
        var byCode = positions.ToDictionary(p => p.DelegationCode, StringComparer.Ordinal);
        var invited = item.Guests.Select(g => g.DelegationCode).ToHashSet(StringComparer.Ordinal);
        return [.. participants
            .Where(p => p.Delegation!.Kind != DelegationKind.Guest || invited.Contains(p.DelegationCode))
            .OrderBy(p => p.Delegation!.Kind)
            .ThenBy(p => MemberStates.ProtocolIndex(p.DelegationCode))
            .ThenBy(p => p.Delegation!.Name, StringComparer.Ordinal)
            .Select(p => StanceOf(p, byCode.GetValueOrDefault(p.DelegationCode)))];
    }

    private static DecisionResult Evaluate(AgendaItem item, IReadOnlyList<DelegationStance> delegations, PopulationChoice population)
    {
        var result = DecisionEvaluator.Evaluate(item.Rule, delegations, population.Table);
        return population.Note is { } note && result.Rule != DecisionRule.ForInformation
            ? result with { Notes = [note, .. result.Notes] }
            : result;
    }

    private static DelegationStance StanceOf(Participant participant, Position? position)
    {
        var delegation = participant.Delegation!;
        var stance = position?.Stance ?? Stance.NoPosition;
        return new DelegationStance(participant.DelegationCode, stance)
        {
            Kind = delegation.Kind,
            Name = delegation.Name,
            VotingRightsSuspended = delegation.Kind == DelegationKind.MemberState && participant.VotingRightsSuspended,
            Reservation = stance == Stance.SupportWithReservation
                ? new Reservation(position!.ReservationKind ?? ReservationKind.General, position.ReservationText ?? "")
                : null,
        };
    }
}
