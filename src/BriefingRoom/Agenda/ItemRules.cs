using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Agenda;

/// <summary>Finding an item inside a change, and the checks every change to an item shares.</summary>
public static class ItemRules
{
    /// <summary>The item, if it is in this meeting and the caller may see it; a guest gets "not found" for items it is not invited to.</summary>
    public static async Task<Outcome<AgendaItem>> FindVisibleAsync(ChangeContext ctx, int itemId, CancellationToken ct) =>
        Visible(await ctx.Db.Items.Include(i => i.Guests).SingleOrDefaultAsync(i => i.Id == itemId && i.MeetingId == ctx.Meeting.Id, ct), ctx.Access, itemId);

    /// <summary>The same, for reading outside a change: the item is not tracked.</summary>
    public static async Task<Outcome<AgendaItem>> ReadVisibleAsync(Data.BriefingDb db, MeetingAccess access, int itemId, CancellationToken ct) =>
        Visible(await db.Items.AsNoTracking().Include(i => i.Guests).SingleOrDefaultAsync(i => i.Id == itemId && i.MeetingId == access.MeetingId, ct), access, itemId);

    private static Outcome<AgendaItem> Visible(AgendaItem? item, MeetingAccess access, int itemId) =>
        item is not null && access.CanSee(item) ? item : NotFound(itemId);

    public static NotFoundRefusal NotFound(int itemId) => new($"Agenda item {itemId} does not exist in this meeting.");

    /// <summary>While an item is locked nothing about it moves, whoever asks; the chair unlocks first.</summary>
    public static LockedRefusal? RefuseIfLocked(AgendaItem item) => item.IsLocked
        ? new LockedRefusal($"Item {ItemNumeral.Of(item.Number)} is locked by {item.LockedByName}" + (item.LockReason is { Length: > 0 } r ? $": {r}" : "."))
        : null;

    /// <summary>
    /// Texts also stop moving once the item is agreed, so the agreed text is the one exported; and while a silence
    /// procedure runs, so that what is agreed at its deadline is the text the delegations did not object to. Guests take
    /// no part in silence and are not told of it (nor of its deadline): <paramref name="access"/>, a guest, hears only
    /// that the texts are frozen for now.
    /// </summary>
    public static LockedRefusal? RefuseIfTextsFrozen(AgendaItem item, MeetingAccess access) => RefuseIfLocked(item) ?? (item.Status == ItemStatus.Agreed
        ? new LockedRefusal($"Item {ItemNumeral.Of(item.Number)} is agreed: its texts are frozen until the chair reopens it.")
        : item.SilenceDeadline is { } until
            ? access.IsGuest
                ? new LockedRefusal($"Item {ItemNumeral.Of(item.Number)}'s texts are frozen for now: nothing on it can be written until they move again.") { Title = "The texts are frozen" }
                : new LockedRefusal($"Item {ItemNumeral.Of(item.Number)} is under a silence procedure until {Silence.SilenceRules.When(until)}: its texts are frozen unless a delegation breaks silence or the chair cancels the procedure.")
            : null);

    /// <summary>
    /// While a silence procedure runs, the procedure decides the item's status (agreed at the deadline unless silence is
    /// broken): the chair cancels it before moving the item another way, or locking it, or the deadline would overturn that
    /// move (a locked item agreed over its lock). A procedure opens only on an unlocked item, so the two never meet.
    /// Once its deadline has passed unbroken the item is being agreed and the procedure can no longer be cancelled
    /// (<see cref="Silence.CancelSilence"/>), so the refusal says that rather than send the chair to a refusal.
    /// </summary>
    public static ConflictRefusal? RefuseIfUnderSilence(ChangeContext ctx, AgendaItem item, string what)
    {
        if (item.SilenceDeadline is not { } until)
        {
            return null;
        }

        var detail = Silence.SilenceRules.Clock(ctx).GetUtcNow() >= until
            ? $"The silence procedure on item {ItemNumeral.Of(item.Number)} ended unbroken at {Silence.SilenceRules.When(until)}: the item is being agreed, and cannot be moved another way now."
            : $"Item {ItemNumeral.Of(item.Number)} is under a silence procedure until {Silence.SilenceRules.When(until)}, which decides its status: cancel the procedure first to {what}.";
        return new ConflictRefusal(detail, AgendaItemDto.From(item)) { Title = "Under a silence procedure" };
    }

    /// <summary>The guests who may see events about this item.</summary>
    public static IReadOnlyCollection<string> Audience(AgendaItem item) => [.. item.Guests.Select(g => g.DelegationCode)];

    public static ForbiddenRefusal ChairOnly(string what) => new($"Only the chair may {what}.");

    /// <summary>An item of this meeting that the caller, as chair, may change: found, visible, and (unless unlocking) not locked.</summary>
    public static async Task<Outcome<AgendaItem>> ChairsItemAsync(ChangeContext ctx, int itemId, string what, bool allowedWhileLocked, CancellationToken ct)
    {
        var found = await FindVisibleAsync(ctx, itemId, ct);
        if (found.Refusal is not null)
        {
            return found;
        }

        if (!ctx.Access.CanManageAgenda)
        {
            return ChairOnly(what);
        }

        return !allowedWhileLocked && RefuseIfLocked(found.Value!) is { } locked ? locked : found;
    }
}
