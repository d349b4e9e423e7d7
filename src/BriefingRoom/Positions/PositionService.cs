using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tally;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Positions;

/// <summary>Stances and reservations: a delegate states its own; the chair or the secretariat records any during a tour de table.</summary>
public sealed class PositionService(MeetingChanges changes)
{
    public Task<Outcome<PositionDto>> PutAsync(MeetingAccess access, int itemId, string delegationCode, PutPositionRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new SetPosition(itemId, delegationCode, request), ct);

    /// <summary>
    /// The one validation of a stance and its reservation, for REST and the hub alike. The paragraph is checked against
    /// the item's draft as it stands, numbered as <see cref="DraftParagraphs"/> numbers it (and the conclusions print it).
    /// </summary>
    internal static InvalidRefusal? Validate(PutPositionRequest? request, AgendaItem item)
    {
        if (request is null)
        {
            return new InvalidRefusal("request", "Send a position: its stance, its reservation if any, and the version you saw.");
        }

        if (request.Stance is null)
        {
            return new InvalidRefusal("stance", "A position names its stance.");
        }

        if (request.ExpectedVersion is null)
        {
            return new InvalidRefusal("expectedVersion", "Send the version of the position you saw (0 when it has none yet).");
        }

        if (request.ExpectedVersion < 0)
        {
            return new InvalidRefusal("expectedVersion", $"A position's version is 0 or more (0 when it has none yet), not {request.ExpectedVersion}.");
        }

        if (request.Stance == Stance.AbstainConstructively && item.Rule != DecisionRule.UnanimityWithConstructiveAbstention)
        {
            return new InvalidRefusal("stance",
                $"Constructive abstention exists only where Article 31(1) TEU applies (CFSP decisions taken by unanimity); item {ItemNumeral.Of(item.Number)} is not decided under it: abstain, or oppose, instead.");
        }

        if (request.ReservationText is { Length: > Limits.Reason })
        {
            return new InvalidRefusal("reservationText", $"A reservation's text is at most {Limits.Reason} characters.");
        }

        var withReservation = request.Stance == Stance.SupportWithReservation;
        if (withReservation && request.ReservationKind is null)
        {
            return new InvalidRefusal("reservationKind", "A support with a reservation names its kind: scrutiny, parliamentary or general.");
        }

        if (!withReservation && (request.ReservationKind is not null || !string.IsNullOrWhiteSpace(request.ReservationText)))
        {
            // The field sent is the one named: words alone must not be refused under a kind nobody gave.
            return new InvalidRefusal(request.ReservationKind is not null ? "reservationKind" : "reservationText", "Only a support with a reservation carries a reservation.");
        }

        if (request.ReservationParagraph is { } paragraph)
        {
            if (!withReservation)
            {
                return new InvalidRefusal("reservationParagraph", "Only a support with a reservation names a paragraph.");
            }

            // The stored draft; the live core will hand over its current text here (one place, see ConclusionsService).
            var count = DraftParagraphs.Count(item.DraftText);
            if (paragraph < 1 || paragraph > count)
            {
                return new InvalidRefusal("reservationParagraph", count == 0
                    ? $"Item {ItemNumeral.Of(item.Number)}'s draft has no paragraphs yet: leave the paragraph out to reserve on the whole text."
                    : $"Item {ItemNumeral.Of(item.Number)}'s draft has {count} paragraph{(count == 1 ? "" : "s")}: name one from 1 to {count}, or none to reserve on the whole text.");
            }
        }

        return null;
    }
}

/// <summary>A stance and reservation: see <see cref="PositionService.PutAsync"/>.</summary>
public sealed record SetPosition(int ItemId, string DelegationCode, PutPositionRequest Request) : MeetingChange<PositionDto>
{
    public override async Task<Outcome<ChangeStep<PositionDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.FindVisibleAsync(ctx, ItemId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        var item = found.Value!;
        var taking = await ParticipantRules.FindAsync(ctx, DelegationCode, ct);
        if (taking.Refusal is { } notTakingPart)
        {
            return notTakingPart;
        }

        var participant = taking.Value!;
        var code = participant.DelegationCode;

        if (!ctx.Access.CanWritePosition(code))
        {
            return new ForbiddenRefusal($"You may write only your own delegation's position, not {participant.Delegation!.Name}'s.");
        }

        if (participant.Delegation!.Kind == DelegationKind.Guest && item.Guests.All(g => g.DelegationCode != code))
        {
            return new InvalidRefusal("delegationCode", $"{participant.Delegation.Name} is not invited to item {ItemNumeral.Of(item.Number)}.");
        }

        if (ItemRules.RefuseIfTextsFrozen(item, ctx.Access) is { } frozen)
        {
            return frozen;
        }

        if (PositionService.Validate(Request, item) is { } invalid)
        {
            return invalid;
        }

        var position = await ctx.Db.Positions.SingleOrDefaultAsync(p => p.ItemId == item.Id && p.DelegationCode == code, ct);
        // A footnote comes from a reservation: only a change to or from one moves the item's footnotes.
        var footnotesMove = position?.Stance == Stance.SupportWithReservation || Request.Stance == Stance.SupportWithReservation;
        // Taking part or not moves the voting body, and with it whether each open proposal's backers alone would carry it.
        var votingBodyMoves = (position?.Stance == Stance.NotTakingPart) != (Request.Stance == Stance.NotTakingPart);
        var currentVersion = position?.Version ?? 0;
        if (Request.ExpectedVersion != currentVersion)
        {
            return new ConflictRefusal(
                $"{participant.Delegation.Name}'s position on item {ItemNumeral.Of(item.Number)} is at version {currentVersion}, not {Request.ExpectedVersion}.",
                position is null ? PositionDto.None(item.Id, code) : PositionDto.From(position));
        }

        if (position is null)
        {
            position = new Position { ItemId = item.Id, DelegationCode = code, Text = "", UpdatedByUserId = "", UpdatedByName = "" };
            ctx.Db.Positions.Add(position);
        }

        position.Stance = Request.Stance!.Value;
        position.ReservationKind = Request.ReservationKind;
        position.ReservationText = string.IsNullOrWhiteSpace(Request.ReservationText) ? null : Request.ReservationText.Trim();
        position.ReservationParagraph = Request.ReservationParagraph;
        // The paragraph's words as they stand now (the change runs on the stored drafts, brought up to date): the anchor
        // that the grain moves with every later operation.
        position.AnchorReservation(item.DraftText, item.DraftRevision);
        position.Version = currentVersion + 1;
        position.UpdatedByUserId = ctx.Access.Caller.UserId;
        position.UpdatedByName = ctx.Access.Caller.Name;
        position.UpdatedAt = ctx.Now;
        position.RecordedOnBehalf = ctx.Access.WritesOnBehalfOf(code);

        var dto = PositionDto.From(position);
        return new ChangeStep<PositionDto>(dto,
        [
            new PendingEvent("position.changed", item.Id, dto, GuestView.PositionAudience(item, code)),
            .. await TallyService.ChangedEventsAsync(ctx, [item.Id], ct),
            .. footnotesMove ? await ReservationFootnotes.ChangedEventsAsync(ctx, [item.Id], ct) : [],
            .. votingBodyMoves ? await Proposals.ProposalService.ReassessedAsync(ctx, item.Id, ct) : [],
        ]);
    }
}
