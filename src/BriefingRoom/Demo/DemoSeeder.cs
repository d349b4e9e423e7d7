using BriefingRoom.Agenda;
using BriefingRoom.Drafting;
using BriefingRoom.Data;
using BriefingRoom.Identity;
using BriefingRoom.Meetings;
using BriefingRoom.Positions;
using BriefingRoom.Voting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Seed the demo meeting and its accounts on first start. On in Development, off elsewhere unless asked for.</summary>
    public bool Seed { get; set; }

    /// <summary>The password of every demo account; required when <see cref="Seed"/> is on.</summary>
    public string? Password { get; set; }
}

/// <summary>Seeds the special European Council of 6 March 2025 and one account per role and delegation, once.</summary>
public sealed partial class DemoSeeder(
    BriefingDb db, UserManager<BriefingUser> users, RoleManager<IdentityRole> roles, IPasswordHasher<BriefingUser> hasher,
    IOptions<DemoOptions> options, TimeProvider clock, ILogger<DemoSeeder> log)
{
    public const string EmailDomain = "briefing.example";

    public static string EmailOf(string localPart) => $"{localPart.ToLowerInvariant()}@{EmailDomain}";

    public async Task SeedAsync(CancellationToken ct)
    {
        var demo = options.Value;
        if (!demo.Seed || await db.Meetings.AnyAsync(ct))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(demo.Password))
        {
            throw new InvalidOperationException("Demo:Seed is on but Demo:Password is not set: the demo accounts need a password.");
        }

        // The accounts are stored with a hash made once, past the rule every other password meets: a short one on a
        // demo reached from outside (Demo:Seed=true in Production) would open thirty accounts at the first guesses.
        var rule = await users.BrokenPasswordRulesAsync(new BriefingUser(), demo.Password);
        if (rule.Count > 0)
        {
            throw new InvalidOperationException($"Demo:Password does not meet the password rule: {string.Join(" ", rule)}");
        }

        try
        {
            await SeedMeetingAsync(demo.Password, ct);
        }
        catch (Exception ex) when (DatabaseErrors.IsLostRace(ex))
        {
            LogSeededElsewhere(log);
        }
    }

    private async Task SeedMeetingAsync(string password, CancellationToken ct)
    {
        // Serializable, so that two instances starting at once on one PostgreSQL cannot both seed (SQLite serializes writers anyway).
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        if (await db.Meetings.AnyAsync(ct))
        {
            return;
        }

        var now = clock.GetUtcNow();
        await SeedDelegationsAsync(ct);
        var meeting = new Meeting
        {
            Title = DemoMeeting.Title,
            Kind = MeetingKind.SpecialEuropeanCouncil,
            Date = DemoMeeting.Date,
            Place = DemoMeeting.Place,
            DocumentNumber = DemoMeeting.DocumentNumber,
            DistributionMarking = DemoMeeting.DistributionMarking,
            Status = MeetingStatus.InSession,
            Version = 1,
        };
        db.Meetings.Add(meeting);
        await db.SaveChangesAsync(ct);

        db.Participants.AddRange(DemoMeeting.All.Select(d => new Participant { MeetingId = meeting.Id, DelegationCode = d.Code, HeadOfDelegation = d.Head }));
        await SeedAgendaAsync(meeting, now, ct);
        await SeedAccountsAsync(meeting, password, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogSeeded(log, meeting.Id, DemoMeeting.DocumentNumber);
    }

    private async Task SeedDelegationsAsync(CancellationToken ct)
    {
        var known = await db.Delegations.Select(d => d.Code).ToListAsync(ct);
        db.Delegations.AddRange(DemoMeeting.All.Where(d => !known.Contains(d.Code)).Select(d => new Delegation
        {
            Code = d.Code,
            Name = d.Name,
            Kind = d.Kind,
            Votes = d.Kind == DelegationKind.MemberState,
        }));
        await db.SaveChangesAsync(ct);
    }

    private async Task SeedAgendaAsync(Meeting meeting, DateTimeOffset now, CancellationToken ct)
    {
        var number = 0;
        foreach (var demoItem in DemoMeeting.Items)
        {
            var item = new AgendaItem
            {
                MeetingId = meeting.Id,
                Number = ++number,
                Title = demoItem.Title,
                Description = demoItem.Description,
                Rule = demoItem.Rule,
                Status = demoItem.Status,
                DraftText = string.Join('\n', demoItem.Paragraphs),
                Version = 1,
                Guests = [.. demoItem.Guests.Select(code => new ItemGuest { DelegationCode = code })],
                StatementNumber = demoItem.Statement?.Number,
                StatementTitle = demoItem.Statement?.Title,
            };

            db.Items.Add(item);
            await db.SaveChangesAsync(ct);
            db.TextSnapshots.Add(new TextSnapshot { DocumentId = DocumentId.Draft(item.Id).ToString(), Revision = 0, MeetingId = meeting.Id, Text = item.DraftText, At = now });
            if (number == 2)
            {
                DemoProposals.Add(db, meeting, item, now);
            }

            if (number == DemoMeeting.Items.Count)
            {
                // The agreed defence text went round as REV 1: what the room compares later texts with, and exports as such.
                db.ItemVersions.Add(new Versions.ItemVersion
                {
                    MeetingId = meeting.Id, ItemId = item.Id, Number = 1, Name = "compromise after the tour de table", Text = item.DraftText,
                    Revision = 0, Sha256 = Versions.ItemVersion.HashOf(item.DraftText), CreatedByUserId = "", CreatedByName = "General Secretariat", CreatedAt = now,
                });
            }

            var stances = DemoMeeting.MemberStates
                .Select(m => demoItem.Exceptions.FirstOrDefault(e => e.Code == m.Code) ?? new DemoMeeting.DemoStance(m.Code, demoItem.Otherwise))
                .Concat(demoItem.Exceptions.Where(e => DemoMeeting.MemberStates.All(m => m.Code != e.Code)))
                .Where(s => s.Stance != Stance.NoPosition);
            db.Positions.AddRange(stances.Select(s =>
            {
                var position = new Position
                {
                    ItemId = item.Id,
                    DelegationCode = s.Code,
                    Stance = s.Stance,
                    ReservationKind = s.Reservation,
                    ReservationText = s.ReservationText,
                    ReservationParagraph = s.Paragraph,
                    Text = s.Text ?? "",
                    Version = 1,
                    UpdatedByUserId = "",
                    UpdatedByName = "Tour de table",
                    UpdatedAt = now,
                    RecordedOnBehalf = true,
                };
                position.AnchorReservation(item.DraftText, item.DraftRevision);
                return position;
            }));
            // Revision 0 of the position texts the tour de table wrote, for their history.
            db.TextSnapshots.AddRange(stances.Where(s => !string.IsNullOrEmpty(s.Text)).Select(s => new TextSnapshot
            {
                DocumentId = DocumentId.Position(item.Id, s.Code).ToString(),
                Revision = 0,
                MeetingId = meeting.Id,
                Text = s.Text!,
                At = now,
            }));
        }
    }

    private async Task SeedAccountsAsync(Meeting meeting, string password, DateTimeOffset now, CancellationToken ct)
    {
        if (!await roles.RoleExistsAsync(BriefingRoles.Admin))
        {
            await roles.CreateAsync(new IdentityRole(BriefingRoles.Admin));
        }

        // One hash serves every demo account: they share the password, and hashing 40 times would slow every start.
        var passwordHash = hasher.HashPassword(new BriefingUser(), password);

        var admin = await CreateUserAsync("admin", "Administrator", passwordHash);
        await users.AddToRoleAsync(admin, BriefingRoles.Admin);

        var grants = new List<(string Local, string Name, MeetingRole Role, string? Code)>
        {
            ("chair", "António Costa (chair)", MeetingRole.Chair, null),
            ("secretariat", "General Secretariat", MeetingRole.Secretariat, null),
            ("observer", "Observer", MeetingRole.Observer, null),
        };
        grants.AddRange(DemoMeeting.All.Select(d => (d.Code, $"{d.Name} delegate", MeetingRole.Delegate, (string?)d.Code)));

        foreach (var (local, name, role, code) in grants)
        {
            var user = await CreateUserAsync(local, name, passwordHash);
            db.Memberships.Add(new Membership
            {
                UserId = user.Id,
                MeetingId = meeting.Id,
                Role = role,
                DelegationCode = code,
                GrantedAt = now,
                GrantedBy = "demo seed",
            });
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task<BriefingUser> CreateUserAsync(string local, string displayName, string passwordHash)
    {
        var email = EmailOf(local);
        var user = new BriefingUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, PasswordHash = passwordHash };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Could not create demo account {email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }

        return user;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Another instance seeded the demo meeting first")]
    private static partial void LogSeededElsewhere(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo meeting {MeetingId} ({DocumentNumber}) and its accounts")]
    private static partial void LogSeeded(ILogger logger, int meetingId, string documentNumber);
}
