using BriefingRoom.Agenda;
using BriefingRoom.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BriefingRoom.Silence;

public enum SilenceState
{
    /// <summary>Running: the item's texts are frozen and member delegations may break silence until the deadline.</summary>
    Open,
    /// <summary>Nobody broke silence by the deadline: the item was agreed by the procedure itself.</summary>
    Agreed,
    /// <summary>A member delegation broke silence: the procedure ended at that moment, the draft moves again.</summary>
    Broken,
    /// <summary>The chair withdrew the procedure before the deadline.</summary>
    Cancelled,
}

/// <summary>
/// A silence procedure on an item's draft: the text as it was put to silence (revision and SHA-256), the deadline, and
/// how it ended. The row is the durable timer: <see cref="SilenceTimer"/> concludes open procedures whose deadline passed,
/// on whichever instance notices first, through the meeting's grain, which concludes each exactly once.
/// </summary>
public class SilenceProcedure
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    public int ItemId { get; set; }
    public DateTimeOffset Deadline { get; set; }
    public SilenceState State { get; set; }

    /// <summary>The draft put to silence: what is agreed if nobody objects.</summary>
    public int TextRevision { get; set; }
    public required string TextSha256 { get; set; }

    public required string OpenedByUserId { get; set; }
    public required string OpenedByName { get; set; }
    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>Who ended it: the chair who cancelled, the delegate who broke it, or "Silence procedure" at the deadline.</summary>
    public string? ClosedByName { get; set; }

    public string? BrokenByDelegationCode { get; set; }
    public string? BrokenByDelegationName { get; set; }
    public string? BreakReason { get; set; }
}

internal sealed class SilenceProcedureConfiguration : IEntityTypeConfiguration<SilenceProcedure>
{
    public void Configure(EntityTypeBuilder<SilenceProcedure> e)
    {
        e.ToTable("SilenceProcedures");
        e.HasKey(s => s.Id);
        // The timer's one question: which procedures are still open.
        e.HasIndex(s => s.State);
        e.HasIndex(s => new { s.MeetingId, s.ItemId });
        e.HasOne<AgendaItem>().WithMany().HasForeignKey(s => s.ItemId).OnDelete(DeleteBehavior.Cascade);
        e.Property(s => s.TextSha256).HasMaxLength(64);
        e.Property(s => s.OpenedByUserId).HasMaxLength(450);
        e.Property(s => s.OpenedByName).HasMaxLength(Limits.ShortText);
        e.Property(s => s.ClosedByName).HasMaxLength(Limits.ShortText);
        e.Property(s => s.BrokenByDelegationCode).HasMaxLength(Limits.Code);
        e.Property(s => s.BrokenByDelegationName).HasMaxLength(Limits.ShortText);
        e.Property(s => s.BreakReason).HasMaxLength(Limits.Reason);
    }
}
