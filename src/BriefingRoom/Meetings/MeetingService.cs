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
public sealed class MeetingService(BriefingDb db, MeetingChanges changes, TimeProvider clock, IOptions<BriefingOptions> options)
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
    /// The meeting as the caller may see it. The sequence number is read first: everything read after it is
    /// at least as new, and replaying the events after it is harmless (they carry full state or revisions).
    /// </summary>
    public async Task<Outcome<MeetingSnapshot>> SnapshotAsync(MeetingAccess access, CancellationToken ct)
    {
        var meeting = await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == access.MeetingId, ct);
        if (meeting is null)
        {
            return ApiResults.MeetingNotFound(access.MeetingId);
        }

        var participants = await db.Participants.AsNoTracking().Include(p => p.Delegation)
            .Where(p => p.MeetingId == meeting.Id).ToListAsync(ct);
        var items = (await db.Items.AsNoTracking().Include(i => i.Guests)
                .Where(i => i.MeetingId == meeting.Id).OrderBy(i => i.Number).ToListAsync(ct))
            .Where(access.CanSee).ToList();
        var itemIds = items.Select(i => i.Id).ToList();
        var positions = await db.Positions.AsNoTracking().Where(p => itemIds.Contains(p.ItemId)).ToListAsync(ct);

        var texts = items.Select(i => new TextDocumentDto(DocumentId.Draft(i.Id).ToString(), i.DraftText, i.DraftRevision))
            .Concat(positions.Select(p => new TextDocumentDto(DocumentId.Position(p.ItemId, p.DelegationCode).ToString(), p.Text, p.TextRevision)))
            .ToList();
        var population = await PopulationTableStore.ForYearAsync(db, meeting.Date.Year, ct);
        var coalitions = await CoalitionService.ForItemsAsync(db, itemIds, ct);

        return new MeetingSnapshot(
            MeetingDto.From(meeting),
            meeting.LastSeq,
            YouDto.From(access),
            [.. participants.OrderBy(p => p.Delegation!.Kind).ThenBy(p => p.Delegation!.Name, StringComparer.Ordinal).Select(p => ParticipantDto.From(p, p.Delegation!))],
            [.. items.Select(AgendaItemDto.From)],
            [.. positions.OrderBy(p => p.ItemId).ThenBy(p => p.DelegationCode, StringComparer.Ordinal).Select(PositionDto.From)],
            texts,
            TallyService.Build(items, participants, positions, population),
            coalitions);
    }

    public async Task<Outcome<EventsPage>> EventsSinceAsync(MeetingAccess access, long since, CancellationToken ct)
    {
        if (since < 0)
        {
            return new InvalidRefusal("since", "A sequence number is 0 or more.");
        }

        var limit = options.Value.CatchUpLimit;
        var events = await db.Events.AsNoTracking()
            .Where(e => e.MeetingId == access.MeetingId && e.Seq > since)
            .OrderBy(e => e.Seq).Take(limit + 1).ToListAsync(ct);
        if (events.Count > limit)
        {
            return new EventsPage([], events[^1].Seq, Reset: true);
        }

        if (events.Count == 0 && since > 0 && !await db.Events.AnyAsync(e => e.MeetingId == access.MeetingId && e.Seq == since, ct))
        {
            return new InvalidRefusal("since", $"The meeting has not reached sequence number {since}.");
        }

        var upTo = events.Count > 0 ? events[^1].Seq : since;
        var visible = events.Where(e => CanSee(access, e)).Select(MeetingEventDto.FromStored).ToList();
        return new EventsPage(visible, upTo, Reset: false);
    }

    /// <summary>An item of the meeting that the caller may see.</summary>
    public Task<Outcome<AgendaItem>> FindItemAsync(MeetingAccess access, int itemId, CancellationToken ct) =>
        ItemRules.ReadVisibleAsync(db, access, itemId, ct);

    public static bool CanSee(MeetingAccess access, MeetingEvent e) =>
        !access.IsGuest || e.GuestAudience is null || e.GuestAudience.Split(',').Contains(access.DelegationCode);

    public async Task<MeetingDto> CreateAsync(Caller admin, CreateMeetingRequest request, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var meeting = new Meeting
        {
            Title = request.Title.Trim(),
            Kind = request.Kind!.Value,
            Date = request.Date!.Value,
            Place = request.Place.Trim(),
            DocumentNumber = request.DocumentNumber.Trim(),
            DistributionMarking = string.IsNullOrWhiteSpace(request.DistributionMarking) ? null : request.DistributionMarking.Trim(),
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
        changes.ApplyAsync<MeetingDto>(access, async ctx =>
        {
            Outcome<ChangeStep<MeetingDto>> result;
            var meeting = ctx.Meeting;
            if (!access.IsChair)
            {
                result = ItemRules.ChairOnly("edit the meeting");
            }
            else if (request.ExpectedVersion != meeting.Version)
            {
                result = new ConflictRefusal($"The meeting is at version {meeting.Version}, not {request.ExpectedVersion}.", MeetingDto.From(meeting));
            }
            else
            {
                // The year picks the population table.
                var yearChanges = meeting.Date.Year != request.Date!.Value.Year;
                meeting.Title = request.Title.Trim();
                meeting.Date = request.Date!.Value;
                meeting.Place = request.Place.Trim();
                meeting.DocumentNumber = request.DocumentNumber.Trim();
                meeting.Status = request.Status!.Value;
                meeting.DistributionMarking = string.IsNullOrWhiteSpace(request.DistributionMarking) ? null : request.DistributionMarking.Trim();
                meeting.Version++;
                var dto = MeetingDto.From(meeting);
                result = new ChangeStep<MeetingDto>(dto,
                [
                    new PendingEvent("meeting.updated", null, dto, null),
                    .. yearChanges ? await TallyService.ChangedEventsAsync(ctx, null, ct) : [],
                ]);
            }

            return result;
        }, ct);
}
