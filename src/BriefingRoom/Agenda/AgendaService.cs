using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tally;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Agenda;

/// <summary>The chair's changes to the agenda: the same methods serve REST and the hub.</summary>
public sealed class AgendaService(MeetingChanges changes)
{
    public Task<Outcome<AgendaItemDto>> CreateAsync(MeetingAccess access, CreateItemRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new CreateItem(request), ct);

    public Task<Outcome<AgendaItemDto>> UpdateAsync(MeetingAccess access, int itemId, UpdateItemRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new UpdateItem(itemId, request), ct);

    public Task<Outcome<AgendaOrderDto>> DeleteAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        changes.ApplyAsync(access, new DeleteItem(itemId), ct);

    public Task<Outcome<AgendaOrderDto>> ReorderAsync(MeetingAccess access, ReorderRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new ReorderAgenda(request), ct);

    public Task<Outcome<AgendaItemDto>> LockAsync(MeetingAccess access, int itemId, string? reason, CancellationToken ct) =>
        changes.ApplyAsync(access, new LockItem(itemId, reason), ct);

    public Task<Outcome<AgendaItemDto>> UnlockAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        changes.ApplyAsync(access, new UnlockItem(itemId), ct);

    public Task<Outcome<AgendaItemDto>> SetStatusAsync(MeetingAccess access, int itemId, StatusRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new SetItemStatus(itemId, request), ct);

    internal static void Renumber(List<AgendaItem> ordered)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            ordered[i].Number = i + 1;
        }
    }

    internal static AgendaOrderDto OrderOf(IEnumerable<AgendaItem> items) =>
        new([.. items.OrderBy(i => i.Number).Select(i => new ItemNumberDto(i.Id, i.Number))]);

    /// <summary>
    /// The new order for the members, and for each guest delegation the order of just its own items:
    /// a guest never hears of items it is not invited to, not even their ids.
    /// </summary>
    internal static async Task<List<PendingEvent>> OrderEventsAsync(ChangeContext ctx, List<AgendaItem> items, CancellationToken ct)
    {
        List<PendingEvent> events = [new("agenda.reordered", null, OrderOf(items), [])];
        var guests = await ctx.Db.Participants
            .Where(p => p.MeetingId == ctx.Meeting.Id && p.Delegation!.Kind == DelegationKind.Guest)
            .Select(p => p.DelegationCode).ToListAsync(ct);
        foreach (var guest in guests.Order(StringComparer.Ordinal))
        {
            var theirs = items.Where(i => i.Guests.Any(g => g.DelegationCode == guest)).ToList();
            if (theirs.Count > 0)
            {
                events.Add(new("agenda.reordered", null, OrderOf(theirs), [guest]));
            }
        }

        return events;
    }

    internal static async Task<Outcome<IReadOnlyList<string>>> ValidateGuestsAsync(ChangeContext ctx, IReadOnlyList<string>? codes, CancellationToken ct)
    {
        if (codes is null || codes.Count == 0)
        {
            return Outcome<IReadOnlyList<string>>.From([]);
        }

        // Codes are read as the delegations list shows them ("fr" is FR); what is not a code at all is refused as such,
        // and a refusal names a few of the unknown codes, never the whole of a long request back to its sender.
        var wanted = codes.Select(c => c.Trim().ToUpperInvariant()).Distinct().ToList();
        if (wanted.FirstOrDefault(c => !IsCodeShaped(c)) is { } notACode)
        {
            return new InvalidRefusal("guests", $"A guest is named by its delegation code, 2 to {Limits.Code} letters; \"{RequestValidation.Shown(notACode)}\" is not one.");
        }

        var guestsHere = await ctx.Db.Participants
            .Where(p => p.MeetingId == ctx.Meeting.Id && p.Delegation!.Kind == DelegationKind.Guest)
            .Select(p => p.DelegationCode).ToListAsync(ct);
        var unknown = wanted.Where(c => !guestsHere.Contains(c)).ToList();
        return unknown.Count > 0
            ? new InvalidRefusal("guests", $"Not a guest delegation of this meeting: {RequestValidation.FewOf(unknown, CodesNamedInARefusal)}.")
            : Outcome<IReadOnlyList<string>>.From(wanted);
    }

    private const int CodesNamedInARefusal = 5;

    private static bool IsCodeShaped(string code) => code.Length is >= 2 and <= Limits.Code && code.All(char.IsAsciiLetterUpper);
}

/// <summary>The chair's change: see <see cref="AgendaService.CreateAsync"/>.</summary>
public sealed record CreateItem(CreateItemRequest Request) : MeetingChange<AgendaItemDto>
{
    public override async Task<Outcome<ChangeStep<AgendaItemDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        if (!ctx.Access.CanManageAgenda)
        {
            return ItemRules.ChairOnly("add agenda items");
        }

        var guests = await AgendaService.ValidateGuestsAsync(ctx, Request.Guests, ct);
        if (guests.Refusal is { } refused)
        {
            return refused;
        }

        if (await ctx.Db.Items.CountAsync(i => i.MeetingId == ctx.Meeting.Id, ct) >= Limits.AgendaItems)
        {
            return new ConflictRefusal($"An agenda holds at most {Limits.AgendaItems} items, and this one is full: remove an item first, or open another meeting.", new { limit = Limits.AgendaItems })
            {
                Title = "The agenda is full",
            };
        }

        var last = await ctx.Db.Items.Where(i => i.MeetingId == ctx.Meeting.Id).MaxAsync(i => (int?)i.Number, ct) ?? 0;
        var item = new AgendaItem
        {
            MeetingId = ctx.Meeting.Id,
            Number = last + 1,
            Title = Request.Title.Trim(),
            Description = Request.Description ?? "",
            Rule = Request.Rule!.Value,
            Status = ItemStatus.Draft,
            DraftText = Request.Draft ?? "",
            Version = 1,
            Guests = [.. guests.Value!.Select(code => new ItemGuest { DelegationCode = code })],
        };
        ctx.Db.Items.Add(item);
        await ctx.Db.SaveChangesAsync(ct);
        // Revision 0 of the draft, so that its history can show the text as it stood before the first edit.
        ctx.Db.TextSnapshots.Add(new TextSnapshot { DocumentId = DocumentId.Draft(item.Id).ToString(), Revision = 0, MeetingId = ctx.Meeting.Id, Text = item.DraftText, At = ctx.Now });

        var dto = AgendaItemDto.From(item);
        var draft = new TextDocumentDto(DocumentId.Draft(item.Id).ToString(), item.DraftText, item.DraftRevision);
        return new ChangeStep<AgendaItemDto>(dto,
        [
            new PendingEvent("item.created", item.Id, new ItemCreatedDto(dto, draft), ItemRules.Audience(item)),
            .. await TallyService.ChangedEventsAsync(ctx, [item.Id], ct),
        ]);
    }
}

/// <summary>The chair's change: see <see cref="AgendaService.UpdateAsync"/>.</summary>
public sealed record UpdateItem(int ItemId, UpdateItemRequest Request) : MeetingChange<AgendaItemDto>
{
    public override async Task<Outcome<ChangeStep<AgendaItemDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "edit agenda items", allowedWhileLocked: false, ct);
        if (found.Refusal is { } notYours)
        {
            return notYours;
        }

        var item = found.Value!;
        // The item is agreed as it was put to silence, its title (which the conclusions print), rule and guests with it.
        if (ItemRules.RefuseIfUnderSilence(ctx, item, "edit it") is { } silent)
        {
            return silent;
        }

        if (Request.ExpectedVersion != item.Version)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is at version {item.Version}, not {Request.ExpectedVersion}.", AgendaItemDto.From(item));
        }

        // The Council agreed the item under its rule: another rule would rewrite, after the fact, whether it passed and who
        // blocked it. The chair reopens the item first (its title and description may still be corrected).
        if (item.Status == ItemStatus.Agreed && item.Rule != Request.Rule!.Value)
        {
            return new ConflictRefusal(
                $"Item {ItemNumeral.Of(item.Number)} was agreed under the rule it has (\"{System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(item.Rule.ToString())}\"): set its status back to under discussion before changing its rule.",
                AgendaItemDto.From(item));
        }

        // Guests left out are kept: a request that only retitles the item must not uninvite every guest ([] does that).
        var guests = Request.Guests is null
            ? Outcome<IReadOnlyList<string>>.From([.. ItemRules.Audience(item)])
            : await AgendaService.ValidateGuestsAsync(ctx, Request.Guests, ct);
        if (guests.Refusal is { } refused)
        {
            return refused;
        }

        // A guest dropped from the item hears only that it is no longer visible: not its new title or description.
        var dropped = ItemRules.Audience(item).Except(guests.Value!).Order(StringComparer.Ordinal).ToList();
        // A guest signs only an item it is invited to, and only an invited guest can withdraw: a signature stays on record
        // until it is withdrawn (as a signatory stays in the meeting), so a guest that signed is not dropped before then.
        var signed = dropped.Count == 0 ? [] : await ctx.Db.CoalitionSignatories
            .Where(s => s.ItemId == item.Id && dropped.Contains(s.DelegationCode))
            .Join(ctx.Db.Delegations, s => s.DelegationCode, d => d.Code, (_, d) => d.Name)
            .OrderBy(name => name).ToListAsync(ct);
        if (signed.Count > 0)
        {
            return new ConflictRefusal(
                $"{string.Join(", ", signed)} signed item {ItemNumeral.Of(item.Number)}'s coalition statement: withdraw the signature before no longer inviting {(signed.Count == 1 ? "it" : "them")}.",
                AgendaItemDto.From(item));
        }

        // The rule decides the outcome; the invited guests are listed in the tally as not counted.
        var ruleChanges = item.Rule != Request.Rule!.Value;
        var tallyMoves = ruleChanges || !ItemRules.Audience(item).ToHashSet().SetEquals(guests.Value!);
        item.Title = Request.Title.Trim();
        item.Description = Request.Description ?? item.Description;
        item.Rule = Request.Rule!.Value;
        item.Guests.RemoveAll(g => !guests.Value!.Contains(g.DelegationCode));
        item.Guests.AddRange(guests.Value!.Where(code => item.Guests.All(g => g.DelegationCode != code)).Select(code => new ItemGuest { DelegationCode = code }));
        item.Version++;

        var dto = AgendaItemDto.From(item);
        return new ChangeStep<AgendaItemDto>(dto,
        [
            new PendingEvent("item.updated", item.Id, dto, ItemRules.Audience(item)),
            // Members hear it too (every audience includes them); their pages, which see every item, pass it by.
            .. dropped.Count > 0 ? [new PendingEvent("item.hidden", item.Id, new ItemHiddenDto(item.Id), dropped)] : Array.Empty<PendingEvent>(),
            .. tallyMoves ? await TallyService.ChangedEventsAsync(ctx, [item.Id], ct) : [],
            .. ruleChanges ? await Proposals.ProposalService.ReassessedAsync(ctx, item.Id, ct) : [],
        ]);
    }
}

/// <summary>The chair's change: see <see cref="AgendaService.DeleteAsync"/>.</summary>
public sealed record DeleteItem(int ItemId) : MeetingChange<AgendaOrderDto>
{
    public override async Task<Outcome<ChangeStep<AgendaOrderDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "remove agenda items", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        // The procedure's row would go with the item, and the room would never hear that its countdown ended.
        if (ItemRules.RefuseIfUnderSilence(ctx, item, "remove it") is { } silent)
        {
            return silent;
        }

        // Signatures stay on record, as they do for a signatory's delegation (RemoveParticipant), and an ended coalition is
        // kept to be restored: the item that carries them stays.
        if (item.Status == ItemStatus.Coalition
            || await ctx.Db.Coalitions.AnyAsync(c => c.ItemId == item.Id, ct)
            || await ctx.Db.ArchivedCoalitions.AnyAsync(c => c.ItemId == item.Id, ct))
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} carries a coalition statement, standing or ended and kept to be restored: its signatures stay on record, so the item is not removed.", AgendaItemDto.From(item));
        }

        var audience = ItemRules.Audience(item);
        ctx.Db.Items.Remove(item);
        var rest = await ctx.Db.Items.Include(i => i.Guests)
            .Where(i => i.MeetingId == ctx.Meeting.Id && i.Id != item.Id)
            .OrderBy(i => i.Number).ToListAsync(ct);
        AgendaService.Renumber(rest);

        var order = AgendaService.OrderOf(rest);
        List<PendingEvent> events = [new("item.deleted", item.Id, new ItemDeletedDto(item.Id), audience)];
        events.AddRange(await AgendaService.OrderEventsAsync(ctx, rest, ct));
        return new ChangeStep<AgendaOrderDto>(order, events);
    }
}

/// <summary>The chair's change: see <see cref="AgendaService.ReorderAsync"/>.</summary>
public sealed record ReorderAgenda(ReorderRequest Request) : MeetingChange<AgendaOrderDto>
{
    public override async Task<Outcome<ChangeStep<AgendaOrderDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        if (!ctx.Access.CanManageAgenda)
        {
            return ItemRules.ChairOnly("reorder the agenda");
        }

        var items = await ctx.Db.Items.Include(i => i.Guests).Where(i => i.MeetingId == ctx.Meeting.Id).ToListAsync(ct);
        var current = AgendaService.OrderOf(items);
        if (Request.ExpectedOrder is { } expected && !expected.SequenceEqual(current.Order.Select(o => o.ItemId)))
        {
            // A complete list made from an older agenda would silently undo the move made since.
            return new ConflictRefusal("The agenda has changed since you saw it: look at its order now and move the item again.", current);
        }

        var ids = Request.ItemIds!;
        var byId = items.ToDictionary(i => i.Id);
        if (ids.Count != items.Count || ids.Distinct().Count() != ids.Count || !ids.All(byId.ContainsKey))
        {
            return new InvalidRefusal("itemIds", $"List every item of the agenda exactly once ({items.Count} items).");
        }

        var ordered = ids.Select(id => byId[id]).ToList();
        AgendaService.Renumber(ordered);
        return new ChangeStep<AgendaOrderDto>(AgendaService.OrderOf(ordered), await AgendaService.OrderEventsAsync(ctx, ordered, ct));
    }
}

/// <summary>The chair's change: see <see cref="AgendaService.LockAsync"/>.</summary>
public sealed record LockItem(int ItemId, string? Reason) : MeetingChange<AgendaItemDto>
{
    public override async Task<Outcome<ChangeStep<AgendaItemDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "lock items", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        // A lock says nothing about the item moves, and the deadline would agree it all the same.
        if (ItemRules.RefuseIfUnderSilence(ctx, item, "lock it") is { } silent)
        {
            return silent;
        }

        item.LockedAt = ctx.Now;
        item.LockedByUserId = ctx.Access.Caller.UserId;
        item.LockedByName = ctx.Access.Caller.Name;
        item.LockReason = string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim();
        item.Version++;
        var dto = AgendaItemDto.From(item);
        return new ChangeStep<AgendaItemDto>(dto, new PendingEvent("item.locked", item.Id, dto, ItemRules.Audience(item)));
    }
}

/// <summary>The chair's change: see <see cref="AgendaService.UnlockAsync"/>.</summary>
public sealed record UnlockItem(int ItemId) : MeetingChange<AgendaItemDto>
{
    public override async Task<Outcome<ChangeStep<AgendaItemDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "unlock items", allowedWhileLocked: true, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        if (!item.IsLocked)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is not locked.", AgendaItemDto.From(item));
        }

        item.LockedAt = null;
        item.LockedByUserId = null;
        item.LockedByName = null;
        item.LockReason = null;
        item.Version++;
        var dto = AgendaItemDto.From(item);
        return new ChangeStep<AgendaItemDto>(dto, new PendingEvent("item.unlocked", item.Id, dto, ItemRules.Audience(item)));
    }
}

/// <summary>The chair's change: see <see cref="AgendaService.SetStatusAsync"/>.</summary>
public sealed record SetItemStatus(int ItemId, StatusRequest Request) : MeetingChange<AgendaItemDto>
{
    public override async Task<Outcome<ChangeStep<AgendaItemDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "change an item's status", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        if (ItemRules.RefuseIfUnderSilence(ctx, item, "change its status") is { } silent)
        {
            return silent;
        }

        if (Request.ExpectedVersion is { } expected && expected != item.Version)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is at version {item.Version}, not {expected}.", AgendaItemDto.From(item));
        }

        var status = Request.Status!.Value;
        if (status == item.Status)
        {
            // Nothing moves (a second press, a second client): no event tells every screen it did, and no new version
            // turns a colleague's edit made at this one into a conflict.
            return new ChangeStep<AgendaItemDto>(AgendaItemDto.From(item), []);
        }

        // From here on the status moves: to another one than the item's.
        if (status == ItemStatus.Coalition)
        {
            return new InvalidRefusal("status", "An item becomes a coalition statement through POST .../coalition, which records its first signatories.");
        }

        PendingEvent? archived = null;
        if (item.Status == ItemStatus.Coalition)
        {
            // Ending a coalition is never silent: the caller confirms, and the coalition is archived, restorable.
            if (Request.Confirm != true)
            {
                return new ConflictRefusal(await Coalitions.CoalitionArchive.WhatLeavingDoesAsync(ctx, item, status, ct), AgendaItemDto.From(item))
                {
                    Title = "Confirm ending the coalition statement",
                };
            }

            archived = await Coalitions.CoalitionArchive.ArchiveAsync(ctx, item, $"Status set to {Coalitions.CoalitionService.Describe(status)}", ct);
        }

        item.Status = status;
        item.Version++;
        var dto = AgendaItemDto.From(item);
        // A coalition item's tally has no what-if lines: they come back when it leaves the coalition state.
        return new ChangeStep<AgendaItemDto>(dto,
        [
            new PendingEvent("item.status", item.Id, dto, ItemRules.Audience(item)),
            .. archived is null ? Array.Empty<PendingEvent>() : [archived, .. await TallyService.ChangedEventsAsync(ctx, [item.Id], ct)],
            .. status == ItemStatus.Agreed ? await Proposals.ProposalService.LapseOpenAsync(ctx, item, ctx.Access.Caller.Name, ct) : [],
        ]);
    }
}
