using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>Everything a request could change, as one string: equal before and after means nothing was written.</summary>
public static class Fingerprint
{
    public static string Of(BriefingApp app)
    {
        // Stored texts are snapshots the grains bring up to date on their own schedule: settle them first.
        foreach (var meetingId in app.WithDb(db => db.Meetings.Select(m => m.Id).ToList()))
        {
            app.Checkpoint(meetingId);
        }

        return Read(app);
    }

    private static string Read(BriefingApp app) => app.WithDb(db => JsonSerializer.Serialize(new
    {
        meetings = db.Meetings.AsNoTracking().OrderBy(m => m.Id).ToList(),
        delegations = db.Delegations.AsNoTracking().OrderBy(d => d.Code).ToList(),
        participants = db.Participants.AsNoTracking().OrderBy(p => p.MeetingId).ThenBy(p => p.DelegationCode)
            .Select(p => new { p.MeetingId, p.DelegationCode, p.HeadOfDelegation, p.VotingRightsSuspended }).ToList(),
        memberships = db.Memberships.AsNoTracking().OrderBy(m => m.Id).ToList(),
        items = db.Items.AsNoTracking().OrderBy(i => i.Id)
            .Select(i => new { i.Id, i.MeetingId, i.Number, i.Title, i.Description, i.Rule, i.Status, i.DraftText, i.DraftRevision, i.Version, i.LockedByUserId, i.LockReason, i.StatementNumber, i.StatementTitle, i.StatementMarking, i.StatementRevisionReason, i.GuestsSeePositions }).ToList(),
        guests = db.ItemGuests.AsNoTracking().OrderBy(g => g.ItemId).ThenBy(g => g.DelegationCode).ToList(),
        positions = db.Positions.AsNoTracking().OrderBy(p => p.ItemId).ThenBy(p => p.DelegationCode).ToList(),
        populationTables = db.PopulationTables.AsNoTracking().OrderBy(t => t.Year)
            .Select(t => new { t.Year, t.Source, t.Origin, t.LoadedAt, t.LoadedByName, t.LoadedByUserId }).ToList(),
        populationFigures = db.PopulationFigures.AsNoTracking().OrderBy(f => f.Year).ThenBy(f => f.Code).ToList(),
        coalitions = db.Coalitions.AsNoTracking().OrderBy(c => c.ItemId)
            .Select(c => new { c.ItemId, c.CreatedAt, c.CreatedByName, c.LockedAt, c.LockedByName }).ToList(),
        signatories = db.CoalitionSignatories.AsNoTracking().OrderBy(s => s.ItemId).ThenBy(s => s.DelegationCode).ToList(),
        archivedCoalitions = db.ArchivedCoalitions.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.ItemId, a.SignatoriesJson, a.RestoredAt }).ToList(),
        copies = db.ExportedCopies.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.CopySha256 }).ToList(),
        events = db.Events.Count(),
        users = db.Users.Count(),
        invitations = db.Invitations.AsNoTracking().OrderBy(i => i.Id)
            .Select(i => new { i.Id, i.Email, i.Role, i.DelegationCode, i.AcceptedAt, i.WithdrawnAt }).ToList(),
    }));

    /// <summary>Runs <paramref name="act"/> and asserts that it wrote nothing at all.</summary>
    public static async Task AssertUnchangedAsync(BriefingApp app, Func<Task> act)
    {
        var before = Of(app);
        await act();
        Assert.Equal(before, Of(app));
    }

    /// <summary>Runs <paramref name="act"/>, asserts that it wrote nothing at all, and hands back what it returned (a response, say).</summary>
    public static async Task<T> AssertUnchangedAsync<T>(BriefingApp app, Func<Task<T>> act)
    {
        var before = Of(app);
        var result = await act();
        Assert.Equal(before, Of(app));
        return result;
    }
}
