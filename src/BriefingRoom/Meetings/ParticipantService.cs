using BriefingRoom.Agenda;
using BriefingRoom.Realtime;
using BriefingRoom.Tally;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Meetings;

/// <summary>Which delegations take part in a meeting, and their per-meeting flags; the chair manages them.</summary>
public sealed class ParticipantService(MeetingChanges changes)
{
    public Task<Outcome<ParticipantDto>> AddAsync(MeetingAccess access, AddParticipantRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new AddParticipant(request), ct);

    public Task<Outcome<ParticipantDto>> UpdateAsync(MeetingAccess access, string delegationCode, UpdateParticipantRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new UpdateParticipant(delegationCode, request), ct);

    public Task<Outcome<string>> RemoveAsync(MeetingAccess access, string delegationCode, CancellationToken ct) =>
        changes.ApplyAsync(access, new RemoveParticipant(delegationCode), ct);

    internal static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>The chair's change to who takes part: see <see cref="ParticipantService.AddAsync"/>.</summary>
public sealed record AddParticipant(AddParticipantRequest Request) : MeetingChange<ParticipantDto>
{
    public override async Task<Outcome<ChangeStep<ParticipantDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        if (!ctx.Access.CanManageParticipants)
        {
            return ItemRules.ChairOnly("add participants");
        }

        var code = Request.DelegationCode.Trim().ToUpperInvariant();
        var delegation = await ctx.Db.Delegations.SingleOrDefaultAsync(d => d.Code == code, ct);
        if (delegation is null)
        {
            return new InvalidRefusal("delegationCode", $"There is no delegation {code}.");
        }

        if (delegation.Kind == DelegationKind.MemberState && !Voting.MemberStates.IsMemberState(code))
        {
            // Held from before member-state delegations were checked: it could not be counted in any tally.
            return new InvalidRefusal("delegationCode", $"{delegation.Name} ({code}) is recorded as a member state but is not one of the 27.");
        }

        var existing = await ctx.Db.Participants.SingleOrDefaultAsync(p => p.MeetingId == ctx.Meeting.Id && p.DelegationCode == code, ct);
        if (existing is not null)
        {
            return new ConflictRefusal($"{delegation.Name} already takes part.", ParticipantDto.From(existing, delegation));
        }

        var participant = new Participant { MeetingId = ctx.Meeting.Id, DelegationCode = code, HeadOfDelegation = ParticipantService.Clean(Request.HeadOfDelegation) };
        ctx.Db.Participants.Add(participant);
        var dto = ParticipantDto.From(participant, delegation);
        // A member state joins every item's voting body and an institution every item's list; a guest joins no item until invited.
        return new ChangeStep<ParticipantDto>(dto,
        [
            new PendingEvent("participant.added", null, dto, null),
            .. delegation.Kind == DelegationKind.Guest ? [] : await TallyService.ChangedEventsAsync(ctx, null, ct),
            .. delegation.Kind == DelegationKind.MemberState ? await Proposals.ProposalService.ReassessedAsync(ctx, null, ct) : [],
        ]);
    }
}

/// <summary>The chair's change to who takes part: see <see cref="ParticipantService.UpdateAsync"/>.</summary>
public sealed record UpdateParticipant(string DelegationCode, UpdateParticipantRequest Request) : MeetingChange<ParticipantDto>
{
    public override async Task<Outcome<ChangeStep<ParticipantDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var taking = await ParticipantRules.FindAsync(ctx, DelegationCode, ct);
        if (taking.Refusal is { } notTakingPart)
        {
            return notTakingPart;
        }

        var participant = taking.Value!;

        if (!ctx.Access.CanManageParticipants)
        {
            return ItemRules.ChairOnly("change participants");
        }

        if (Request.VotingRightsSuspended == true && participant.Delegation!.Kind != DelegationKind.MemberState)
        {
            return new InvalidRefusal("votingRightsSuspended", "Only a member state's voting rights can be suspended (Art. 7(3) TEU).");
        }

        if (Request.ExpectedVersion != participant.Version)
        {
            return new ConflictRefusal(
                $"{participant.Delegation!.Name} is at version {participant.Version}, not {Request.ExpectedVersion}: someone changed its head of delegation or voting rights since you read them.",
                ParticipantDto.From(participant, participant.Delegation));
        }

        var suspensionChanges = participant.VotingRightsSuspended != Request.VotingRightsSuspended!.Value;
        var headOfDelegation = ParticipantService.Clean(Request.HeadOfDelegation);
        if (!suspensionChanges && headOfDelegation == participant.HeadOfDelegation)
        {
            // Nothing changes (a second press, a second client): no event tells every screen it did, and no new version turns
            // a colleague's change made at this one into a conflict.
            return new ChangeStep<ParticipantDto>(ParticipantDto.From(participant, participant.Delegation!), []);
        }

        participant.HeadOfDelegation = headOfDelegation;
        participant.VotingRightsSuspended = Request.VotingRightsSuspended.Value;
        participant.Version++;
        var dto = ParticipantDto.From(participant, participant.Delegation!);
        return new ChangeStep<ParticipantDto>(dto,
        [
            new PendingEvent("participant.updated", null, dto, null),
            .. suspensionChanges ? await TallyService.ChangedEventsAsync(ctx, null, ct) : [],
            .. suspensionChanges ? await Proposals.ProposalService.ReassessedAsync(ctx, null, ct) : [],
        ]);
    }
}

/// <summary>The chair's change to who takes part: see <see cref="ParticipantService.RemoveAsync"/>.</summary>
public sealed record RemoveParticipant(string DelegationCode) : MeetingChange<string>
{
    public override async Task<Outcome<ChangeStep<string>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var taking = await ParticipantRules.FindAsync(ctx, DelegationCode, ct);
        if (taking.Refusal is { } notTakingPart)
        {
            return notTakingPart;
        }

        var participant = taking.Value!;

        if (!ctx.Access.CanManageParticipants)
        {
            return ItemRules.ChairOnly("remove participants");
        }

        var code = participant.DelegationCode;
        if (await ctx.Db.Memberships.AnyAsync(m => m.MeetingId == ctx.Meeting.Id && m.DelegationCode == code, ct))
        {
            return new ConflictRefusal($"People still speak for {participant.Delegation!.Name} here: revoke their memberships first.", ParticipantDto.From(participant, participant.Delegation));
        }

        var itemIds = ctx.Db.Items.Where(i => i.MeetingId == ctx.Meeting.Id).Select(i => i.Id);
        if (await ctx.Db.Positions.AnyAsync(p => p.DelegationCode == code && itemIds.Contains(p.ItemId), ct))
        {
            return new ConflictRefusal($"{participant.Delegation!.Name} has stated positions in this meeting; they stay on record.", ParticipantDto.From(participant, participant.Delegation));
        }

        if (await ctx.Db.CoalitionSignatories.AnyAsync(s => s.DelegationCode == code && itemIds.Contains(s.ItemId), ct))
        {
            return new ConflictRefusal($"{participant.Delegation!.Name} has signed coalition statements in this meeting; they stay on record.", ParticipantDto.From(participant, participant.Delegation));
        }

        // A proposal names its proposer and the delegations that backed or objected to it, to the chair and in the text's
        // history: like a position, that voice stays on record.
        if (await ctx.Db.Proposals.AnyAsync(p => p.MeetingId == ctx.Meeting.Id && p.DelegationCode == code, ct))
        {
            return new ConflictRefusal($"{participant.Delegation!.Name} has tabled proposals in this meeting; they stay on record.", ParticipantDto.From(participant, participant.Delegation));
        }

        var proposalIds = ctx.Db.Proposals.Where(p => p.MeetingId == ctx.Meeting.Id).Select(p => p.Id);
        if (await ctx.Db.ProposalSupports.AnyAsync(s => s.DelegationCode == code && proposalIds.Contains(s.ProposalId), ct))
        {
            return new ConflictRefusal($"{participant.Delegation!.Name} has backed or objected to proposals in this meeting; they stay on record.", ParticipantDto.From(participant, participant.Delegation));
        }

        var invitedTo = await ctx.Db.Items.Include(i => i.Guests)
            .Where(i => i.MeetingId == ctx.Meeting.Id && i.Guests.Any(g => g.DelegationCode == code))
            .OrderBy(i => i.Number).ToListAsync(ct);
        // Taking it off an item edits the item's guests, which the chair's own edit may not do while the item is locked or
        // a silence procedure decides it: the item is moved again first.
        foreach (var item in invitedTo)
        {
            if (item.IsLocked)
            {
                return new LockedRefusal($"{participant.Delegation!.Name} is a guest on item {ItemNumeral.Of(item.Number)}, which is locked by {item.LockedByName}: nothing about the item changes, its guests included, until it is unlocked.");
            }

            if (ItemRules.RefuseIfUnderSilence(ctx, item, $"take {participant.Delegation!.Name} off its guests") is { } silent)
            {
                return silent;
            }
        }

        // Each item it was invited to changes its guests (and so its version): the room's screens, which list an item's
        // guests from its events, hear it, and a chair's edit made from the old list is stale rather than refused for it.
        List<PendingEvent> itemEvents = [];
        foreach (var item in invitedTo)
        {
            item.Guests.RemoveAll(g => g.DelegationCode == code);
            item.Version++;
            var dto = AgendaItemDto.From(item);
            itemEvents.Add(new PendingEvent("item.updated", item.Id, dto, ItemRules.Audience(item)));
        }

        // Its open invitations offer a seat that is gone: withdrawn with it, so the inviters' list says so rather than
        // leaving them open until the invitee follows a link that is refused. Read once no invitation to it is being
        // written (an invitation is made outside this grain, see MembershipService.HoldSeatsAsync).
        await MembershipService.HoldSeatsAsync(ctx.Db, ctx.Meeting.Id, ct);
        var offers = await ctx.Db.Invitations
            .Where(i => i.MeetingId == ctx.Meeting.Id && i.DelegationCode == code && i.AcceptedAt == null && i.WithdrawnAt == null)
            .ToListAsync(ct);
        // Expired ones stay expired (compared here: SQLite cannot compare a DateTimeOffset in SQL).
        foreach (var offer in offers.Where(o => o.StateAt(ctx.Now) == Invitations.InvitationState.Pending))
        {
            offer.WithdrawnAt = ctx.Now;
            offer.WithdrawnByName = ctx.Access.Caller.Name;
        }

        ctx.Db.Participants.Remove(participant);
        var isGuest = participant.Delegation!.Kind == DelegationKind.Guest;
        if (isGuest && invitedTo.Count == 0)
        {
            return new ChangeStep<string>(code, new PendingEvent("participant.removed", null, new { DelegationCode = code }, null));
        }

        return new ChangeStep<string>(code,
        [
            .. itemEvents,
            new PendingEvent("participant.removed", null, new { DelegationCode = code }, null),
            .. await TallyService.ChangedEventsAsync(ctx, isGuest ? [.. invitedTo.Select(i => i.Id)] : null, ct),
            .. participant.Delegation!.Kind == DelegationKind.MemberState ? await Proposals.ProposalService.ReassessedAsync(ctx, null, ct) : [],
        ]);
    }
}
