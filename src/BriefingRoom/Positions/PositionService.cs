using BriefingRoom.Agenda;
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

    internal static InvalidRefusal? Validate(PutPositionRequest request)
    {
        var withReservation = request.Stance == Stance.SupportWithReservation;
        if (withReservation && request.ReservationKind is null)
        {
            return new InvalidRefusal("reservationKind", "A support with a reservation names its kind: scrutiny, parliamentary or general.");
        }

        if (!withReservation && (request.ReservationKind is not null || !string.IsNullOrWhiteSpace(request.ReservationText)))
        {
            return new InvalidRefusal("reservationKind", "Only a support with a reservation carries a reservation.");
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
            return new InvalidRefusal("delegationCode", $"{participant.Delegation.Name} is not invited to item {item.Number}.");
        }

        if (ItemRules.RefuseIfTextsFrozen(item) is { } frozen)
        {
            return frozen;
        }

        if (PositionService.Validate(Request) is { } invalid)
        {
            return invalid;
        }

        var position = await ctx.Db.Positions.SingleOrDefaultAsync(p => p.ItemId == item.Id && p.DelegationCode == code, ct);
        var currentVersion = position?.Version ?? 0;
        if (Request.ExpectedVersion != currentVersion)
        {
            return new ConflictRefusal(
                $"{participant.Delegation.Name}'s position on item {item.Number} is at version {currentVersion}, not {Request.ExpectedVersion}.",
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
        position.Version = currentVersion + 1;
        position.UpdatedByUserId = ctx.Access.Caller.UserId;
        position.UpdatedByName = ctx.Access.Caller.Name;
        position.UpdatedAt = ctx.Now;
        position.RecordedOnBehalf = ctx.Access.WritesOnBehalfOf(code);

        var dto = PositionDto.From(position);
        return new ChangeStep<PositionDto>(dto,
        [
            new PendingEvent("position.changed", item.Id, dto, ItemRules.Audience(item)),
            .. await TallyService.ChangedEventsAsync(ctx, [item.Id], ct),
        ]);
    }
}
