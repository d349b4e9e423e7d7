using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using BriefingRoom.Tally;
using BriefingRoom.Voting;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Population;

/// <summary>Listing and loading population tables. Reading is open to anyone signed in (the figures are public); loading is for an admin.</summary>
public sealed partial class PopulationTableService(BriefingDb db, MeetingChanges changes, IRoomsForgetting rooms, TimeProvider clock, ILogger<PopulationTableService> log)
{
    /// <summary>Double-majority qualified majority voting applies from 1 November 2014 (Art. 16(4) and (5) TEU, Art. 3 of Protocol No 36).</summary>
    public const int FirstYear = 2014;
    public const int LastYear = 2100;

    public async Task<IReadOnlyList<PopulationTableSummaryDto>> ListAsync(CancellationToken ct)
    {
        var tables = await db.PopulationTables.AsNoTracking().OrderBy(t => t.Year)
            .Select(t => new { t.Year, t.Source, t.Origin, t.LoadedAt, t.LoadedByName, Total = t.Figures.Sum(f => f.Population) })
            .ToListAsync(ct);
        return [.. tables.Select(t => new PopulationTableSummaryDto(t.Year, t.Source, t.Origin, t.LoadedAt, t.LoadedByName, t.Total))];
    }

    public async Task<Outcome<PopulationTableDto>> GetAsync(int year, CancellationToken ct)
    {
        var stored = await db.PopulationTables.AsNoTracking().Include(t => t.Figures).SingleOrDefaultAsync(t => t.Year == year, ct);
        return stored is null ? NoTable(year) : PopulationTableDto.From(stored);
    }

    /// <summary>
    /// Replaces the year's table, or adds it, in one transaction; a malformed table changes nothing. Then the
    /// meetings whose year now uses this table hear their items' new tallies; those that could not are named in the answer.
    /// </summary>
    public async Task<Outcome<LoadedPopulationTable>> PutAsync(Caller caller, int year, PutPopulationTableRequest request, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return new ForbiddenRefusal("Only an admin loads population tables.");
        }

        if (year is < FirstYear or > LastYear)
        {
            return new InvalidRefusal("year", $"A population table is for a year from {FirstYear} (when double-majority voting began) to {LastYear}.");
        }

        var parsed = PopulationTableParser.Parse(request.Csv, year, request.Source.Trim(), request.Origin!.Value);
        if (!parsed.Succeeded)
        {
            return new InvalidRefusal(new Dictionary<string, string[]> { ["csv"] = [.. parsed.Errors.Select(e => e.Message)] })
            {
                Extensions = new Dictionary<string, object?>
                {
                    ["tableErrors"] = parsed.Errors.Select(e => new PopulationTableErrorDto(e.Line, e.Kind, e.Message)).ToList(),
                },
            };
        }

        var table = parsed.Table;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // The year's table is looked for and then added or replaced: nobody else may look until this transaction
            // ends: on PostgreSQL two first loads of one year both found none and both added it, and the later broke on
            // the year's key (a 500).
            await db.HoldUntilCommitAsync(TransactionLocks.PopulationTables, year, ct);

            var stored = await db.PopulationTables.Include(t => t.Figures).SingleOrDefaultAsync(t => t.Year == year, ct);
            if (stored is null)
            {
                stored = new StoredPopulationTable { Year = year, Source = table.Source, LoadedByName = caller.Name };
                db.PopulationTables.Add(stored);
            }

            stored.Source = table.Source;
            stored.Origin = table.Origin;
            stored.LoadedAt = clock.GetUtcNow();
            stored.LoadedByName = caller.Name;
            stored.LoadedByUserId = caller.UserId;
            foreach (var figure in table.Figures)
            {
                var row = stored.Figures.SingleOrDefault(f => f.Code == figure.Code);
                if (row is null)
                {
                    stored.Figures.Add(new StoredPopulationFigure { Year = year, Code = figure.Code, Population = figure.Population });
                }
                else
                {
                    row.Population = figure.Population;
                }
            }

            // Written whole even if the caller has gone: a commit cut off half-way only fails noisily.
            await db.SaveChangesAsync(CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        // The rooms cached at the meetings' present numbers, on every instance, count with the old table; the retally
        // below moves those numbers, but a meeting it fails for would keep serving them.
        await rooms.ForgetEverywhereAsync();
        var notRetallied = await RetallyMeetingsUsingAsync(caller, year);
        return new LoadedPopulationTable((await GetAsync(year, CancellationToken.None)).Value!, notRetallied);
    }

    /// <summary>
    /// Each meeting whose year picks this table gets one "tally.changed" per item, through the one change pipeline.
    /// Not in the table's transaction: the table is not a meeting's state, and a client that misses these reloads a
    /// snapshot, which computes its tallies afresh. Once the table is committed every meeting is tried, whether or not
    /// the caller waits: one whose grain refuses or throws (moving to another instance, a database that failed for a
    /// moment) neither stops the others nor goes unnoticed; it is tried once more after them, and those that fail again
    /// are returned, for the admin to load the table again (which retallies them), and logged.
    /// </summary>
    private async Task<IReadOnlyList<int>> RetallyMeetingsUsingAsync(Caller caller, int year)
    {
        var years = await db.PopulationTables.Select(t => t.Year).ToListAsync(CancellationToken.None);
        var meetings = await db.Meetings.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.Id, m.Date }).ToListAsync(CancellationToken.None);
        var pending = meetings.Where(m => PopulationTableStore.PickYear(years, m.Date.Year) == year).Select(m => m.Id).ToList();
        for (var attempt = 1; attempt <= 2 && pending.Count > 0; attempt++)
        {
            var failed = new List<int>();
            foreach (var meetingId in pending)
            {
                if (await RetallyAsync(caller, meetingId) is { } why)
                {
                    LogRetallyFailed(log, meetingId, year, attempt, why);
                    failed.Add(meetingId);
                }
            }

            pending = failed;
        }

        return pending;
    }

    /// <summary>Why the meeting could not be retallied, or null.</summary>
    private async Task<string?> RetallyAsync(Caller caller, int meetingId)
    {
        try
        {
            var access = new MeetingAccess(meetingId, caller, MeetingRole.Chair, null, null);
            var outcome = await changes.ApplyAsync(access, new Retally(), CancellationToken.None);
            return outcome.Refusal?.Detail;
        }
        catch (Exception ex)
        {
            return ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingId} was not retallied with the {Year} population table (attempt {Attempt}): {Why}")]
    private static partial void LogRetallyFailed(ILogger logger, int meetingId, int year, int attempt, string? why);

    private static NotFoundRefusal NoTable(int year) => new($"There is no population table for {year}.");
}

/// <summary>A table as loaded, and the meetings whose tallies still count with the table before it (their retally failed).</summary>
public sealed record LoadedPopulationTable(PopulationTableDto Table, IReadOnlyList<int> NotRetallied);

/// <summary>Every item's tally again, after the population table the meeting's year picks was loaded anew.</summary>
public sealed record Retally : MeetingChange<int>
{
    public override bool GoesOnWhenClosed => true;

    public override async Task<Outcome<ChangeStep<int>>> RunAsync(ChangeContext ctx, CancellationToken ct) =>
        new ChangeStep<int>(ctx.Meeting.Id, [.. await TallyService.ChangedEventsAsync(ctx, null, ct), .. await Proposals.ProposalService.ReassessedAsync(ctx, null, ct)]);
}
