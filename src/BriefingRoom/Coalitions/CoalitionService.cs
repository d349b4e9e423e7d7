using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Coalitions;

/// <summary>
/// Coalitions of the willing. The chair turns an item that was not agreed into a statement whose first signatories
/// are the member states supporting it; delegations join or leave (a delegate for its own, the chair or the
/// secretariat on its behalf) until the chair closes the list. Institutions do not sign. A locked item refuses all of it.
/// </summary>
public sealed class CoalitionService(MeetingChanges changes)
{
    public Task<Outcome<CoalitionDto>> CreateAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        changes.ApplyAsync(access, new CreateCoalition(itemId), ct);

    public Task<Outcome<CoalitionDto>> JoinAsync(MeetingAccess access, int itemId, string delegationCode, CancellationToken ct) =>
        ChangeSignatoriesAsync(access, itemId, delegationCode, join: true, ct);

    public Task<Outcome<CoalitionDto>> LeaveAsync(MeetingAccess access, int itemId, string delegationCode, CancellationToken ct) =>
        ChangeSignatoriesAsync(access, itemId, delegationCode, join: false, ct);

    public Task<Outcome<CoalitionDto>> LockAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        SetListLockAsync(access, itemId, close: true, ct);

    public Task<Outcome<CoalitionDto>> UnlockAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        SetListLockAsync(access, itemId, close: false, ct);

    /// <summary>
    /// Numbers the separate document a statement on this item goes out as (secretariat, chair). Allowed before the
    /// item becomes a statement, so that a number reserved in advance is ready; refused while the item is locked.
    /// </summary>
    public Task<Outcome<AgendaItemDto>> SetStatementDocumentAsync(MeetingAccess access, int itemId, StatementDocumentRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new SetStatementDocument(itemId, request), ct);

    /// <summary>The chair opens the statement's text for a change, with a reason: every signature is withdrawn (see <see cref="StatementRules"/>).</summary>
    public Task<Outcome<SignaturesWithdrawnDto>> ReviseAsync(MeetingAccess access, int itemId, string reason, CancellationToken ct) =>
        changes.ApplyAsync(access, new ReviseStatement(itemId, reason), ct);

    /// <summary>The chair ends a revision: the text is frozen again and open for signature.</summary>
    public Task<Outcome<CoalitionDto>> ReopenAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        changes.ApplyAsync(access, new ReopenStatement(itemId), ct);

    /// <summary>The chair restores the item's last archived coalition (see <see cref="CoalitionArchive"/>).</summary>
    public Task<Outcome<CoalitionRestoredDto>> RestoreAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        changes.ApplyAsync(access, new RestoreCoalition(itemId), ct);

    /// <summary>The coalitions of the given items that have one, for the snapshot and the conclusions export.</summary>
    public static async Task<IReadOnlyList<CoalitionDto>> ForItemsAsync(BriefingDb db, IReadOnlyCollection<int> itemIds, CancellationToken ct)
    {
        var coalitions = await db.Coalitions.AsNoTracking().Include(c => c.Signatories)
            .Where(c => itemIds.Contains(c.ItemId)).OrderBy(c => c.ItemId).ToListAsync(ct);
        var codes = coalitions.SelectMany(c => c.Signatories.Select(s => s.DelegationCode)).Distinct().ToList();
        var delegations = await db.Delegations.AsNoTracking().Where(d => codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, ct);
        return [.. coalitions.Select(c => ToDto(c, delegations))];
    }

    private Task<Outcome<CoalitionDto>> ChangeSignatoriesAsync(MeetingAccess access, int itemId, string delegationCode, bool join, CancellationToken ct) =>
        changes.ApplyAsync(access, new ChangeSignatories(itemId, delegationCode, join), ct);

    private Task<Outcome<CoalitionDto>> SetListLockAsync(MeetingAccess access, int itemId, bool close, CancellationToken ct) =>
        changes.ApplyAsync(access, new SetSignatoryListLock(itemId, close), ct);

    internal static async Task<CoalitionDto> ToDtoAsync(BriefingDb db, Coalition coalition, CancellationToken ct)
    {
        var codes = coalition.Signatories.Select(s => s.DelegationCode).ToList();
        var delegations = await db.Delegations.AsNoTracking().Where(d => codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, ct);
        return ToDto(coalition, delegations);
    }

    internal static CoalitionDto ToDto(Coalition coalition, IReadOnlyDictionary<string, Delegation> delegations)
    {
        var signatories = coalition.Signatories
            .Select(s => (Signatory: s, Delegation: delegations[s.DelegationCode]))
            .OrderBy(x => x.Delegation.Kind == DelegationKind.MemberState ? 0 : 1)
            .ThenBy(x => MemberStates.ProtocolIndex(x.Delegation.Code))
            .ThenBy(x => x.Delegation.Name, StringComparer.Ordinal)
            .Select(x => new SignatoryDto(x.Delegation.Code, x.Delegation.Name, x.Delegation.Kind, x.Signatory.JoinedAt, x.Signatory.RecordedByName, x.Signatory.RecordedOnBehalf, x.Signatory.TextSha256))
            .ToList();
        var memberStates = signatories.Count(s => s.Kind == DelegationKind.MemberState);
        var guests = signatories.Where(s => s.Kind != DelegationKind.MemberState).Select(s => s.Name);
        return new CoalitionDto(coalition.ItemId, signatories, memberStates, coalition.IsLocked, coalition.LockedByName, coalition.LockedAt,
            CoalitionWording.Of(memberStates, guests));
    }

    internal static string Describe(ItemStatus status) => status switch
    {
        ItemStatus.Draft => "a draft",
        ItemStatus.UnderDiscussion => "under discussion",
        ItemStatus.Agreed => "agreed",
        ItemStatus.Coalition => "a coalition statement already",
        _ => "not agreed",
    };
}

/// <summary>A change to a coalition of the willing: see <see cref="CoalitionService.CreateAsync"/>.</summary>
public sealed record CreateCoalition(int ItemId) : MeetingChange<CoalitionDto>
{
    public override async Task<Outcome<ChangeStep<CoalitionDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "turn an item into a coalition statement", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        if (ItemRules.RefuseIfUnderSilence(ctx, item, "turn it into a coalition statement") is { } silent)
        {
            return silent;
        }

        if (item.Status != ItemStatus.NotAgreed)
        {
            return new ConflictRefusal(
                $"Item {ItemNumeral.Of(item.Number)} is {CoalitionService.Describe(item.Status)}: only an item the Council did not agree on becomes a coalition statement.",
                AgendaItemDto.From(item));
        }

        // Support or support with a reservation: a reservation is still support, and a coalition statement carries no reservations.
        var supporters = await ctx.Db.Positions
            .Where(p => p.ItemId == item.Id && (p.Stance == Stance.Support || p.Stance == Stance.SupportWithReservation))
            .Join(ctx.Db.Participants.Where(p => p.MeetingId == ctx.Meeting.Id && p.Delegation!.Kind == DelegationKind.MemberState),
                p => p.DelegationCode, p => p.DelegationCode, (position, _) => position.DelegationCode)
            .ToListAsync(ct);
        // Moving an item out of coalition dissolves its coalition; should one have survived, it goes before the new one is added under the same key.
        var stale = await ctx.Db.Coalitions.Where(c => c.ItemId == item.Id).ToListAsync(ct);
        if (stale.Count > 0)
        {
            ctx.Db.Coalitions.RemoveRange(stale);
            await ctx.Db.SaveChangesAsync(ct);
        }

        // Inside a change the stored draft is the current text: the one the first signatories sign.
        var textSha256 = TextHash.Of(item.DraftText);
        item.StatementRevisionReason = null;
        item.StatementRevisionBy = null;
        var coalition = new Coalition
        {
            ItemId = item.Id,
            CreatedAt = ctx.Now,
            CreatedByName = ctx.Access.Caller.Name,
            Signatories = [.. supporters.Select(code => new CoalitionSignatory
            {
                ItemId = item.Id,
                DelegationCode = code,
                JoinedAt = ctx.Now,
                RecordedByName = ctx.Access.Caller.Name,
                RecordedOnBehalf = true,
                TextSha256 = textSha256,
            })],
        };
        ctx.Db.Coalitions.Add(coalition);
        item.Status = ItemStatus.Coalition;
        item.Version++;

        var dto = await CoalitionService.ToDtoAsync(ctx.Db, coalition, ct);
        return new ChangeStep<CoalitionDto>(dto,
        [
            new PendingEvent("item.status", item.Id, AgendaItemDto.From(item), ItemRules.Audience(item)),
            new PendingEvent("coalition.created", item.Id, dto, ItemRules.Audience(item)),
            .. await Tally.TallyService.ChangedEventsAsync(ctx, [item.Id], ct),
        ]);
    }
}

/// <summary>A change to a coalition of the willing: see <see cref="CoalitionService.ChangeSignatoriesAsync"/>.</summary>
public sealed record ChangeSignatories(int ItemId, string DelegationCode, bool Join) : MeetingChange<CoalitionDto>
{
    public override async Task<Outcome<ChangeStep<CoalitionDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
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

        var delegation = participant.Delegation!;
        if (!ctx.Access.CanWritePosition(code))
        {
            return new ForbiddenRefusal($"You may sign or withdraw only for your own delegation, not for {delegation.Name}.");
        }

        if (delegation.Kind == DelegationKind.Institution)
        {
            return new InvalidRefusal("delegationCode", $"{delegation.Name} is an institution: coalition statements are signed by member states and invited guests.");
        }

        if (delegation.Kind == DelegationKind.Guest && item.Guests.All(g => g.DelegationCode != code))
        {
            return new InvalidRefusal("delegationCode", $"{delegation.Name} is not invited to item {ItemNumeral.Of(item.Number)}.");
        }

        if (ItemRules.RefuseIfLocked(item) is { } locked)
        {
            return locked;
        }

        var coalition = await ctx.Db.Coalitions.Include(c => c.Signatories).SingleOrDefaultAsync(c => c.ItemId == item.Id, ct);
        if (coalition is null)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is not a coalition statement.", AgendaItemDto.From(item));
        }

        var current = await CoalitionService.ToDtoAsync(ctx.Db, coalition, ct);
        var signatory = coalition.Signatories.SingleOrDefault(s => s.DelegationCode == code);
        if (Join == (signatory is not null))
        {
            // Already as asked: nothing to record, so a retried request is harmless.
            return new ChangeStep<CoalitionDto>(current, []);
        }

        if (coalition.IsLocked)
        {
            return new ConflictRefusal($"The list of signatories of item {ItemNumeral.Of(item.Number)} is closed; the chair reopens it first.", current);
        }

        if (Join && item.StatementRevisionReason is { } revising)
        {
            return new ConflictRefusal($"The chair is revising item {ItemNumeral.Of(item.Number)}'s statement ({revising}): sign when it is reopened for signature.", current);
        }

        if (Join)
        {
            coalition.Signatories.Add(new CoalitionSignatory
            {
                ItemId = item.Id,
                DelegationCode = code,
                JoinedAt = ctx.Now,
                RecordedByName = ctx.Access.Caller.Name,
                RecordedOnBehalf = ctx.Access.WritesOnBehalfOf(code),
                TextSha256 = TextHash.Of(item.DraftText),
            });
        }
        else
        {
            coalition.Signatories.Remove(signatory!);
        }

        var dto = await CoalitionService.ToDtoAsync(ctx.Db, coalition, ct);
        return new ChangeStep<CoalitionDto>(dto, new PendingEvent(Join ? "coalition.joined" : "coalition.left", item.Id, dto, ItemRules.Audience(item)));
    }
}

/// <summary>A change to a coalition of the willing: see <see cref="CoalitionService.SetListLockAsync"/>.</summary>
public sealed record SetSignatoryListLock(int ItemId, bool Close) : MeetingChange<CoalitionDto>
{
    public override async Task<Outcome<ChangeStep<CoalitionDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, Close ? "close a list of signatories" : "reopen a list of signatories", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;

        var coalition = await ctx.Db.Coalitions.Include(c => c.Signatories).SingleOrDefaultAsync(c => c.ItemId == item.Id, ct);
        if (coalition is null)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is not a coalition statement.", AgendaItemDto.From(item));
        }

        if (coalition.IsLocked == Close)
        {
            return new ConflictRefusal(
                $"The list of signatories of item {ItemNumeral.Of(item.Number)} is {(Close ? "closed" : "open")} already.", await CoalitionService.ToDtoAsync(ctx.Db, coalition, ct));
        }

        coalition.LockedAt = Close ? ctx.Now : null;
        coalition.LockedByName = Close ? ctx.Access.Caller.Name : null;
        var dto = await CoalitionService.ToDtoAsync(ctx.Db, coalition, ct);
        return new ChangeStep<CoalitionDto>(dto, new PendingEvent(Close ? "coalition.locked" : "coalition.unlocked", item.Id, dto, ItemRules.Audience(item)));
    }
}

/// <summary>The numbering of a statement's document: see <see cref="CoalitionService.SetStatementDocumentAsync"/>.</summary>
public sealed record SetStatementDocument(int ItemId, StatementDocumentRequest Request) : MeetingChange<AgendaItemDto>
{
    public override async Task<Outcome<ChangeStep<AgendaItemDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.FindVisibleAsync(ctx, ItemId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        var item = found.Value!;
        if (!ctx.Access.CanExport)
        {
            return new ForbiddenRefusal("Only the secretariat and the chair number a statement's document.");
        }

        if (ItemRules.RefuseIfLocked(item) is { } locked)
        {
            return locked;
        }

        var number = Request.DocumentNumber?.Trim() ?? "";
        if (number.Length == 0)
        {
            return new InvalidRefusal("documentNumber", "A statement's document has a number, such as EUCO 10/25.");
        }

        // A number names one document in the whole Council's record: not the conclusions, not another statement, of this
        // meeting or any other.
        if (await MeetingService.NumberHolderAsync(ctx.Db, number, ctx.Meeting.Id, ownConclusions: false, ownItemId: item.Id, ct) is { } holder)
        {
            return new InvalidRefusal("documentNumber", $"{holder}: the statement is a document of its own, with its own number.");
        }

        var title = string.IsNullOrWhiteSpace(Request.Title) ? null : Request.Title.Trim();
        var marking = string.IsNullOrWhiteSpace(Request.DistributionMarking) ? null : Request.DistributionMarking.Trim();
        if (item.StatementNumber == number && item.StatementTitle == title && item.StatementMarking == marking)
        {
            // A second press of "Save": nothing moves, so no event and no new version of the item.
            return new ChangeStep<AgendaItemDto>(AgendaItemDto.From(item), []);
        }

        item.StatementNumber = number;
        item.StatementTitle = title;
        item.StatementMarking = marking;
        item.Version++;
        var dto = AgendaItemDto.From(item);
        return new ChangeStep<AgendaItemDto>(dto, new PendingEvent("item.updated", item.Id, dto, ItemRules.Audience(item)));
    }
}
