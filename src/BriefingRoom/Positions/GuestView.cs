using System.Text.Json;
using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Proposals;
using BriefingRoom.Realtime;
using BriefingRoom.Tally;
using BriefingRoom.Voting;

namespace BriefingRoom.Positions;

/// <summary>
/// What a guest delegation (a third country) sees of an item it is invited to. In Council practice a third country is
/// not shown the member states' internal positions: by default a guest sees the item's text, its status and the
/// outcome in words, its own position, and never another delegation's stance, reservation, position text or name as a
/// blocker or abstainer, in the snapshot, the events, the REST reads and the tally. The chair may open an item's
/// positions to its guests (<see cref="AgendaItem.GuestsSeePositions"/>, recorded as an event). The one place these
/// rules live: every read and every event audience asks here.
/// </summary>
public static class GuestView
{
    /// <summary>Whether the caller sees every delegation's position on the item.</summary>
    public static bool SeesPositions(MeetingAccess access, AgendaItem item) => !access.IsGuest || item.GuestsSeePositions;

    /// <summary>Whether the caller may read this text of the item: the draft always, a position text if positions are open or it is its own.</summary>
    public static bool MayRead(MeetingAccess access, AgendaItem item, DocumentId id) =>
        id.Kind == DocumentKind.Draft || SeesPositions(access, item) || Same(id.DelegationCode, access.DelegationCode);

    /// <summary>The guests who may hear of a delegation's position (or its text): all the item's guests when shared, else the delegation itself if it is a guest.</summary>
    public static IReadOnlyCollection<string> PositionAudience(AgendaItem item, string delegationCode) =>
        item.GuestsSeePositions
            ? ItemRules.Audience(item)
            : [.. item.Guests.Where(g => Same(g.DelegationCode, delegationCode)).Select(g => g.DelegationCode)];

    /// <summary>The audience of an event about one of the item's texts.</summary>
    public static IReadOnlyCollection<string> TextAudience(AgendaItem item, DocumentId id) =>
        id.Kind == DocumentKind.Draft ? ItemRules.Audience(item) : PositionAudience(item, id.DelegationCode ?? "");

    /// <summary>The audience of an event that names member states' positions (a tally, footnotes): the item's guests only when shared.</summary>
    public static IReadOnlyCollection<string> PositionsAudience(AgendaItem item) => item.GuestsSeePositions ? ItemRules.Audience(item) : [];

    /// <summary>
    /// The tally events for one item: when the item's positions are closed to its guests, the guests get the outcome in
    /// words first, and the members the whole tally after it (members hear every audience, so the whole one comes last
    /// and stands).
    /// </summary>
    public static IEnumerable<PendingEvent> TallyEvents(AgendaItem item, ItemTallyDto tally)
    {
        if (item.GuestsSeePositions || item.Guests.Count == 0)
        {
            yield return new PendingEvent(TallyService.ChangedEvent, item.Id, new TallyChangedDto(item.Id, tally), ItemRules.Audience(item));
            yield break;
        }

        yield return new PendingEvent(TallyService.ChangedEvent, item.Id, new TallyChangedDto(item.Id, ForGuests(tally)), ItemRules.Audience(item)) { Actor = "The tally" };
        yield return new PendingEvent(TallyService.ChangedEvent, item.Id, new TallyChangedDto(item.Id, tally), []);
    }

    /// <summary>
    /// A proposal as a guest sees it when the item's positions are closed to it: its words, its proposer and its fate, not
    /// who backs or objects (a member state's stance on the words) nor whether the backers alone would carry it (a tally).
    /// </summary>
    public static ProposalDto ForGuests(ProposalDto proposal) =>
        proposal with { Backers = [], Objectors = [], Carry = null, PositionsWithheld = true };

    /// <summary>The proposal as <paramref name="access"/> may see it on <paramref name="item"/>.</summary>
    public static ProposalDto Proposal(MeetingAccess access, AgendaItem item, ProposalDto proposal) =>
        SeesPositions(access, item) ? proposal : ForGuests(proposal);

    /// <summary>
    /// An event as a guest hears it, live or on catch-up: a proposal's event on an item whose positions are closed to the
    /// guests carries the proposal as <see cref="ForGuests(ProposalDto)"/>. Events are stored once, as members hear them.
    /// </summary>
    public static MeetingEventDto ForGuests(MeetingEventDto e, Func<int, bool> guestsSeePositions)
    {
        if (!e.Type.StartsWith(ProposalService.EventPrefix, StringComparison.Ordinal) || e.ItemId is not { } itemId || guestsSeePositions(itemId))
        {
            return e;
        }

        var proposal = e.Payload switch
        {
            ProposalDto dto => dto,
            JsonElement json when json.ValueKind == JsonValueKind.Object && json.TryGetProperty("backers", out _) => json.Deserialize<ProposalDto>(BriefingJson.Options),
            _ => null,
        };
        return proposal is null ? e : e with { Payload = ForGuests(proposal) };
    }

    /// <summary>The tally as a guest sees it when positions are closed: the rule, the thresholds (of the voting body as the room knows it) and the outcome in words; nobody's stance.</summary>
    public static ItemTallyDto ForGuests(ItemTallyDto tally) => tally with
    {
        Basis = tally.ForGuestsWithoutStances?.Basis ?? tally.Basis,
        Thresholds = tally.ForGuestsWithoutStances?.Thresholds ?? tally.Thresholds,
        ForGuestsWithoutStances = null,
        Reason = OutcomeInWords(tally.Rule, tally.Outcome),
        Tallies = [],
        Blockers = [],
        Flips = [],
        Reservations = [],
        NotCounted = [],
        Notes = [],
        PositionsWithheld = true,
    };

    public static string OutcomeInWords(DecisionRule rule, DecisionOutcome outcome) => (outcome, rule) switch
    {
        (DecisionOutcome.Adopted, _) => "Adopted",
        (DecisionOutcome.NoDecision, _) => "For information: nothing is decided",
        (DecisionOutcome.Pending, _) => "Not yet decided: the positions are still being given",
        (_, DecisionRule.Consensus) => "Not adopted: consensus not reached",
        (_, DecisionRule.Unanimity or DecisionRule.UnanimityWithConstructiveAbstention) => "Not adopted: unanimity not reached",
        (_, DecisionRule.QualifiedMajority or DecisionRule.ReinforcedQualifiedMajority) => "Not adopted: qualified majority not reached",
        _ => "Not adopted: majority not reached",
    };

    private static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The body of "guests.positions": the chair opened or closed an item's positions to its guests.</summary>
public sealed record GuestPositionsDto(int ItemId, bool Shared, string By);

/// <summary>The chair's per-item switch: see <see cref="GuestView"/>.</summary>
public sealed record SetGuestPositionSharing(int ItemId, bool Share) : MeetingChange<AgendaItemDto>
{
    public override bool GoesOnWhenClosed => true;

    public override async Task<Outcome<ChangeStep<AgendaItemDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "open member states' positions to guests", allowedWhileLocked: true, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        var dto = AgendaItemDto.From(item);
        if (item.GuestsSeePositions == Share)
        {
            return new ChangeStep<AgendaItemDto>(dto, []);
        }

        item.GuestsSeePositions = Share;
        item.Version++;
        dto = AgendaItemDto.From(item);
        // The guests' pages load the item again on "guests.positions"; the tally that follows is already the one they may see.
        return new ChangeStep<AgendaItemDto>(dto,
        [
            new PendingEvent("item.updated", item.Id, dto, ItemRules.Audience(item)),
            new PendingEvent("guests.positions", item.Id, new GuestPositionsDto(item.Id, Share, ctx.Access.Caller.Name), ItemRules.Audience(item)),
            .. await TallyService.ChangedEventsAsync(ctx, [item.Id], ct),
        ]);
    }
}
