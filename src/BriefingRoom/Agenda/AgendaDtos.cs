using System.ComponentModel.DataAnnotations;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Voting;

namespace BriefingRoom.Agenda;

public sealed record ItemLockDto(string By, DateTimeOffset At, string? Reason);

/// <summary>The separate document a coalition statement on the item goes out as: its number, title and marking.</summary>
public sealed record StatementDocumentDto(string DocumentNumber, string Title, string? DistributionMarking);

/// <summary>An agenda item's metadata. Its draft text travels apart, as a text document (see <see cref="Drafting.DocumentId"/>).</summary>
public sealed record AgendaItemDto(
    int Id, int Number, string Title, string Description, DecisionRule Rule, ItemStatus Status,
    ItemLockDto? Lock, IReadOnlyList<string> Guests, int Version, StatementDocumentDto? Statement = null,
    DraftingMode DraftingMode = DraftingMode.Open, StatementRevisionDto? StatementRevision = null, bool GuestsSeePositions = false)
{
    public static AgendaItemDto From(AgendaItem i) => new(
        i.Id, i.Number, i.Title, i.Description, i.Rule, i.Status,
        i.LockedAt is { } at ? new ItemLockDto(i.LockedByName ?? "the chair", at, i.LockReason) : null,
        [.. i.Guests.Select(g => g.DelegationCode).Order(StringComparer.Ordinal)],
        i.Version,
        i.StatementNumber is { } number ? new StatementDocumentDto(number, i.StatementTitle ?? i.Title, i.StatementMarking) : null,
        i.DraftingMode,
        i.StatementRevisionReason is { } reason ? new StatementRevisionDto(reason, i.StatementRevisionBy ?? "the chair") : null,
        i.GuestsSeePositions);
}

/// <summary>The chair is revising a coalition statement's text, for this reason: its signatures were withdrawn.</summary>
public sealed record StatementRevisionDto(string Reason, string By);

public sealed record CreateItemRequest(
    [property: Required, Legible, OneLine, StringLength(Limits.Title, MinimumLength = 1)] string Title,
    [property: StringLength(Limits.Description)] string? Description,
    [property: Required] DecisionRule? Rule,
    [property: StringLength(Limits.Text)] string? Draft,
    IReadOnlyList<string>? Guests);

/// <summary>
/// The item's fields at <see cref="ExpectedVersion"/>. <see cref="Description"/> or <see cref="Guests"/> left out keeps
/// what the item has; an empty description clears it, and an empty list invites no guests.
/// </summary>
public sealed record UpdateItemRequest(
    [property: Required, Legible, OneLine, StringLength(Limits.Title, MinimumLength = 1)] string Title,
    [property: StringLength(Limits.Description)] string? Description,
    [property: Required] DecisionRule? Rule,
    IReadOnlyList<string>? Guests,
    [property: Required] int? ExpectedVersion);

/// <summary>
/// <see cref="ExpectedOrder"/>, the item ids in the order the caller saw them: when given and the agenda has moved since
/// (another reorder, an item added or removed), the request is refused with the current order rather than undo that move.
/// </summary>
public sealed record ReorderRequest([property: Required] IReadOnlyList<int>? ItemIds, IReadOnlyList<int>? ExpectedOrder = null);

public sealed record LockRequest([property: Legible, StringLength(Limits.Reason)] string? Reason);

/// <summary>
/// <see cref="Confirm"/> must be true to move an item out of the coalition state: that ends the coalition (it is archived
/// with its signatures, restorable), and a request that does not say so is refused with what would happen.
/// </summary>
public sealed record StatusRequest([property: Required] ItemStatus? Status, int? ExpectedVersion, bool? Confirm = null);

/// <summary>The chair's switch: whether the item's guests see the member states' stances, reservations and position texts.</summary>
public sealed record GuestPositionsRequest([property: Required] bool? Share);

/// <summary>The agenda's order after a change: item ids with their new numbers.</summary>
public sealed record AgendaOrderDto(IReadOnlyList<ItemNumberDto> Order);

public sealed record ItemNumberDto(int ItemId, int Number);

public sealed record ItemCreatedDto(AgendaItemDto Item, Drafting.TextDocumentDto Draft);

public sealed record ItemDeletedDto(int ItemId);

/// <summary>The body of "item.hidden": the item is no longer visible to the guests in the event's audience. Nothing else about it.</summary>
public sealed record ItemHiddenDto(int ItemId);
