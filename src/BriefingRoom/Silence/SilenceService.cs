using System.Globalization;
using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Versions;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Silence;

/// <summary>
/// The silence procedure: the chair puts an item's draft to silence until a deadline; the draft is frozen; any member
/// delegation may break silence with a reason until then, which ends the procedure at once (Council practice: one
/// objection is enough, and the others need not object too); if nobody does, the item is agreed at the deadline.
/// Every step is a change in the meeting's grain and an event in its history. Guests do not take part: they neither
/// see the procedure nor break it, and learn its outcome from the item's status.
/// </summary>
public sealed class SilenceService(BriefingDb db, MeetingChanges changes)
{
    public Task<Outcome<SilenceDto>> OpenAsync(MeetingAccess access, int itemId, OpenSilenceRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new OpenSilence(itemId, request.Deadline!.Value), ct);

    public Task<Outcome<SilenceDto>> BreakAsync(MeetingAccess access, int itemId, BreakSilenceRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new BreakSilence(itemId, request.Reason ?? ""), ct);

    public Task<Outcome<SilenceDto>> CancelAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        changes.ApplyAsync(access, new CancelSilence(itemId), ct);

    /// <summary>Every procedure of the meeting, newest first (members only).</summary>
    public async Task<Outcome<IReadOnlyList<SilenceDto>>> ListAsync(MeetingAccess access, CancellationToken ct)
    {
        if (access.IsGuest)
        {
            return SilenceRules.GuestsDoNotTakePart();
        }

        var all = await db.Set<SilenceProcedure>().AsNoTracking().Where(s => s.MeetingId == access.MeetingId).OrderByDescending(s => s.Id).ToListAsync(ct);
        return Outcome<IReadOnlyList<SilenceDto>>.From([.. all.Select(SilenceDto.From)]);
    }
}

public static class SilenceRules
{
    /// <summary>A deadline must leave the delegations time to read the text and ask their capitals.</summary>
    public static readonly TimeSpan ShortestNotice = TimeSpan.FromMinutes(1);

    /// <summary>A silence procedure is a way to finish, not to park a text.</summary>
    public static readonly TimeSpan LongestNotice = TimeSpan.FromDays(30);

    /// <summary>The name the procedure acts under when it concludes by itself, in the meeting's history.</summary>
    public static readonly Caller Procedure = new("silence-procedure", "Silence procedure", IsAdmin: true);

    public static ForbiddenRefusal GuestsDoNotTakePart() => new("Guest delegations do not take part in silence procedures.");

    public static TimeProvider Clock(ChangeContext ctx) => ctx.Services.GetRequiredKeyedService<TimeProvider>(SilenceSetup.ClockKey);

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy, HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    internal static Task<SilenceProcedure?> OpenOnAsync(ChangeContext ctx, int itemId, CancellationToken ct) =>
        ctx.Db.Set<SilenceProcedure>().SingleOrDefaultAsync(s => s.ItemId == itemId && s.MeetingId == ctx.Meeting.Id && s.State == SilenceState.Open, ct);

    internal static ConflictRefusal NoneOpen(AgendaItem item, SilenceProcedure? last) => new(last switch
    {
        { State: SilenceState.Broken } => $"Silence on item {ItemNumeral.Of(item.Number)} was already broken by {last.BrokenByDelegationName} at {When(last.ClosedAt!.Value)}: the procedure has ended.",
        { State: SilenceState.Agreed } => $"The silence procedure on item {ItemNumeral.Of(item.Number)} has ended: the item was agreed at {When(last.ClosedAt!.Value)}.",
        { State: SilenceState.Cancelled } => $"The chair cancelled the silence procedure on item {ItemNumeral.Of(item.Number)} at {When(last.ClosedAt!.Value)}.",
        _ => $"Item {ItemNumeral.Of(item.Number)} is not under a silence procedure.",
    }, last is null ? new { itemId = item.Id } : SilenceDto.From(last));

    internal static Task<SilenceProcedure?> LastOnAsync(ChangeContext ctx, int itemId, CancellationToken ct) =>
        ctx.Db.Set<SilenceProcedure>().Where(s => s.ItemId == itemId && s.MeetingId == ctx.Meeting.Id).OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);

    /// <summary>Ends an open procedure: the draft moves again (unless the item is agreed, which freezes it anyway).</summary>
    internal static void Close(SilenceProcedure procedure, AgendaItem item, SilenceState state, DateTimeOffset at, string by)
    {
        procedure.State = state;
        procedure.ClosedAt = at;
        procedure.ClosedByName = by;
        item.SilenceDeadline = null;
    }
}

/// <summary>The chair puts the item's draft, as it stands, to silence until <see cref="Deadline"/>.</summary>
public sealed record OpenSilence(int ItemId, DateTimeOffset Deadline) : MeetingChange<SilenceDto>
{
    public override async Task<Outcome<ChangeStep<SilenceDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "open a silence procedure", allowedWhileLocked: false, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        if (item.Status is ItemStatus.Agreed or ItemStatus.Coalition)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is already decided ({item.Status}): there is nothing to put to silence.", AgendaItemDto.From(item));
        }

        if (await SilenceRules.OpenOnAsync(ctx, item.Id, ct) is { } running)
        {
            return new ConflictRefusal($"Item {ItemNumeral.Of(item.Number)} is already under a silence procedure until {SilenceRules.When(running.Deadline)}.", SilenceDto.From(running));
        }

        var now = SilenceRules.Clock(ctx).GetUtcNow();
        var deadline = Deadline.ToUniversalTime();
        if (deadline < now + SilenceRules.ShortestNotice)
        {
            return new InvalidRefusal("deadline", $"The deadline must be at least {SilenceRules.ShortestNotice.TotalMinutes:0} minute from now ({SilenceRules.When(now)}).");
        }

        if (deadline > now + SilenceRules.LongestNotice)
        {
            return new InvalidRefusal("deadline", $"The deadline may be at most {SilenceRules.LongestNotice.TotalDays:0} days from now ({SilenceRules.When(now)}).");
        }

        var procedure = new SilenceProcedure
        {
            MeetingId = ctx.Meeting.Id,
            ItemId = item.Id,
            Deadline = deadline,
            State = SilenceState.Open,
            TextRevision = item.DraftRevision,
            TextSha256 = ItemVersion.HashOf(item.DraftText),
            OpenedByUserId = ctx.Access.Caller.UserId,
            OpenedByName = ctx.Access.Caller.Name,
            OpenedAt = now,
        };
        ctx.Db.Add(procedure);
        item.SilenceDeadline = deadline;
        await ctx.Db.SaveChangesAsync(ct);
        // This instance wakes at the deadline even if its last look at the database came before this commit.
        ctx.Services.GetService<SilenceTimer>()?.Expect(deadline);
        var dto = SilenceDto.From(procedure);
        return new ChangeStep<SilenceDto>(dto, new PendingEvent("silence.opened", item.Id, dto, []));
    }
}

/// <summary>A member delegation breaks silence, with its reason: the procedure ends at once and the draft moves again.</summary>
public sealed record BreakSilence(int ItemId, string Reason) : MeetingChange<SilenceDto>
{
    public override async Task<Outcome<ChangeStep<SilenceDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.FindVisibleAsync(ctx, ItemId, ct);
        if (found.Refusal is { } missing)
        {
            return missing;
        }

        var access = ctx.Access;
        if (access.IsGuest)
        {
            return SilenceRules.GuestsDoNotTakePart();
        }

        if (access.Role != MeetingRole.Delegate || access.DelegationKind != DelegationKind.MemberState || access.DelegationCode is null)
        {
            return new ForbiddenRefusal("Only a member state's delegation breaks silence.");
        }

        // Art. 354 TFEU: a member state suspended under Art. 7(3) TEU is not counted in a unanimity, and silence is one.
        var participant = await ctx.Db.Participants.AsNoTracking().Include(p => p.Delegation)
            .SingleOrDefaultAsync(p => p.MeetingId == ctx.Meeting.Id && p.DelegationCode == access.DelegationCode, ct);
        if (participant is null)
        {
            return new ForbiddenRefusal("Your delegation does not take part in this meeting: it does not break silence.");
        }

        var delegation = participant.Delegation!.Name;
        if (participant.VotingRightsSuspended)
        {
            return new ForbiddenRefusal($"{delegation}'s voting rights are suspended under Art. 7(3) TEU: it is not counted in the Council's unanimity (Art. 354 TFEU), so its objection does not break silence.");
        }

        // Nor, for the same reason, one outside the item's voting body: a member state that does not take part in it (an
        // opt-out, an item of a subset) is not counted in its unanimity, in the tally and in a proposal's carry alike.
        var item = found.Value!;
        if (await ctx.Db.Positions.AsNoTracking().AnyAsync(p => p.ItemId == item.Id && p.DelegationCode == access.DelegationCode && p.Stance == Voting.Stance.NotTakingPart, ct))
        {
            return new ForbiddenRefusal($"{delegation} does not take part in item {ItemNumeral.Of(item.Number)}: it is outside the item's voting body, so its objection does not break silence.");
        }

        var reason = Reason.Trim();
        if (reason.Length == 0)
        {
            return new InvalidRefusal("reason", "Say why your delegation breaks silence: the chair and the other delegations read it.");
        }

        if (await SilenceRules.OpenOnAsync(ctx, item.Id, ct) is not { } procedure)
        {
            return SilenceRules.NoneOpen(item, await SilenceRules.LastOnAsync(ctx, item.Id, ct));
        }

        var now = SilenceRules.Clock(ctx).GetUtcNow();
        if (now >= procedure.Deadline)
        {
            return new ConflictRefusal($"The deadline passed at {SilenceRules.When(procedure.Deadline)}: silence can no longer be broken, and the item is being agreed.", SilenceDto.From(procedure));
        }

        procedure.BrokenByDelegationCode = access.DelegationCode;
        procedure.BrokenByDelegationName = delegation;
        procedure.BreakReason = reason;
        SilenceRules.Close(procedure, item, SilenceState.Broken, now, access.Caller.Name);
        var dto = SilenceDto.From(procedure);
        return new ChangeStep<SilenceDto>(dto, new PendingEvent("silence.broken", item.Id, dto, []));
    }
}

/// <summary>The chair withdraws the procedure before its deadline; the draft moves again.</summary>
public sealed record CancelSilence(int ItemId) : MeetingChange<SilenceDto>
{
    public override async Task<Outcome<ChangeStep<SilenceDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var found = await ItemRules.ChairsItemAsync(ctx, ItemId, "cancel a silence procedure", allowedWhileLocked: true, ct);
        if (found.Refusal is { } refused)
        {
            return refused;
        }

        var item = found.Value!;
        if (await SilenceRules.OpenOnAsync(ctx, item.Id, ct) is not { } procedure)
        {
            return SilenceRules.NoneOpen(item, await SilenceRules.LastOnAsync(ctx, item.Id, ct));
        }

        // Once the deadline has passed unbroken the item is agreed, whether or not the timer has got to it yet.
        var now = SilenceRules.Clock(ctx).GetUtcNow();
        if (now >= procedure.Deadline)
        {
            return new ConflictRefusal($"The deadline passed at {SilenceRules.When(procedure.Deadline)} with silence unbroken: the procedure can no longer be cancelled, and the item is being agreed.", SilenceDto.From(procedure));
        }

        SilenceRules.Close(procedure, item, SilenceState.Cancelled, now, ctx.Access.Caller.Name);
        var dto = SilenceDto.From(procedure);
        return new ChangeStep<SilenceDto>(dto, new PendingEvent("silence.cancelled", item.Id, dto, []));
    }
}

/// <summary>
/// The deadline of an open procedure has passed and nobody broke silence: the item is agreed. Sent by
/// <see cref="SilenceTimer"/>, possibly by several instances at once: only an open, due procedure concludes, so the
/// second call finds it closed and changes nothing (no event). The meeting's grain runs changes one at a time.
/// </summary>
public sealed record ConcludeSilence(int ProcedureId) : MeetingChange<SilenceDto?>
{
    public override async Task<Outcome<ChangeStep<SilenceDto?>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        var procedure = await ctx.Db.Set<SilenceProcedure>().SingleOrDefaultAsync(s => s.Id == ProcedureId && s.MeetingId == ctx.Meeting.Id, ct);
        var now = SilenceRules.Clock(ctx).GetUtcNow();
        if (procedure is null || procedure.State != SilenceState.Open || procedure.Deadline > now)
        {
            return new ChangeStep<SilenceDto?>(procedure is null ? null : SilenceDto.From(procedure), []);
        }

        var item = await ctx.Db.Items.Include(i => i.Guests).SingleAsync(i => i.Id == procedure.ItemId, ct);
        SilenceRules.Close(procedure, item, SilenceState.Agreed, now, SilenceRules.Procedure.Name);
        var dto = SilenceDto.From(procedure);
        List<PendingEvent> events = [new("silence.concluded", item.Id, dto, [])];
        if (item.Status != ItemStatus.Agreed)
        {
            item.Status = ItemStatus.Agreed;
            item.Version++;
            events.Add(new PendingEvent("item.status", item.Id, AgendaItemDto.From(item), ItemRules.Audience(item)));
            events.AddRange(await Proposals.ProposalService.LapseOpenAsync(ctx, item, SilenceRules.Procedure.Name, ct));
        }

        return new ChangeStep<SilenceDto?>(dto, events);
    }
}
