using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Coalitions;
using BriefingRoom.Data;
using BriefingRoom.Drafting;
using BriefingRoom.Population;
using BriefingRoom.Positions;
using BriefingRoom.Realtime;
using BriefingRoom.Tally;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Meetings;

/// <summary>Reading a meeting (snapshot, missed events, the caller's meetings) and the chair's edits of the meeting itself.</summary>
public sealed class MeetingService(BriefingDb db, MeetingChanges changes, IGrainFactory grains, TimeProvider clock, IOptions<BriefingOptions> options, MeetingEventPublisher publisher, SqliteWriteGate writers)
{
    public async Task<IReadOnlyList<MeetingSummaryDto>> ListAsync(Caller caller, CancellationToken ct)
    {
        var mine = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == caller.UserId)
            .Join(db.Meetings, m => m.MeetingId, x => x.Id, (m, x) => new { x.Id, x.Title, x.Date, x.Place, x.DocumentNumber, x.Status, m.Role, m.DelegationCode })
            .ToListAsync(ct);
        var list = mine.Select(m => new MeetingSummaryDto(m.Id, m.Title, m.Date, m.Place, m.DocumentNumber, m.Status, m.Role, m.DelegationCode)).ToList();
        if (caller.IsAdmin)
        {
            var others = await db.Meetings.AsNoTracking().Where(x => !mine.Select(m => m.Id).Contains(x.Id)).ToListAsync(ct);
            list.AddRange(others.Select(x => new MeetingSummaryDto(x.Id, x.Title, x.Date, x.Place, x.DocumentNumber, x.Status, MeetingRole.Chair, null)));
        }

        return [.. list.OrderByDescending(m => m.Date).ThenBy(m => m.Id)];
    }

    /// <summary>
    /// The meeting as the caller may see it, with the sequence number it reflects, and the number of the meeting's last
    /// change of seats before it (<see cref="Live.LiveTextsDto.SeatsChangedAt"/>): it is given only to a caller admitted at
    /// or after that (<see cref="MeetingAccessResolverExtensions.ToTheRoomAsync"/>).
    /// </summary>
    public async Task<Outcome<BuiltRoom>> RoomAsync(MeetingAccess access, CancellationToken ct)
    {
        // The texts come from the meeting's grain, with the sequence number they reflect; everything read from the
        // database after that is at least as new, and replaying the events after that number is harmless.
        var live = await grains.GetGrain<Live.IMeetingGrain>(access.MeetingId).Texts(access);
        if (live.Refusal is { } refused)
        {
            return refused;
        }

        // The items the audience could see at that number: one created or shared with a guest after it comes with its
        // event (and the page loads its texts then), not here with an empty draft labelled with the older number.
        var seen = live.Value!.ItemIds?.ToHashSet() ?? [];
        var meeting = await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == access.MeetingId, ct);
        if (meeting is null)
        {
            return ApiResults.MeetingNotFound(access.MeetingId);
        }

        var participants = await db.Participants.AsNoTracking().Include(p => p.Delegation)
            .Where(p => p.MeetingId == meeting.Id).ToListAsync(ct);
        var items = (await db.Items.AsNoTracking().Include(i => i.Guests)
                .Where(i => i.MeetingId == meeting.Id).OrderBy(i => i.Number).ToListAsync(ct))
            .Where(i => access.CanSee(i) && seen.Contains(i.Id)).ToList();
        if (access.IsGuest && live.Value.PositionsSeen is { } positionsSeen)
        {
            // Positions opened to the guest after that number come with their events (its page loads the room again on
            // "guests.positions"); here the texts of those positions would be missing from the grain's answer, and shown as "".
            // Positions closed since stay closed: the guest sees them only where they were open then and are now.
            foreach (var item in items.Where(i => i.GuestsSeePositions && !positionsSeen.Contains(i.Id)))
            {
                item.GuestsSeePositions = false;
            }
        }

        var itemIds = items.Select(i => i.Id).ToList();
        var allPositions = await db.Positions.AsNoTracking().Where(p => itemIds.Contains(p.ItemId)).ToListAsync(ct);
        var byId = items.ToDictionary(i => i.Id);
        // A guest sees its own position, and others' only on items whose positions the chair opened to it (GuestView).
        var positions = allPositions.Where(p => GuestView.MayRead(access, byId[p.ItemId], DocumentId.Position(p.ItemId, p.DelegationCode))).ToList();

        var liveTexts = live.Value!.Texts.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var texts = items.Select(i => DocumentId.Draft(i.Id).ToString())
            .Concat(positions.Select(p => DocumentId.Position(p.ItemId, p.DelegationCode).ToString()))
            .Concat(liveTexts.Keys)
            .Distinct(StringComparer.Ordinal)
            .Where(id => DocumentId.TryParse(id, out var parsed) && byId.TryGetValue(parsed.Value.ItemId, out var item) && GuestView.MayRead(access, item, parsed.Value))
            .Select(id => liveTexts.GetValueOrDefault(id) ?? new TextDocumentDto(id, "", 0))
            .ToList();
        var population = await PopulationTableStore.ForYearAsync(db, meeting.Date.Year, ct);
        var coalitions = await CoalitionService.ForItemsAsync(db, itemIds, ct);
        var footnotes = await ReservationFootnotes.ForItemsAsync(db, meeting.ReservationAttribution, itemIds, ct);

        return new BuiltRoom(new MeetingSnapshot(
            MeetingDto.From(meeting),
            live.Value.Seq,
            YouDto.From(access),
            [.. participants.OrderBy(p => p.Delegation!.Kind).ThenBy(p => p.Delegation!.Name, StringComparer.Ordinal).Select(p => ParticipantDto.From(p, p.Delegation!))],
            [.. items.Select(AgendaItemDto.From)],
            [.. positions.OrderBy(p => p.ItemId).ThenBy(p => p.DelegationCode, StringComparer.Ordinal).Select(PositionDto.From)],
            texts,
            [.. TallyService.Build(items, participants, allPositions, population).Select(t => GuestView.SeesPositions(access, byId[t.ItemId]) ? t : GuestView.ForGuests(t))],
            coalitions,
            [.. footnotes.Where(f => GuestView.SeesPositions(access, byId[f.ItemId]))],
            [.. (await Proposals.ProposalViews.ForSnapshotAsync(db, meeting, itemIds, live.Value.Proposals ?? [], ct)).Select(p => GuestView.Proposal(access, byId[p.ItemId], p))]),
            live.Value.SeatsChangedAt);
    }

    public async Task<Outcome<EventsPage>> EventsSinceAsync(MeetingAccess access, long since, CancellationToken ct)
    {
        if (since < 0)
        {
            return new InvalidRefusal("since", "A sequence number is 0 or more.");
        }

        var limit = options.Value.CatchUpLimit;
        var after = db.Events.AsNoTracking().Where(e => e.MeetingId == access.MeetingId && e.Seq > since);

        // Sizes first: a client too far behind, in events or in bytes (a few large pastes), reloads the room instead,
        // and nothing beyond what one page may hold is read.
        var sizes = await after.OrderBy(e => e.Seq).Take(limit + 1).Select(e => new { e.Seq, e.Payload.Length }).ToListAsync(ct);
        if (sizes.Count > limit || sizes.Sum(e => (long)e.Length) > Live.CoreLimits.CatchUpUnits)
        {
            return new EventsPage([], sizes[^1].Seq, Reset: true);
        }

        var through = sizes.Count == 0 ? since : sizes[^1].Seq;
        List<Realtime.MeetingEvent> events = sizes.Count == 0 ? [] : await after.Where(e => e.Seq <= through).OrderBy(e => e.Seq).ToListAsync(ct);

        if (events.Count == 0 && since > 0 && !await db.Events.AnyAsync(e => e.MeetingId == access.MeetingId && e.Seq == since, ct))
        {
            return new InvalidRefusal("since", $"The meeting has not reached sequence number {since}.");
        }

        var upTo = events.Count > 0 ? events[^1].Seq : since;
        var visible = events.Where(e => CanSee(access, e)).Select(MeetingEventDto.FromStored).ToList();
        if (access.IsGuest && visible.Any(e => e.Type.StartsWith(Proposals.ProposalService.EventPrefix, StringComparison.Ordinal)))
        {
            var open = await db.Items.AsNoTracking().Where(i => i.MeetingId == access.MeetingId && i.GuestsSeePositions).Select(i => i.Id).ToListAsync(ct);
            visible = [.. visible.Select(e => GuestView.ForGuests(e, open.Contains))];
        }

        return new EventsPage(visible, upTo, Reset: false);
    }

    /// <summary>An item of the meeting that the caller may see.</summary>
    public Task<Outcome<AgendaItem>> FindItemAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        ItemRules.ReadVisibleAsync(db, access, itemId, ct);

    public static bool CanSee(MeetingAccess access, MeetingEvent e) =>
        !access.IsGuest || e.GuestAudience is null || e.GuestAudience.Split(',').Contains(access.DelegationCode);

    public async Task<Outcome<MeetingDto>> CreateAsync(Caller admin, CreateMeetingRequest request, CancellationToken ct)
    {
        Outcome<MeetingDto> created;
        // The number's check and the meeting that takes it are one step (see NumberHolderAsync): on SQLite, inside this
        // process's turn to write.
        using (await writers.EnterAsync(db, ct))
        {
            created = await InsertAsync(admin, request, ct);
        }

        if (created.Value is not { } dto)
        {
            return created;
        }

        // Its id may have been asked for before it existed (ids come in order): the grain that answered then reads it now.
        await grains.GetGrain<Live.IMeetingGrain>(dto.Id).Created();
        // Every administrator lists every meeting: their meetings pages show it at once.
        publisher.MeetingsChanged(dto.Id, [], admins: true);
        return dto;
    }

    private async Task<Outcome<MeetingDto>> InsertAsync(Caller admin, CreateMeetingRequest request, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await NumberTakenAsync(db, 0, request.DocumentNumber, ct) is { } taken)
        {
            return taken;
        }

        var meeting = new Meeting
        {
            Title = request.Title.Trim(),
            Kind = request.Kind!.Value,
            Date = request.Date!.Value,
            Place = request.Place.Trim(),
            DocumentNumber = request.DocumentNumber.Trim(),
            DistributionMarking = string.IsNullOrWhiteSpace(request.DistributionMarking) ? null : request.DistributionMarking.Trim(),
            ReservationAttribution = request.ReservationAttribution ?? ReservationAttribution.Named,
            Status = MeetingStatus.Planned,
            Version = 1,
            LastSeq = 1,
        };
        db.Meetings.Add(meeting);
        await db.SaveChangesAsync(ct);
        var dto = MeetingDto.From(meeting);
        db.Events.Add(new MeetingEvent
        {
            MeetingId = meeting.Id,
            Seq = 1,
            Type = "meeting.created",
            Payload = System.Text.Json.JsonSerializer.Serialize(dto, BriefingJson.Options),
            ActorUserId = admin.UserId,
            ActorName = admin.Name,
            OccurredAt = clock.GetUtcNow(),
        });
        // Written whole even if the caller has gone: a commit cut off half-way only fails noisily.
        await db.SaveChangesAsync(CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return dto;
    }

    public Task<Outcome<MeetingDto>> UpdateAsync(MeetingAccess access, UpdateMeetingRequest request, CancellationToken ct) =>
        changes.ApplyAsync(access, new UpdateMeeting(request), ct);

    /// <summary>
    /// Why <paramref name="documentNumber"/> may not be this meeting's: another document carries it (see
    /// <see cref="NumberHolderAsync"/>), and a number names one record. Null when it is free.
    /// </summary>
    internal static async Task<InvalidRefusal?> NumberTakenAsync(BriefingDb db, int meetingId, string documentNumber, CancellationToken ct) =>
        await NumberHolderAsync(db, documentNumber, meetingId, ownConclusions: true, ownItemId: null, ct) is { } holder
            ? new InvalidRefusal("documentNumber", $"{holder}: give this meeting's conclusions their own.")
            : null;

    /// <summary>
    /// A Council document number names one document: one meeting's conclusions or one item's statement, in any meeting, in
    /// any case or spacing ("euco  6/25" is EUCO 6/25). What already carries <paramref name="documentNumber"/>, as the start
    /// of a refusal ("EUCO 6/25 is the number of another meeting's conclusions (…)"), or null when it is free. The document
    /// being numbered does not clash with itself: <paramref name="meetingId"/>'s conclusions when
    /// <paramref name="ownConclusions"/>, or the statement of <paramref name="ownItemId"/>.
    /// <para>
    /// Asked inside the transaction that writes the number, and answered for it until that transaction ends: two writers
    /// that each found a number free took it both (two tabs creating the June meeting, two meetings' statements numbered
    /// at once). Every check first holds <see cref="TransactionLocks.DocumentNumbers"/>, so a second check waits for the
    /// first writer's commit and reads its number.
    /// </para>
    /// </summary>
    internal static async Task<string?> NumberHolderAsync(
        BriefingDb db, string documentNumber, int meetingId, bool ownConclusions, int? ownItemId, CancellationToken ct)
    {
        await db.HoldUntilCommitAsync(TransactionLocks.DocumentNumbers, 0, ct);

        var wanted = Normalized(documentNumber);
        bool Same(string n) => string.Equals(Normalized(n), wanted, StringComparison.OrdinalIgnoreCase);
        // Read whole and compared here: the spacing and case that make two numbers one are not SQL's on both providers,
        // and a Council's life holds a few hundred meetings and statements.
        var meetings = await db.Meetings.AsNoTracking().Select(m => new { m.Id, m.Title, m.DocumentNumber }).ToListAsync(ct);
        if (meetings.FirstOrDefault(m => Same(m.DocumentNumber) && !(ownConclusions && m.Id == meetingId)) is { } meeting)
        {
            return meeting.Id == meetingId
                ? $"{meeting.DocumentNumber} is the number of the meeting's conclusions"
                : $"{meeting.DocumentNumber} is the number of another meeting's conclusions ({meeting.Title})";
        }

        var statements = await db.Items.AsNoTracking().Where(i => i.StatementNumber != null && i.Id != ownItemId)
            .Select(i => new { i.MeetingId, i.Number, i.StatementNumber }).ToListAsync(ct);
        if (statements.FirstOrDefault(i => Same(i.StatementNumber!)) is not { } statement)
        {
            return null;
        }

        return statement.MeetingId == meetingId
            ? $"{statement.StatementNumber} is already the number of item {ItemNumeral.Of(statement.Number)}'s statement"
            : $"{statement.StatementNumber} is the number of a statement of another meeting ({meetings.Single(m => m.Id == statement.MeetingId).Title})";
    }

    internal static string Normalized(string documentNumber) =>
        string.Join(' ', documentNumber.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A room and the sequence number of the last change of seats it reflects: see <see cref="MeetingService.RoomAsync"/>.</summary>
public sealed record BuiltRoom(MeetingSnapshot Snapshot, long SeatsChangedAt);

/// <summary>The chair's change to the meeting: see <see cref="MeetingService.UpdateAsync"/>.</summary>
public sealed record UpdateMeeting(UpdateMeetingRequest Request) : MeetingChange<MeetingDto>
{
    public override bool GoesOnWhenClosed => true;

    public override async Task<Outcome<ChangeStep<MeetingDto>>> RunAsync(ChangeContext ctx, CancellationToken ct)
    {
        Outcome<ChangeStep<MeetingDto>> result;
        var meeting = ctx.Meeting;
        if (!ctx.Access.IsChair)
        {
            result = ItemRules.ChairOnly("edit the meeting");
        }
        else if (Request.ExpectedVersion != meeting.Version)
        {
            result = new ConflictRefusal($"The meeting is at version {meeting.Version}, not {Request.ExpectedVersion}.", MeetingDto.From(meeting));
        }
        else if (Request.Status == MeetingStatus.Closed && meeting.Status != MeetingStatus.Closed
            && await ctx.Db.Items.Where(i => i.MeetingId == meeting.Id && i.SilenceDeadline != null)
                .OrderBy(i => i.Number).Select(i => new { i.Number, i.SilenceDeadline }).FirstOrDefaultAsync(ct) is { } silent)
        {
            // Closing stops the record, and a procedure under way would have to agree its item in a closed meeting.
            result = new ConflictRefusal(
                $"Item {ItemNumeral.Of(silent.Number)} is under a silence procedure until {Silence.SilenceRules.When(silent.SilenceDeadline!.Value)}: the meeting can be closed once the procedure ends, or after the chair cancels it.",
                MeetingDto.From(meeting)) { Title = "Under a silence procedure" };
        }
        else if (!string.Equals(MeetingService.Normalized(Request.DocumentNumber), MeetingService.Normalized(meeting.DocumentNumber), StringComparison.OrdinalIgnoreCase)
            && await MeetingService.NumberTakenAsync(ctx.Db, meeting.Id, Request.DocumentNumber, ct) is { } taken)
        {
            result = taken;
        }
        else
        {
            // The year picks the population table.
            var yearChanges = meeting.Date.Year != Request.Date!.Value.Year;
            meeting.Title = Request.Title.Trim();
            meeting.Date = Request.Date!.Value;
            meeting.Place = Request.Place.Trim();
            meeting.DocumentNumber = Request.DocumentNumber.Trim();
            meeting.Status = Request.Status!.Value;
            meeting.DistributionMarking = string.IsNullOrWhiteSpace(Request.DistributionMarking) ? null : Request.DistributionMarking.Trim();
            var attributionChanges = Request.ReservationAttribution is { } attribution && attribution != meeting.ReservationAttribution;
            meeting.ReservationAttribution = Request.ReservationAttribution ?? meeting.ReservationAttribution;
            meeting.Version++;
            var dto = MeetingDto.From(meeting);
            // The footnotes' words follow the attribution; only items with reservations have any.
            var reserved = attributionChanges
                ? await ctx.Db.Positions.Where(p => p.Stance == Voting.Stance.SupportWithReservation)
                    .Join(ctx.Db.Items.Where(i => i.MeetingId == meeting.Id), p => p.ItemId, i => i.Id, (p, _) => p.ItemId).Distinct().ToListAsync(ct)
                : [];
            result = new ChangeStep<MeetingDto>(dto,
            [
                new PendingEvent("meeting.updated", null, dto, null),
                .. yearChanges ? await TallyService.ChangedEventsAsync(ctx, null, ct) : [],
                .. yearChanges ? await Proposals.ProposalService.ReassessedAsync(ctx, null, ct) : [],
                .. reserved.Count > 0 ? await ReservationFootnotes.ChangedEventsAsync(ctx, reserved, ct) : [],
            ]);
        }

        return result;
    }
}
