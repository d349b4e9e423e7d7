using BriefingRoom.Agenda;
using BriefingRoom.Coalitions;
using BriefingRoom.Proposals;
using BriefingRoom.Drafting;
using BriefingRoom.Identity;
using BriefingRoom.Invitations;
using BriefingRoom.Meetings;
using BriefingRoom.Population;
using BriefingRoom.Positions;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Data;

/// <summary>
/// The app's data. Each database engine has its own subclass (<see cref="SqliteBriefingDb"/>, <see cref="PostgresBriefingDb"/>)
/// only so that each keeps its own committed migrations; the model is this one.
/// </summary>
public abstract class BriefingDb : IdentityDbContext<BriefingUser>, IDataProtectionKeyContext
{
    protected BriefingDb(DbContextOptions options) : base(options)
    {
        // Every transaction here is all or nothing: a save that fails takes the whole transaction with it. EF's
        // savepoints inside it add nothing, and rolling one back with a cancelled token (a client whose link
        // dropped mid-save) logs a transaction error for what is routine.
        Database.AutoSavepointsEnabled = false;
    }

    /// <summary>The keys that protect cookies and tokens, shared by every instance so that any of them can read what another issued.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<Delegation> Delegations => Set<Delegation>();
    public DbSet<Participant> Participants => Set<Participant>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<AgendaItem> Items => Set<AgendaItem>();
    public DbSet<ItemGuest> ItemGuests => Set<ItemGuest>();
    public DbSet<Position> Positions => Set<Position>();
    public DbSet<MeetingEvent> Events => Set<MeetingEvent>();
    public DbSet<TextEdit> TextEdits => Set<TextEdit>();
    public DbSet<TextSnapshot> TextSnapshots => Set<TextSnapshot>();
    public DbSet<StoredPopulationTable> PopulationTables => Set<StoredPopulationTable>();
    public DbSet<StoredPopulationFigure> PopulationFigures => Set<StoredPopulationFigure>();
    public DbSet<Coalition> Coalitions => Set<Coalition>();
    public DbSet<CoalitionSignatory> CoalitionSignatories => Set<CoalitionSignatory>();
    public DbSet<ArchivedCoalition> ArchivedCoalitions => Set<ArchivedCoalition>();
    /// <summary>Every copy of a document handed out, with its recipient and hashes: the trail a leaked copy is traced by.</summary>
    public DbSet<Conclusions.ExportedCopy> ExportedCopies => Set<Conclusions.ExportedCopy>();
    public DbSet<RevokedSession> RevokedSessions => Set<RevokedSession>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Proposal> Proposals => Set<Proposal>();
    public DbSet<ProposalSupport> ProposalSupports => Set<ProposalSupport>();
    public DbSet<Versions.ItemVersion> ItemVersions => Set<Versions.ItemVersion>();
    public DbSet<Silence.SilenceProcedure> SilenceProcedures => Set<Silence.SilenceProcedure>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums as their names: readable in the database and stable when members are added.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfiguration(new Versions.ItemVersionConfiguration());
        builder.ApplyConfiguration(new Silence.SilenceProcedureConfiguration());

        builder.Entity<Meeting>(e =>
        {
            e.Property(m => m.Title).HasMaxLength(Limits.Title);
            e.Property(m => m.Place).HasMaxLength(Limits.ShortText);
            e.Property(m => m.DocumentNumber).HasMaxLength(Limits.ShortText);
            e.Property(m => m.DistributionMarking).HasMaxLength(Limits.ShortText);
            // The sequence counter is the arbiter between concurrent writers: a lost race fails and retries.
            e.Property(m => m.LastSeq).IsConcurrencyToken();
        });

        builder.Entity<Delegation>(e =>
        {
            e.HasKey(d => d.Code);
            e.Property(d => d.Code).HasMaxLength(Limits.Code);
            e.Property(d => d.Name).HasMaxLength(Limits.ShortText);
        });

        builder.Entity<Participant>(e =>
        {
            e.HasKey(p => new { p.MeetingId, p.DelegationCode });
            e.HasOne<Meeting>().WithMany().HasForeignKey(p => p.MeetingId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(p => p.Delegation).WithMany().HasForeignKey(p => p.DelegationCode).OnDelete(DeleteBehavior.Restrict);
            e.Property(p => p.HeadOfDelegation).HasMaxLength(Limits.ShortText);
        });

        builder.Entity<Membership>(e =>
        {
            e.HasIndex(m => new { m.MeetingId, m.UserId }).IsUnique();
            e.HasIndex(m => m.UserId);
            e.HasOne<BriefingUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Meeting>().WithMany().HasForeignKey(m => m.MeetingId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Delegation>().WithMany().HasForeignKey(m => m.DelegationCode).OnDelete(DeleteBehavior.Restrict);
            e.Property(m => m.GrantedBy).HasMaxLength(Limits.ShortText);
        });

        builder.Entity<AgendaItem>(e =>
        {
            e.HasOne<Meeting>().WithMany().HasForeignKey(i => i.MeetingId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(i => new { i.MeetingId, i.Number });
            e.Property(i => i.Title).HasMaxLength(Limits.Title);
            e.Property(i => i.Description).HasMaxLength(Limits.Description);
            e.Property(i => i.DraftText).HasMaxLength(Limits.Text);
            e.Property(i => i.LockReason).HasMaxLength(Limits.Reason);
            e.Property(i => i.LockedByName).HasMaxLength(Limits.ShortText);
            e.Property(i => i.StatementNumber).HasMaxLength(Limits.ShortText);
            e.Property(i => i.StatementTitle).HasMaxLength(Limits.Title);
            e.Property(i => i.StatementMarking).HasMaxLength(Limits.ShortText);
            e.Property(i => i.StatementRevisionReason).HasMaxLength(Limits.Reason);
            e.Property(i => i.StatementRevisionBy).HasMaxLength(Limits.ShortText);
            e.Ignore(i => i.IsLocked);
            e.Ignore(i => i.TextsFrozen);
            e.HasMany(i => i.Guests).WithOne().HasForeignKey(g => g.ItemId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ItemGuest>(e =>
        {
            e.HasKey(g => new { g.ItemId, g.DelegationCode });
            e.HasOne<Delegation>().WithMany().HasForeignKey(g => g.DelegationCode).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Position>(e =>
        {
            e.HasKey(p => new { p.ItemId, p.DelegationCode });
            e.HasOne<AgendaItem>().WithMany().HasForeignKey(p => p.ItemId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Delegation>().WithMany().HasForeignKey(p => p.DelegationCode).OnDelete(DeleteBehavior.Restrict);
            e.Property(p => p.Text).HasMaxLength(Limits.Text);
            e.Property(p => p.ReservationText).HasMaxLength(Limits.Reason);
            e.Property(p => p.UpdatedByName).HasMaxLength(Limits.ShortText);
        });

        builder.Entity<MeetingEvent>(e =>
        {
            // (MeetingId, Seq) as the key: the database itself refuses a duplicate sequence number.
            e.HasKey(ev => new { ev.MeetingId, ev.Seq });
            e.HasOne<Meeting>().WithMany().HasForeignKey(ev => ev.MeetingId).OnDelete(DeleteBehavior.Cascade);
            e.Property(ev => ev.Type).HasMaxLength(60);
            e.Property(ev => ev.ActorName).HasMaxLength(Limits.ShortText);
        });

        builder.Entity<TextEdit>(e =>
        {
            e.HasKey(t => new { t.DocumentId, t.Revision });
            e.Property(t => t.DocumentId).HasMaxLength(60);
            e.Property(t => t.ClientOpId).HasMaxLength(64);
            e.Property(t => t.AuthorName).HasMaxLength(Limits.ShortText);
            e.Property(t => t.Note).HasMaxLength(Limits.ShortText);
            // No unique index on (DocumentId, ClientOpId): the grain answers a retry from its window, and one older than
            // the window is refused by its base revision. A client that reuses an old id for a new operation only makes
            // a new row; an index refusing it would fail the whole group commit, everyone's edits with it. Two copies
            // of a revision are refused by the key, and two writers by the meeting's sequence fence.
            e.HasOne<Meeting>().WithMany().HasForeignKey(t => t.MeetingId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TextSnapshot>(e =>
        {
            e.HasKey(t => new { t.DocumentId, t.Revision });
            e.Property(t => t.DocumentId).HasMaxLength(60);
            e.Property(t => t.Text).HasMaxLength(Limits.Text);
            e.HasIndex(t => t.MeetingId);
            e.HasOne<Meeting>().WithMany().HasForeignKey(t => t.MeetingId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<StoredPopulationTable>(e =>
        {
            e.ToTable("PopulationTables");
            e.HasKey(t => t.Year);
            e.Property(t => t.Year).ValueGeneratedNever();
            e.Property(t => t.Source).HasMaxLength(Limits.Reason);
            e.Property(t => t.LoadedByName).HasMaxLength(Limits.ShortText);
            e.HasMany(t => t.Figures).WithOne().HasForeignKey(f => f.Year).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<StoredPopulationFigure>(e =>
        {
            e.ToTable("PopulationFigures");
            e.HasKey(f => new { f.Year, f.Code });
            // Member state codes, not delegations: a table is the Council's, whatever delegations an installation knows.
            e.Property(f => f.Code).HasMaxLength(Limits.Code);
        });

        builder.Entity<Coalition>(e =>
        {
            e.HasKey(c => c.ItemId);
            e.Property(c => c.ItemId).ValueGeneratedNever();
            e.HasOne<AgendaItem>().WithOne().HasForeignKey<Coalition>(c => c.ItemId).OnDelete(DeleteBehavior.Cascade);
            e.Property(c => c.CreatedByName).HasMaxLength(Limits.ShortText);
            e.Property(c => c.LockedByName).HasMaxLength(Limits.ShortText);
            e.Ignore(c => c.IsLocked);
            e.HasMany(c => c.Signatories).WithOne().HasForeignKey(s => s.ItemId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Invitation>(e =>
        {
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.HasIndex(i => new { i.MeetingId, i.Email });
            e.HasOne<Meeting>().WithMany().HasForeignKey(i => i.MeetingId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Delegation>().WithMany().HasForeignKey(i => i.DelegationCode).OnDelete(DeleteBehavior.Restrict);
            e.Property(i => i.Email).HasMaxLength(256);
            e.Property(i => i.DisplayName).HasMaxLength(Limits.ShortText);
            e.Property(i => i.TokenHash).HasMaxLength(64);
            e.Property(i => i.CreatedByName).HasMaxLength(Limits.ShortText);
            e.Property(i => i.WithdrawnByName).HasMaxLength(Limits.ShortText);
        });

        builder.Entity<Proposal>(e =>
        {
            e.HasOne<Meeting>().WithMany().HasForeignKey(p => p.MeetingId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<AgendaItem>().WithMany().HasForeignKey(p => p.ItemId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(p => new { p.MeetingId, p.Number }).IsUnique();
            e.HasIndex(p => new { p.ItemId, p.Status });
            e.HasIndex(p => new { p.MeetingId, p.ProposedByUserId, p.ClientRequestId }).IsUnique();
            e.Property(p => p.ClientRequestId).HasMaxLength(ProposalLimits.ClientRequestId);
            e.Property(p => p.DelegationCode).HasMaxLength(Limits.Code);
            e.Property(p => p.ProposerName).HasMaxLength(Limits.ShortText);
            e.Property(p => p.ProposedByUserId).HasMaxLength(450);
            e.Property(p => p.ProposedByName).HasMaxLength(Limits.ShortText);
            e.Property(p => p.Original).HasMaxLength(ProposalLimits.Span);
            e.Property(p => p.Replacement).HasMaxLength(ProposalLimits.Replacement);
            e.Property(p => p.Reason).HasMaxLength(Limits.Reason);
            e.Property(p => p.DecidedByName).HasMaxLength(Limits.ShortText);
            e.Property(p => p.DecisionReason).HasMaxLength(Limits.Reason);
            e.HasMany(p => p.Supports).WithOne().HasForeignKey(s => s.ProposalId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ProposalSupport>(e =>
        {
            e.HasKey(s => new { s.ProposalId, s.DelegationCode });
            e.HasOne<Delegation>().WithMany().HasForeignKey(s => s.DelegationCode).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<RevokedSession>(e =>
        {
            e.HasIndex(r => r.SessionId).IsUnique();
            e.Property(r => r.SessionId).HasMaxLength(64);
        });

        builder.Entity<CoalitionSignatory>(e =>
        {
            e.HasKey(s => new { s.ItemId, s.DelegationCode });
            e.HasOne<Delegation>().WithMany().HasForeignKey(s => s.DelegationCode).OnDelete(DeleteBehavior.Restrict);
            e.Property(s => s.RecordedByName).HasMaxLength(Limits.ShortText);
            // Signatures given before texts were hashed name no text: they count under no text until given again.
            e.Property(s => s.TextSha256).HasMaxLength(64).HasDefaultValue("");
        });

        builder.Entity<ArchivedCoalition>(e =>
        {
            e.HasOne<AgendaItem>().WithMany().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(a => a.ItemId);
            e.Property(a => a.CreatedByName).HasMaxLength(Limits.ShortText);
            e.Property(a => a.ArchivedByName).HasMaxLength(Limits.ShortText);
            e.Property(a => a.RestoredByName).HasMaxLength(Limits.ShortText);
            e.Property(a => a.Reason).HasMaxLength(Limits.Reason);
            e.Property(a => a.Text).HasMaxLength(Limits.Text);
            e.Property(a => a.TextSha256).HasMaxLength(64);
        });

        builder.Entity<Conclusions.ExportedCopy>(e =>
        {
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).HasMaxLength(32);
            e.HasOne<Meeting>().WithMany().HasForeignKey(c => c.MeetingId).OnDelete(DeleteBehavior.Cascade);
            // The record of a copy outlives the item it came from.
            e.HasOne<AgendaItem>().WithMany().HasForeignKey(c => c.ItemId).OnDelete(DeleteBehavior.SetNull);
            e.HasIndex(c => new { c.MeetingId, c.CopySha256 });
            e.Property(c => c.DocumentNumber).HasMaxLength(Limits.ShortText);
            e.Property(c => c.ContentSha256).HasMaxLength(64);
            e.Property(c => c.CopySha256).HasMaxLength(64);
            e.Property(c => c.RecipientUserId).HasMaxLength(450);
            e.Property(c => c.RecipientName).HasMaxLength(Limits.ShortText);
            e.Property(c => c.RecipientDelegation).HasMaxLength(Limits.ShortText);
            e.Property(c => c.ExportedByUserId).HasMaxLength(450);
            e.Property(c => c.ExportedByName).HasMaxLength(Limits.ShortText);
        });
    }
}
