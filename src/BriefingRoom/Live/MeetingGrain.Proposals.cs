using System.Text.Json;
using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Drafting.Ot;
using BriefingRoom.Meetings;
using BriefingRoom.Proposals;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Live;

public sealed partial class MeetingGrain
{
    /// <summary>
    /// The client operation id of an accepted proposal's edit is this and the proposal's id; clients may not choose such
    /// an id, or the window would answer a client's operation with the acceptance (or the acceptance with theirs).
    /// </summary>
    internal const string AcceptanceOpPrefix = "proposal:";

    /// <summary>
    /// Accepting a proposal is an operation like any other: built here on the draft as it stands in memory, at the
    /// proposal's span as moved by every operation so far, applied and group-committed with whatever else waits; the
    /// commit also closes the proposal and appends "proposal.accepted" right after the "text.edited" that carries it.
    /// </summary>
    public async Task<Outcome<ProposalDto>> AcceptProposal(Caller caller, int proposalId)
    {
        var entered = await EnterAsync(caller);
        if (entered.Refusal is { } closed)
        {
            return closed;
        }

        var meeting = _meeting!;
        var access = entered.Value!;

        var proposal = meeting.Proposals.Find(proposalId);
        if (proposal is null || !meeting.Items.TryGetValue(proposal.ItemId, out var item) || !access.CanSee(item))
        {
            // Closed proposals are not kept in memory: the database says which it was.
            return await ClosedOrMissingAsync(proposalId, access);
        }

        if (!DraftingRules.HoldsThePen(access))
        {
            return OnlyThePenAccepts();
        }

        if (proposal.Accepting)
        {
            // Another acceptance is on its way to the disk (the chair's and the secretariat's together, say): with the
            // proposal as it stands, as every conflict carries the current state; "accepted" follows in a moment.
            return new ConflictRefusal($"Proposal {proposal.Number} of {proposal.ProposerName} is being accepted already.",
                await OpenProposalAsync(proposal, meeting.Texts[proposal.TextKey].Revision));
        }

        if (RefuseIfWordsFrozen(item, access, Drafting.DocumentKind.Draft) is { } frozen)
        {
            return frozen;
        }

        var text = meeting.Texts[proposal.TextKey];
        if (proposal.Live.Deleted)
        {
            // With the proposal as it stands, its span deleted, as every conflict carries the current state: the screen that
            // offered "accept" had not yet drawn the deletion.
            return new ConflictRefusal(
                $"The words proposal {proposal.Number} of {proposal.ProposerName} would change have been deleted from the draft: it can be withdrawn or rejected, not accepted.",
                await OpenProposalAsync(proposal, text.Revision));
        }

        var span = proposal.Live;
        var operation = TextOperation.Builder()
            .Retain(span.From).Delete(span.To - span.From).Insert(proposal.Replacement).Retain(text.Content.Length - span.To)
            .Build();
        if (operation.TargetLength > Limits.Text)
        {
            return new InvalidRefusal("proposal", $"Accepted, proposal {proposal.Number} would make the draft longer than {Limits.Text:N0} characters.");
        }

        var content = operation.Apply(text.Content);
        var now = clock.GetUtcNow();
        var seq = ++meeting.LastSeq;
        var entry = new WindowEntry(text.Revision + 1, operation, AcceptanceOpPrefix + proposal.Id, seq, access.Caller.UserId);
        text.ApplySpeculative(content, entry);
        meeting.Proposals.Applied(text.Key, operation);
        proposal.Accepting = true;
        var acceptance = new ProposalAcceptance(proposal.Id, ++meeting.LastSeq, span.From, proposal.Replacement.Length);
        var moves = meeting.Reservations.Applied(text.Key, operation, content, entry.Revision, item);
        var edit = new PendingEdit(text, entry, content, item.Id, ItemRules.Audience(item), access.Caller, now)
        {
            Note = AcceptanceNote(proposal),
            Acceptance = acceptance,
            Moves = FollowedBy(meeting, moves),
        };
        _waiting.Add(edit);
        _lastEdit = now;
        StartFlushing();

        var outcome = await edit.Done.Task;
        return outcome.Refusal is { } failed ? failed : acceptance.Result!;
    }

    /// <summary>
    /// "Accepted proposal 7 of France", cut to its column's length: a proposer's name may take the whole of it (a
    /// delegation's name is up to <see cref="Limits.ShortText"/>), and a note too long for PostgreSQL, which enforces the
    /// length, failed the group commit, with every other operation in it, again on every try.
    /// </summary>
    private static string AcceptanceNote(LiveProposal proposal)
    {
        var note = $"Accepted proposal {proposal.Number} of {proposal.ProposerName}";
        return note.Length <= Limits.ShortText ? note : Utf16.Shorten(note, Limits.ShortText - 1);
    }

    /// <summary>An open proposal as screens show it, with its live span at <paramref name="revision"/>.</summary>
    private async Task<ProposalDto> OpenProposalAsync(LiveProposal proposal, int revision)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
        var row = await db.Proposals.AsNoTracking().Include(p => p.Supports).SingleAsync(p => p.Id == proposal.Id);
        var stored = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == MeetingId);
        var span = proposal.Live;
        return ProposalViews.Dto(row, await ProposalViews.CarryContextAsync(db, stored, CancellationToken.None), new ProposalSpanDto(span.From, span.To, revision, span.Deleted));
    }

    private static ForbiddenRefusal OnlyThePenAccepts() => new("Only the chair or the secretariat accept proposals.");

    private async Task<Refusal> ClosedOrMissingAsync(int proposalId, MeetingAccess access)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BriefingDb>();
        var row = await db.Proposals.AsNoTracking().Include(p => p.Supports).SingleOrDefaultAsync(p => p.Id == proposalId && p.MeetingId == MeetingId);
        if (row is null || !_meeting!.Items.TryGetValue(row.ItemId, out var item) || !access.CanSee(item))
        {
            return ProposalService.NotFound(proposalId);
        }

        // Asked before saying it is closed, whose answer carries the whole proposal: a guest or a delegation that may not
        // accept learns no more than an open proposal would tell it (a guest would read who backed and objected).
        if (!DraftingRules.HoldsThePen(access))
        {
            return OnlyThePenAccepts();
        }

        return ProposalService.NotOpen(row, ProposalViews.Dto(row, null));
    }

    /// <summary>Inside the commit of the operation that accepts it: the proposal closes, and its event follows the text's.</summary>
    private async Task<(MeetingEvent Stored, object Payload, IReadOnlyCollection<string> Audience)> RecordAcceptanceAsync(BriefingDb db, PendingEdit edit)
    {
        var acceptance = edit.Acceptance!;
        var proposal = await db.Proposals.Include(p => p.Supports).SingleAsync(p => p.Id == acceptance.ProposalId, CancellationToken.None);
        proposal.Status = ProposalStatus.Accepted;
        proposal.DecidedByName = edit.Author.Name;
        proposal.DecidedAt = edit.At;
        proposal.AcceptedRevision = edit.Entry.Revision;
        // From now on the span is the words the proposal put in, at the revision that put them there.
        proposal.From = acceptance.From;
        proposal.To = acceptance.From + acceptance.Length;
        proposal.Revision = edit.Entry.Revision;
        proposal.SpanDeleted = false;
        var dto = ProposalViews.Dto(proposal, null);
        acceptance.Result = dto;
        var stored = new MeetingEvent
        {
            MeetingId = proposal.MeetingId,
            Seq = acceptance.Seq,
            Type = ProposalService.Accepted,
            ItemId = edit.ItemId,
            Payload = JsonSerializer.Serialize(dto, BriefingJson.Options),
            GuestAudience = string.Join(',', edit.Audience),
            ActorUserId = edit.Author.UserId,
            ActorName = edit.Author.Name,
            OccurredAt = edit.At,
        };
        db.Events.Add(stored);
        return (stored, dto, edit.Audience);
    }

    private sealed class ProposalAcceptance(int proposalId, long seq, int from, int length)
    {
        public int ProposalId { get; } = proposalId;
        public long Seq { get; } = seq;
        public int From { get; } = from;
        public int Length { get; } = length;
        public ProposalDto? Result { get; set; }
    }
}
