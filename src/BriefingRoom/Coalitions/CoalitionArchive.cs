using System.Text.Json;
using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Coalitions;

/// <summary>A coalition kept after its item left the coalition state: who had signed which text, and whether it was restored.</summary>
public sealed record ArchivedCoalitionDto(
    int Id, int ItemId, DateTimeOffset ArchivedAt, string ArchivedBy, string Reason, string TextSha256,
    IReadOnlyList<SignatoryDto> Signatories, DateTimeOffset? RestoredAt, string? RestoredBy);

/// <summary>The body of "coalition.restored": the coalition again, and the signatures not restored because the text changed.</summary>
public sealed record CoalitionRestoredDto(int ItemId, CoalitionDto Coalition, IReadOnlyList<SignatoryDto> NotRestored, string Message);

/// <summary>
/// Nothing destructive without a guard: moving an item out of the coalition state archives its coalition whole (never
/// deletes it), and the chair can restore the last one. A signature comes back only if the text is still the one signed.
/// </summary>
public static class CoalitionArchive
{
    /// <summary>What leaving the coalition state would do, in words, for the refusal that asks for confirmation.</summary>
    public static async Task<string> WhatLeavingDoesAsync(ChangeContext ctx, AgendaItem item, ItemStatus to, CancellationToken ct)
    {
        var count = await ctx.Db.CoalitionSignatories.CountAsync(s => s.ItemId == item.Id, ct);
        var signatures = count == 1 ? "its 1 signature" : $"its {count} signatures";
        return $"Setting item {ItemNumeral.Of(item.Number)} to {CoalitionService.Describe(to)} ends its coalition statement: the statement and {signatures} "
            + "are archived in the item's history (the chair can restore them; a signature comes back only if the text is unchanged). "
            + "Send \"confirm\": true to go ahead.";
    }

    /// <summary>Archives the item's coalition and removes it; returns the archive's event.</summary>
    public static async Task<PendingEvent?> ArchiveAsync(ChangeContext ctx, AgendaItem item, string reason, CancellationToken ct)
    {
        var coalition = await ctx.Db.Coalitions.Include(c => c.Signatories).SingleOrDefaultAsync(c => c.ItemId == item.Id, ct);
        if (coalition is null)
        {
            return null;
        }

        var text = item.DraftText;
        var archived = new ArchivedCoalition
        {
            ItemId = item.Id,
            CreatedAt = coalition.CreatedAt,
            CreatedByName = coalition.CreatedByName,
            ArchivedAt = ctx.Now,
            ArchivedByName = ctx.Access.Caller.Name,
            Reason = reason,
            Text = text,
            TextSha256 = TextHash.Of(text),
            SignatoriesJson = JsonSerializer.Serialize(coalition.Signatories
                .Select(s => new ArchivedSignatory(s.DelegationCode, s.JoinedAt, s.RecordedByName, s.RecordedOnBehalf, s.TextSha256)).ToList(), BriefingJson.Options),
        };
        ctx.Db.ArchivedCoalitions.Add(archived);
        ctx.Db.Coalitions.Remove(coalition);
        item.StatementRevisionReason = null;
        item.StatementRevisionBy = null;
        await ctx.Db.SaveChangesAsync(ct);
        return new PendingEvent("coalition.archived", item.Id, await ToDtoAsync(ctx.Db, archived, ct), ItemRules.Audience(item));
    }

    public static async Task<Outcome<IReadOnlyList<ArchivedCoalitionDto>>> ListAsync(BriefingDb db, MeetingAccess access, int itemId, CancellationToken ct)
    {
        var found = await ItemRules.ReadVisibleAsync(db, access, itemId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        var archived = await db.ArchivedCoalitions.AsNoTracking().Where(a => a.ItemId == itemId).OrderByDescending(a => a.Id).ToListAsync(ct);
        List<ArchivedCoalitionDto> list = [];
        foreach (var a in archived)
        {
            list.Add(await ToDtoAsync(db, a, ct));
        }

        return list;
    }

    internal static async Task<ArchivedCoalitionDto> ToDtoAsync(BriefingDb db, ArchivedCoalition a, CancellationToken ct)
    {
        var signatories = Signatories(a);
        var codes = signatories.Select(s => s.Code).ToList();
        var delegations = await db.Delegations.AsNoTracking().Where(d => codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, ct);
        var shown = CoalitionService.ToDto(new Coalition
        {
            ItemId = a.ItemId,
            CreatedByName = a.CreatedByName,
            Signatories = [.. signatories.Where(s => delegations.ContainsKey(s.Code)).Select(s => new CoalitionSignatory
            {
                ItemId = a.ItemId, DelegationCode = s.Code, JoinedAt = s.JoinedAt, RecordedByName = s.RecordedBy, RecordedOnBehalf = s.RecordedOnBehalf, TextSha256 = s.TextSha256,
            })],
        }, delegations);
        return new ArchivedCoalitionDto(a.Id, a.ItemId, a.ArchivedAt, a.ArchivedByName, a.Reason, a.TextSha256, shown.Signatories, a.RestoredAt, a.RestoredByName);
    }

    internal static List<ArchivedSignatory> Signatories(ArchivedCoalition a) =>
        JsonSerializer.Deserialize<List<ArchivedSignatory>>(a.SignatoriesJson, BriefingJson.Options) ?? [];
}

/// <summary>The chair restores an item's last archived coalition: see <see cref="CoalitionArchive"/>.</summary>
public sealed record RestoreCoalition(int ItemId) : MeetingChange<CoalitionRestoredDto>
{
    public override async Task<Outcome<ChangeStep<CoalitionRestoredDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "restore a coalition statement", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        if (ItemRules.RefuseIfUnderSilence(ctx, item, "restore its coalition statement") is { } silent)
        {
            return silent;
        }
        if (item.Status is ItemStatus.Coalition or ItemStatus.Agreed)
        {
            return new ConflictRefusal(
                $"Item {ItemNumeral.Of(item.Number)} is {CoalitionService.Describe(item.Status)}: a coalition is restored on an item that is not agreed.", AgendaItemDto.From(item));
        }

        var archived = await ctx.Db.ArchivedCoalitions.Where(a => a.ItemId == item.Id && a.RestoredAt == null).OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        if (archived is null)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} has no archived coalition to restore.", AgendaItemDto.From(item));
        }

        var hash = TextHash.Of(item.DraftText);
        var all = CoalitionArchive.Signatories(archived);
        // A member state that still takes part, or a guest still invited to the item (only those may sign it).
        var invited = ItemRules.Audience(item);
        var participating = await ctx.Db.Participants.Where(p => p.MeetingId == ctx.Meeting.Id)
            .Select(p => new { p.DelegationCode, p.Delegation!.Kind }).ToListAsync(ct);
        var mayStillSign = participating
            .Where(p => p.Kind == DelegationKind.MemberState || (p.Kind == DelegationKind.Guest && invited.Contains(p.DelegationCode)))
            .Select(p => p.DelegationCode).ToHashSet(StringComparer.Ordinal);
        var kept = all.Where(s => s.TextSha256 == hash && mayStillSign.Contains(s.Code)).ToList();
        var coalition = new Coalition
        {
            ItemId = item.Id,
            CreatedAt = archived.CreatedAt,
            CreatedByName = archived.CreatedByName,
            Signatories = [.. kept.Select(s => new CoalitionSignatory
            {
                ItemId = item.Id, DelegationCode = s.Code, JoinedAt = s.JoinedAt, RecordedByName = s.RecordedBy, RecordedOnBehalf = s.RecordedOnBehalf, TextSha256 = s.TextSha256,
            })],
        };
        ctx.Db.Coalitions.Add(coalition);
        archived.RestoredAt = ctx.Now;
        archived.RestoredByName = ctx.Access.Caller.Name;
        item.Status = ItemStatus.Coalition;
        item.Version++;

        var dto = await CoalitionService.ToDtoAsync(ctx.Db, coalition, ct);
        var archivedDto = await CoalitionArchive.ToDtoAsync(ctx.Db, archived, ct);
        var notRestored = archivedDto.Signatories.Where(s => kept.All(k => k.Code != s.Code)).ToList();
        var message = notRestored.Count == 0
            ? $"The coalition of item {ItemNumeral.Of(item.Number)} is restored with its {kept.Count} signature{(kept.Count == 1 ? "" : "s")}."
            : $"The coalition of item {ItemNumeral.Of(item.Number)} is restored; {notRestored.Count} signature{(notRestored.Count == 1 ? " was" : "s were")} not restored, "
              + "because the text is no longer the one signed (they sign again), or the delegation no longer takes part or is no longer invited to the item.";
        var restored = new CoalitionRestoredDto(item.Id, dto, notRestored, message);
        return new ChangeStep<CoalitionRestoredDto>(restored,
        [
            new PendingEvent("item.status", item.Id, AgendaItemDto.From(item), ItemRules.Audience(item)),
            new PendingEvent("coalition.restored", item.Id, restored, ItemRules.Audience(item)),
            .. await Tally.TallyService.ChangedEventsAsync(ctx, [item.Id], ct),
        ]);
    }
}
