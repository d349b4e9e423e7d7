using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Positions;

/// <summary>How the meeting's documents attribute a reservation: to the delegation by its code, or to no one.</summary>
public enum ReservationAttribution
{
    /// <summary>"HU: parliamentary scrutiny reservation." with the reservation's own words.</summary>
    Named,

    /// <summary>"One member state has entered a general reservation." The reservation's words are left out: they often name the state.</summary>
    Anonymous,
}

/// <summary>
/// One footnote: where it sits (a paragraph of the item's draft, 1-based; null: the item's text as a whole) and its
/// words. <see cref="ParagraphDeleted"/>: the reservations it words named a paragraph whose words have all been deleted
/// since (the paragraph is then null); the conclusions are not exported until they are restated.
/// </summary>
public sealed record FootnoteDto(int? Paragraph, string Text, bool ParagraphDeleted = false);

/// <summary>An item's footnotes in print order; the payload of "footnotes.changed" and one entry of the snapshot.</summary>
public sealed record ItemFootnotesDto(int ItemId, IReadOnlyList<FootnoteDto> Footnotes);

/// <summary>A reservation as the wording needs it.</summary>
public sealed record ReservationEntry(string Code, DelegationKind DelegationKind, ReservationKind Kind, string? Text, int? Paragraph, bool ParagraphDeleted = false);

/// <summary>
/// The one place that words reservations as footnotes, for the conclusions (PDF and Word) and for the room, which
/// shows them as given. Reservations that share a paragraph and a kind (and, when named, their words) make one
/// footnote: "AT, IE: general reservation." or "Some member states have entered a general reservation."
/// </summary>
public static class ReservationFootnotes
{
    public const string ChangedEvent = "footnotes.changed";

    public static string KindLabel(ReservationKind kind) => kind switch
    {
        ReservationKind.Scrutiny => "scrutiny reservation",
        ReservationKind.Parliamentary => "parliamentary scrutiny reservation",
        _ => "general reservation",
    };

    /// <summary>
    /// Pure: the footnotes of one item, whole-text ones first, then by paragraph, then those whose paragraph was deleted,
    /// each place's by kind and protocol order.
    /// </summary>
    public static IReadOnlyList<FootnoteDto> Word(IEnumerable<ReservationEntry> reservations, ReservationAttribution attribution)
    {
        var ordered = reservations
            .OrderBy(r => r.ParagraphDeleted)
            .ThenBy(r => r.Paragraph ?? 0)
            .ThenBy(r => r.Kind)
            .ThenBy(r => r.DelegationKind == DelegationKind.MemberState ? MemberStates.ProtocolIndex(r.Code) : int.MaxValue)
            .ThenBy(r => r.Code, StringComparer.Ordinal)
            .ToList();

        if (attribution == ReservationAttribution.Anonymous)
        {
            return [.. ordered.GroupBy(r => (r.ParagraphDeleted, r.Paragraph, r.Kind))
                .Select(g => new FootnoteDto(g.Key.Paragraph, Anonymous(g.ToList(), g.Key.Kind), g.Key.ParagraphDeleted))];
        }

        return [.. ordered.GroupBy(r => (r.ParagraphDeleted, r.Paragraph, r.Kind, Text: Clean(r.Text)))
            .Select(g => new FootnoteDto(g.Key.Paragraph, Named(g.Select(r => r.Code), g.Key.Kind, g.Key.Text), g.Key.ParagraphDeleted))];
    }

    private static string Named(IEnumerable<string> codes, ReservationKind kind, string text) =>
        $"{string.Join(", ", codes)}: {KindLabel(kind)}." + (text.Length == 0 ? "" : " " + Sentence(text));

    private static string Anonymous(IReadOnlyList<ReservationEntry> group, ReservationKind kind)
    {
        var members = group.All(r => r.DelegationKind == DelegationKind.MemberState);
        var who = (group.Count, members) switch
        {
            (1, true) => "One member state has",
            (1, false) => "One delegation has",
            (_, true) => "Some member states have",
            _ => "Some delegations have",
        };
        return $"{who} entered a {KindLabel(kind)}.";
    }

    private static string Clean(string? text) => string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Sentence(string text) => text[^1] is '.' or '!' or '?' or '…' ? text : text + ".";

    /// <summary>The footnotes of the given items that have any, read through <paramref name="db"/>.</summary>
    public static async Task<IReadOnlyList<ItemFootnotesDto>> ForItemsAsync(BriefingDb db, ReservationAttribution attribution, IReadOnlyCollection<int> itemIds, CancellationToken ct) =>
        [.. (await EntriesAsync(db, itemIds, ct)).OrderBy(e => e.Key).Select(e => new ItemFootnotesDto(e.Key, Word(e.Value, attribution)))];

    /// <summary>The reservations on the given items that have any, as the wording needs them, read through <paramref name="db"/>.</summary>
    public static async Task<IReadOnlyDictionary<int, IReadOnlyList<ReservationEntry>>> EntriesAsync(BriefingDb db, IReadOnlyCollection<int> itemIds, CancellationToken ct) =>
        (await db.Positions.AsNoTracking()
            .Where(p => itemIds.Contains(p.ItemId) && p.Stance == Stance.SupportWithReservation)
            .Join(db.Delegations, p => p.DelegationCode, d => d.Code, (p, d) => new { p.ItemId, p.DelegationCode, d.Kind, p.ReservationKind, p.ReservationText, p.ReservationParagraph, p.ReservationParagraphDeleted })
            .ToListAsync(ct))
        .GroupBy(r => r.ItemId)
        .ToDictionary(g => g.Key, g => (IReadOnlyList<ReservationEntry>)[.. g.Select(r =>
            new ReservationEntry(r.DelegationCode, r.Kind, r.ReservationKind ?? ReservationKind.General, r.ReservationText, r.ReservationParagraph, r.ReservationParagraphDeleted))]);

    /// <summary>
    /// For a change that moves footnotes: saves what it has done so far, then returns one "footnotes.changed" event per
    /// item (every item of the meeting when <paramref name="itemIds"/> is null), each for the item's own guests.
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
        var footnotes = (await ForItemsAsync(ctx.Db, ctx.Meeting.ReservationAttribution, [.. items.Select(i => i.Id)], ct)).ToDictionary(f => f.ItemId);
        return [.. items.Select(item => new PendingEvent(ChangedEvent, item.Id,
            footnotes.GetValueOrDefault(item.Id) ?? new ItemFootnotesDto(item.Id, []), GuestView.PositionsAudience(item)))];
    }
}
