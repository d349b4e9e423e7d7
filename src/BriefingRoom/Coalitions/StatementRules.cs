using System.Security.Cryptography;
using System.Text;
using BriefingRoom.Agenda;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Coalitions;

/// <summary>The SHA-256 a signature records: of the text's UTF-8 bytes, as lower-case hex.</summary>
public static class TextHash
{
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// A signature binds a text. While an item is a coalition statement its draft is frozen for everyone: a signatory
/// must be able to rely on the text it signed. Only the chair changes it, by opening a revision with a reason
/// (<see cref="ReviseStatement"/>), which withdraws every signature and tells each signatory; while the revision is
/// open only the chair edits and nobody signs; the chair then reopens it for signature (<see cref="ReopenStatement"/>).
/// </summary>
public static class StatementRules
{
    /// <summary>For an operation on one of the item's texts, by <paramref name="access"/>: the refusal, or null.</summary>
    public static Refusal? RefuseIfStatementFrozen(AgendaItem item, MeetingAccess access, DocumentKind kind)
    {
        if (item.Status != ItemStatus.Coalition || kind != DocumentKind.Draft)
        {
            return null;
        }

        if (item.StatementRevisionReason is not { } reason)
        {
            return new LockedRefusal(
                $"Item {ItemNumeral.Of(item.Number)} is a coalition statement open for signature: its text is frozen, so that every signature stays on the text signed. "
                + "Only the chair may change it, giving a reason, and that withdraws every signature.")
            { Title = "The statement's text is frozen" };
        }

        return access.CanManageAgenda
            ? null
            : new ForbiddenRefusal($"The chair is revising item {ItemNumeral.Of(item.Number)}'s statement ({reason}): only the chair edits it until it is reopened for signature.");
    }

    /// <summary>The coalition as a document prints it under <paramref name="text"/>: only the signatures given to that exact text.</summary>
    public static CoalitionDto SignedUnder(CoalitionDto coalition, string text)
    {
        var hash = TextHash.Of(text);
        var signed = coalition.Signatories.Where(s => s.TextSha256 == hash).ToList();
        if (signed.Count == coalition.Signatories.Count)
        {
            return coalition;
        }

        var memberStates = signed.Count(s => s.Kind == DelegationKind.MemberState);
        return coalition with
        {
            Signatories = signed,
            MemberStates = memberStates,
            Wording = CoalitionWording.Of(memberStates, signed.Where(s => s.Kind != DelegationKind.MemberState).Select(s => s.Name)),
        };
    }
}

/// <summary>The body of "coalition.signaturesWithdrawn": whose signatures the chair's revision withdrew, and why.</summary>
public sealed record SignaturesWithdrawnDto(int ItemId, string Reason, string By, DateTimeOffset At, IReadOnlyList<SignatoryDto> Withdrawn, CoalitionDto Coalition);

public sealed record RevisionRequest([property: System.ComponentModel.DataAnnotations.Required, Api.Legible, System.ComponentModel.DataAnnotations.StringLength(Data.Limits.Reason, MinimumLength = 1)] string Reason);

/// <summary>The chair opens a statement's text for revision: see <see cref="StatementRules"/>.</summary>
public sealed record ReviseStatement(int ItemId, string Reason) : MeetingChange<SignaturesWithdrawnDto>
{
    public override async Task<Outcome<ChangeStep<SignaturesWithdrawnDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "change a coalition statement's text", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        var reason = Reason?.Trim() ?? "";
        if (reason.Length == 0)
        {
            return new InvalidRefusal("reason", "Say why the text changes: every signatory is told, and the history keeps it.");
        }

        var coalition = await ctx.Db.Coalitions.Include(c => c.Signatories).SingleOrDefaultAsync(c => c.ItemId == item.Id, ct);
        if (item.Status != ItemStatus.Coalition || coalition is null)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is not a coalition statement.", AgendaItemDto.From(item));
        }

        if (item.StatementRevisionReason is not null)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)}'s statement is being revised already ({item.StatementRevisionReason}).", AgendaItemDto.From(item));
        }

        var before = await CoalitionService.ToDtoAsync(ctx.Db, coalition, ct);
        coalition.Signatories.Clear();
        // A new text is a new round of signatures: the list opens again with it.
        coalition.LockedAt = null;
        coalition.LockedByName = null;
        item.StatementRevisionReason = reason;
        item.StatementRevisionBy = ctx.Access.Caller.Name;
        item.Version++;
        var after = await CoalitionService.ToDtoAsync(ctx.Db, coalition, ct);
        var dto = new SignaturesWithdrawnDto(item.Id, reason, ctx.Access.Caller.Name, ctx.Now, before.Signatories, after);
        return new ChangeStep<SignaturesWithdrawnDto>(dto,
        [
            new PendingEvent("item.updated", item.Id, AgendaItemDto.From(item), ItemRules.Audience(item)),
            new PendingEvent("coalition.signaturesWithdrawn", item.Id, dto, ItemRules.Audience(item)),
        ]);
    }
}

/// <summary>The chair ends a revision: the (new) text is frozen again and open for signature.</summary>
public sealed record ReopenStatement(int ItemId) : MeetingChange<CoalitionDto>
{
    public override async Task<Outcome<ChangeStep<CoalitionDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "reopen a statement for signature", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        var coalition = await ctx.Db.Coalitions.Include(c => c.Signatories).SingleOrDefaultAsync(c => c.ItemId == item.Id, ct);
        if (item.Status != ItemStatus.Coalition || coalition is null)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is not a coalition statement.", AgendaItemDto.From(item));
        }

        if (item.StatementRevisionReason is null)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)}'s statement is open for signature already.", AgendaItemDto.From(item));
        }

        item.StatementRevisionReason = null;
        item.StatementRevisionBy = null;
        item.Version++;
        var dto = await CoalitionService.ToDtoAsync(ctx.Db, coalition, ct);
        return new ChangeStep<CoalitionDto>(dto,
        [
            new PendingEvent("item.updated", item.Id, AgendaItemDto.From(item), ItemRules.Audience(item)),
            new PendingEvent("coalition.reopened", item.Id, dto, ItemRules.Audience(item)),
        ]);
    }
}
