using BriefingRoom.Agenda;
using BriefingRoom.Drafting;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Live;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Proposals;

/// <summary>
/// Drafting proposals and the drafting mode, for REST and the hub alike. Tabling, backing, rejecting and withdrawing are
/// changes (they run alone in the meeting's grain, after every waiting operation is committed, so the draft and the
/// spans they read are current); accepting applies the proposal as an operation on the draft, in the grain's group commit.
/// </summary>
public sealed class ProposalService(MeetingChanges changes, IGrainFactory grains)
{
    /// <summary>What every proposal event's type begins with.</summary>
    public const string EventPrefix = "proposal.";

    public const string Tabled = "proposal.tabled";
    public const string Supported = "proposal.supported";
    public const string Accepted = "proposal.accepted";
    public const string Rejected = "proposal.rejected";
    public const string Withdrawn = "proposal.withdrawn";
    public const string Lapsed = "proposal.lapsed";
    /// <summary>The open proposal as it stands, for a change that moved whether its backers alone would carry it (rule, voting body, table).</summary>
    public const string Reassessed = "proposal.reassessed";
    public const string DraftingModeSet = "item.drafting";

    public Task<Outcome<AgendaItemDto>> SetDraftingModeAsync(MeetingAccess access, int itemId, DraftingModeRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new SetDraftingMode(itemId, request.Mode!.Value), ct);

    public Task<Outcome<ProposalDto>> TableAsync(MeetingAccess access, int itemId, TableProposalRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new TableProposal(itemId, request), ct);

    public Task<Outcome<ProposalDto>> SupportAsync(MeetingAccess access, int proposalId, SupportProposalRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new SupportProposal(proposalId, request.Voice!.Value), ct);

    public Task<Outcome<ProposalDto>> RejectAsync(MeetingAccess access, int proposalId, RejectProposalRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new CloseProposal(proposalId, ProposalStatus.Rejected, request.Reason!.Trim()), ct);

    public Task<Outcome<ProposalDto>> WithdrawAsync(MeetingAccess access, int proposalId, WithdrawProposalRequest? request, CancellationToken ct) =>
        changes.ApplyAsync(access, new CloseProposal(proposalId, ProposalStatus.Withdrawn, string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason.Trim()), ct);

    public Task<Outcome<ProposalDto>> AcceptAsync(MeetingAccess access, int proposalId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Not repeated on a lost answer: a second acceptance of the same proposal is refused, never applied twice.
        return GrainCalls.OnceAsync(() => grains.GetGrain<IMeetingGrain>(access.MeetingId).AcceptProposal(access.Caller, proposalId));
    }

    /// <summary>Who tables as the caller: its delegation, or the Presidency / the secretariat.</summary>
    internal static (string? Code, string Name) ProposerOf(ChangeContext ctx, string? delegationName) =>
        ctx.Access.IsChair ? (null, "the Presidency")
        : ctx.Access.IsSecretariat ? (null, "the General Secretariat")
        : (ctx.Access.DelegationCode, delegationName ?? ctx.Access.DelegationCode ?? ctx.Access.Caller.Name);

    internal static NotFoundRefusal NotFound(int proposalId) => new($"Proposal {proposalId} does not exist in this meeting.");

    /// <summary>The proposal, if it is in this meeting on an item the caller may see, with its item and supports.</summary>
    internal static async Task<Outcome<(Proposal Proposal, AgendaItem Item)>> FindAsync(ChangeContext ctx, int proposalId, CancellationToken ct)
    {
        var proposal = await ctx.Db.Proposals.Include(p => p.Supports).SingleOrDefaultAsync(p => p.Id == proposalId && p.MeetingId == ctx.Meeting.Id, ct);
        if (proposal is null)
        {
            return NotFound(proposalId);
        }

        var item = await ItemRules.FindVisibleAsync(ctx, proposal.ItemId, ct);
        return item.Refusal is not null ? NotFound(proposalId) : (proposal, item.Value!);
    }

    internal static ConflictRefusal NotOpen(Proposal p, ProposalDto dto) =>
        new($"Proposal {p.Number} of {p.ProposerName} is {p.Status.ToString().ToLowerInvariant()}: it can no longer change.", dto);

    /// <summary>
    /// The item was just agreed (by <paramref name="by"/>: the chair, or a silence procedure at its deadline): its open
    /// proposals lapse, since agreed text is final and none of them can be accepted any more. One event each, to the
    /// item's audience, to follow the item's status in the same change.
    /// </summary>
    internal static async Task<IReadOnlyList<PendingEvent>> LapseOpenAsync(ChangeContext ctx, AgendaItem item, string by, CancellationToken ct)
    {
        var open = await ctx.Db.Proposals.Include(p => p.Supports)
            .Where(p => p.ItemId == item.Id && p.MeetingId == ctx.Meeting.Id && p.Status == ProposalStatus.Open)
            .OrderBy(p => p.Number).ToListAsync(ct);
        if (open.Count == 0)
        {
            return [];
        }

        foreach (var p in open)
        {
            p.Status = ProposalStatus.Lapsed;
            p.DecidedByName = by;
            p.DecidedAt = ctx.Now;
            p.DecisionReason = $"item {ItemNumeral.Of(item.Number)} was agreed while it was still open";
        }

        await ctx.Db.SaveChangesAsync(ct);
        var carry = await ProposalViews.CarryContextAsync(ctx.Db, ctx.Meeting, ct);
        var audience = ItemRules.Audience(item);
        return [.. open.Select(p => new PendingEvent(Lapsed, item.Id, ProposalViews.Dto(p, carry), audience))];
    }

    /// <summary>
    /// For a change that moves what "would the backers alone carry it" counts with (an item's rule, the member states
    /// taking part or their suspension, the population table): one "proposal.reassessed" per open proposal of
    /// <paramref name="itemId"/> (every item when null), with its carry as it now stands, to its item's audience. The
    /// chair's screen otherwise kept saying "the backers alone would carry it" under a rule the item no longer has.
    /// </summary>
    internal static async Task<IReadOnlyList<PendingEvent>> ReassessedAsync(ChangeContext ctx, int? itemId, CancellationToken ct)
    {
        await ctx.Db.SaveChangesAsync(ct);
        var open = await ctx.Db.Proposals.AsNoTracking().Include(p => p.Supports)
            .Where(p => p.MeetingId == ctx.Meeting.Id && p.Status == ProposalStatus.Open && (itemId == null || p.ItemId == itemId))
            .OrderBy(p => p.Number).ToListAsync(ct);
        if (open.Count == 0)
        {
            return [];
        }

        var carry = await ProposalViews.CarryContextAsync(ctx.Db, ctx.Meeting, ct);
        var items = await ctx.Db.Items.AsNoTracking().Include(i => i.Guests).Where(i => i.MeetingId == ctx.Meeting.Id).ToDictionaryAsync(i => i.Id, ct);
        return [.. open.Where(p => items.ContainsKey(p.ItemId))
            .Select(p => new PendingEvent(Reassessed, p.ItemId, ProposalViews.Dto(p, carry), ItemRules.Audience(items[p.ItemId])))];
    }

    internal static async Task<ChangeStep<ProposalDto>> StepAsync(ChangeContext ctx, string type, Proposal p, AgendaItem item, CancellationToken ct)
    {
        await ctx.Db.SaveChangesAsync(ct);
        var dto = ProposalViews.Dto(p, await ProposalViews.CarryContextAsync(ctx.Db, ctx.Meeting, ct));
        return new ChangeStep<ProposalDto>(dto, new PendingEvent(type, item.Id, dto, ItemRules.Audience(item)));
    }
}

/// <summary>The chair's change: see <see cref="ProposalService.SetDraftingModeAsync"/>.</summary>
public sealed record SetDraftingMode(int ItemId, DraftingMode Mode) : MeetingChange<AgendaItemDto>
{
    public override async Task<Outcome<ChangeStep<AgendaItemDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "choose who holds the pen", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        if (item.DraftingMode == Mode)
        {
            // Nothing moves: every screen would otherwise announce the pen again.
            return new ChangeStep<AgendaItemDto>(AgendaItemDto.From(item), []);
        }

        item.DraftingMode = Mode;
        item.Version++;
        var dto = AgendaItemDto.From(item);
        return new ChangeStep<AgendaItemDto>(dto, new PendingEvent(ProposalService.DraftingModeSet, item.Id, dto, ItemRules.Audience(item)));
    }
}

/// <summary>A delegation's (or the chair's, or the secretariat's) change: see <see cref="ProposalService.TableAsync"/>.</summary>
public sealed record TableProposal(int ItemId, TableProposalRequest Request) : MeetingChange<ProposalDto>
{
    public override async Task<Outcome<ChangeStep<ProposalDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.FindVisibleAsync(ctx, ItemId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        var item = found.Value!;
        if (Request.ClientRequestId is { } requestId
            && await ctx.Db.Proposals.Include(p => p.Supports)
                .SingleOrDefaultAsync(p => p.MeetingId == ctx.Meeting.Id && p.ProposedByUserId == ctx.Access.Caller.UserId && p.ClientRequestId == requestId, ct) is { } tabled)
        {
            // Sent again (its answer lost): whatever has happened since (the item locked, the proposal accepted), the
            // answer is the proposal as it now stands, and nothing more is tabled or told.
            return await AgainAsync(ctx, tabled, item, ct);
        }

        if (!ctx.Access.CanEditDrafts)
        {
            return new ForbiddenRefusal("Guests and observers read the draft; delegations of member states and institutions, the chair and the secretariat table proposals.");
        }

        if (ItemRules.RefuseIfTextsFrozen(item, ctx.Access) is { } frozen)
        {
            return frozen;
        }

        // Inside a change the stored draft is the live one (the grain checkpointed it).
        var text = item.DraftText;
        var current = item.DraftRevision;
        var (from, to, revision) = (Request.From!.Value, Request.To!.Value, Request.Revision!.Value);
        if (revision > current)
        {
            return InvalidRefusal.RevisionNotYet("revision", current, revision, "draft");
        }

        if (current - revision > ProposalLimits.RevisionsBehind)
        {
            return new ConflictRefusal($"The selection was made {current - revision} revisions ago, more than {ProposalLimits.RevisionsBehind}: select the words again.", new TextDocumentDto(DocumentId.Draft(item.Id).ToString(), text, current));
        }

        if (from > to)
        {
            return new InvalidRefusal("to", "The span ends before it starts: give from ≤ to.");
        }

        var key = DocumentId.Draft(item.Id).ToString();
        var log = await ctx.Db.TextEdits.AsNoTracking().Where(e => e.DocumentId == key && e.Revision > revision)
            .OrderBy(e => e.Revision).Select(e => e.Operation).ToListAsync(ct);
        var operations = log.Select(TextOperation.FromStored).ToList();
        var lengthThen = operations.Count > 0 ? operations[0].BaseLength : text.Length;
        if (to > lengthThen)
        {
            return new InvalidRefusal("to", $"The draft had {lengthThen} characters at revision {revision}; the span must end within it.");
        }

        if (to - from > ProposalLimits.Span)
        {
            return new InvalidRefusal("to", $"A proposal covers at most {ProposalLimits.Span:N0} characters; for more, ask the chair to circulate a new text.");
        }

        var replacement = Replacement;
        if (from == to && replacement.Length == 0)
        {
            return new InvalidRefusal("replacement", "Propose words to insert, or select words to delete or replace.");
        }

        var span = new ProposalSpan(from, to, false);
        foreach (var operation in operations)
        {
            span = span.Map(operation);
        }

        if (span.Deleted)
        {
            return new ConflictRefusal("The words you selected were deleted meanwhile: select again.", new TextDocumentDto(key, text, current));
        }

        if (span.To - span.From > ProposalLimits.Span)
        {
            // Typing inside the selection since it was made moved its end: what the proposal would cover now counts.
            return new ConflictRefusal(
                $"The words you selected have grown to {span.To - span.From:N0} characters meanwhile; a proposal covers at most {ProposalLimits.Span:N0}: select again.",
                new TextDocumentDto(key, text, current));
        }

        // Each end names its own field, so that the page marks the end that is wrong.
        if (!Utf16.IsBoundary(text, span.From))
        {
            return new InvalidRefusal("from", "The span starts inside a character, cutting it in two: select whole characters.");
        }

        if (!Utf16.IsBoundary(text, span.To))
        {
            return new InvalidRefusal("to", "The span ends inside a character, cutting it in two: select whole characters.");
        }

        if (!Utf16.IsWellFormed(replacement))
        {
            return new InvalidRefusal("replacement", "The replacement holds half a character (an unpaired surrogate): send whole characters.");
        }

        var original = text[span.From..span.To];
        if (original == replacement)
        {
            return new InvalidRefusal("replacement", "The replacement is the words selected: propose a change.");
        }

        if (text.Length - original.Length + replacement.Length > Data.Limits.Text)
        {
            return new InvalidRefusal("replacement", $"Accepted, the proposal would make the draft longer than {Data.Limits.Text:N0} characters.");
        }

        var open = await ctx.Db.Proposals.CountAsync(p => p.ItemId == item.Id && p.Status == ProposalStatus.Open, ct);
        if (open >= ProposalLimits.OpenPerDraft)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} has {open} open proposals, the most one draft may carry: the chair decides some first.", new { open });
        }

        var delegationName = ctx.Access.DelegationCode is { } code
            ? await ctx.Db.Delegations.Where(d => d.Code == code).Select(d => d.Name).FirstOrDefaultAsync(ct)
            : null;
        var (proposerCode, proposerName) = ProposalService.ProposerOf(ctx, delegationName);
        var number = (await ctx.Db.Proposals.Where(p => p.MeetingId == ctx.Meeting.Id).MaxAsync(p => (int?)p.Number, ct) ?? 0) + 1;
        var proposal = new Proposal
        {
            MeetingId = ctx.Meeting.Id,
            ItemId = item.Id,
            Number = number,
            DelegationCode = proposerCode,
            ProposerName = proposerName,
            ProposedByUserId = ctx.Access.Caller.UserId,
            ProposedByName = ctx.Access.Caller.Name,
            CreatedAt = ctx.Now,
            Original = original,
            Replacement = replacement,
            Reason = Reason,
            From = span.From,
            To = span.To,
            Revision = current,
            Status = ProposalStatus.Open,
            ClientRequestId = Request.ClientRequestId,
        };
        ctx.Db.Proposals.Add(proposal);
        return await ProposalService.StepAsync(ctx, ProposalService.Tabled, proposal, item, ct);
    }

    /// <summary>The words proposed, as the proposal keeps them (none: a deletion).</summary>
    private string Replacement => Request.Replacement ?? "";

    /// <summary>The reason, as the proposal keeps it: trimmed, and none when blank.</summary>
    private string? Reason => string.IsNullOrWhiteSpace(Request.Reason) ? null : Request.Reason.Trim();

    /// <summary>
    /// The answer to a request sent again: the proposal it tabled, if it is the same request (the same item, words and
    /// reason); an id its sender used for other words is refused, naming it.
    /// </summary>
    private async Task<Outcome<ChangeStep<ProposalDto>>> AgainAsync(ChangeContext ctx, Proposal tabled, AgendaItem item, CancellationToken ct)
    {
        if (tabled.ItemId != item.Id)
        {
            return new InvalidRefusal("clientRequestId",
                $"This request tabled proposal {tabled.Number} on another item already: a new proposal needs a new request id.");
        }

        if (tabled.Replacement != Replacement || tabled.Reason != Reason)
        {
            return new InvalidRefusal("clientRequestId",
                $"This request tabled proposal {tabled.Number} already, with the words and reason it had then: a new proposal needs a new request id.");
        }

        var dto = ProposalViews.Dto(tabled, await ProposalViews.CarryContextAsync(ctx.Db, ctx.Meeting, ct));
        return new ChangeStep<ProposalDto>(dto, []);
    }
}

/// <summary>A delegation's change: see <see cref="ProposalService.SupportAsync"/>.</summary>
public sealed record SupportProposal(int ProposalId, ProposalVoice Voice) : MeetingChange<ProposalDto>
{
    public override async Task<Outcome<ChangeStep<ProposalDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ProposalService.FindAsync(ctx, ProposalId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        var (proposal, item) = found.Value;
        if (ctx.Access.DelegationCode is not { } code || ctx.Access.IsGuest || ctx.Access.Role == MeetingRole.Observer)
        {
            return new ForbiddenRefusal("Delegations of member states and institutions back or object to proposals; the chair, the secretariat, guests and observers do not.");
        }

        if (code == proposal.DelegationCode)
        {
            return new ForbiddenRefusal($"Your delegation tabled proposal {proposal.Number}; the other delegations back or object to it.");
        }

        if (proposal.Status != ProposalStatus.Open)
        {
            return ProposalService.NotOpen(proposal, ProposalViews.Dto(proposal, null));
        }

        if (ItemRules.RefuseIfTextsFrozen(item, ctx.Access) is { } frozen)
        {
            return frozen;
        }

        var mine = proposal.Supports.SingleOrDefault(s => s.DelegationCode == code);
        var unchanged = Voice switch
        {
            ProposalVoice.None => mine is null,
            ProposalVoice.Back => mine?.Stance == SupportStance.Back,
            _ => mine?.Stance == SupportStance.Object,
        };
        if (unchanged)
        {
            // A double click, or a second screen of the same delegation: nothing moves, so no event tells every screen it did.
            return new ChangeStep<ProposalDto>(ProposalViews.Dto(proposal, await ProposalViews.CarryContextAsync(ctx.Db, ctx.Meeting, ct)), []);
        }

        switch (Voice)
        {
            case ProposalVoice.None when mine is not null:
                proposal.Supports.Remove(mine);
                break;
            case ProposalVoice.Back or ProposalVoice.Object:
                var stance = Voice == ProposalVoice.Back ? SupportStance.Back : SupportStance.Object;
                if (mine is null)
                {
                    proposal.Supports.Add(new ProposalSupport { DelegationCode = code, Stance = stance, At = ctx.Now });
                }
                else
                {
                    mine.Stance = stance;
                    mine.At = ctx.Now;
                }

                break;
        }

        return await ProposalService.StepAsync(ctx, ProposalService.Supported, proposal, item, ct);
    }
}

/// <summary>The chair's or secretariat's rejection, or the proposer's withdrawal: see <see cref="ProposalService.RejectAsync"/>.</summary>
public sealed record CloseProposal(int ProposalId, ProposalStatus To, string? Reason) : MeetingChange<ProposalDto>
{
    public override async Task<Outcome<ChangeStep<ProposalDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ProposalService.FindAsync(ctx, ProposalId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        var (proposal, item) = found.Value;
        var access = ctx.Access;
        if (To == ProposalStatus.Rejected && !DraftingRules.HoldsThePen(access))
        {
            return new ForbiddenRefusal("Only the chair or the secretariat reject proposals.");
        }

        var proposers = proposal.DelegationCode is { } code
            ? access.DelegationCode == code && !access.IsChair && !access.IsSecretariat
            : DraftingRules.HoldsThePen(access);
        if (To == ProposalStatus.Withdrawn && !proposers)
        {
            return new ForbiddenRefusal($"Only {proposal.ProposerName}, who tabled proposal {proposal.Number}, may withdraw it.");
        }

        if (proposal.Status != ProposalStatus.Open)
        {
            return ProposalService.NotOpen(proposal, ProposalViews.Dto(proposal, null));
        }

        if (ItemRules.RefuseIfTextsFrozen(item, ctx.Access) is { } frozen)
        {
            return frozen;
        }

        proposal.Status = To;
        proposal.DecidedByName = access.Caller.Name;
        proposal.DecidedAt = ctx.Now;
        proposal.DecisionReason = Reason;
        return await ProposalService.StepAsync(ctx, To == ProposalStatus.Rejected ? ProposalService.Rejected : ProposalService.Withdrawn, proposal, item, ct);
    }
}
