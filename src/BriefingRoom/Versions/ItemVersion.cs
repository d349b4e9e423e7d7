using System.Security.Cryptography;
using System.Text;
using BriefingRoom.Agenda;
using BriefingRoom.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BriefingRoom.Versions;

/// <summary>
/// A named version of an item's draft ("REV 1 – compromise after the tour de table"): the exact text at one revision,
/// frozen by the chair or the secretariat so that everyone can compare against it and it can be circulated. Never changes.
/// </summary>
public class ItemVersion
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    public int ItemId { get; set; }
    /// <summary>Counted per item from 1: the first version is REV 1 (the Council numbers no REV 0).</summary>
    public int Number { get; set; }
    public required string Name { get; set; }
    public required string Text { get; set; }
    /// <summary>The draft's revision this text is: its history shows the same text at this revision.</summary>
    public int Revision { get; set; }
    /// <summary>Lower-case hex SHA-256 of <see cref="Text"/> as UTF-8.</summary>
    public required string Sha256 { get; set; }
    public required string CreatedByUserId { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public string Label => LabelOf(Number);

    public static string LabelOf(int number) => $"REV {number}";

    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

internal sealed class ItemVersionConfiguration : IEntityTypeConfiguration<ItemVersion>
{
    public void Configure(EntityTypeBuilder<ItemVersion> e)
    {
        e.ToTable("ItemVersions");
        e.HasKey(v => v.Id);
        e.HasIndex(v => new { v.ItemId, v.Number }).IsUnique();
        e.HasIndex(v => v.MeetingId);
        // A version belongs to its item: it goes when the item is deleted, as the item's texts do.
        e.HasOne<AgendaItem>().WithMany().HasForeignKey(v => v.ItemId).OnDelete(DeleteBehavior.Cascade);
        e.Property(v => v.Name).HasMaxLength(Limits.ShortText);
        e.Property(v => v.Text).HasMaxLength(Limits.Text);
        e.Property(v => v.Sha256).HasMaxLength(64);
        e.Property(v => v.CreatedByUserId).HasMaxLength(450);
        e.Property(v => v.CreatedByName).HasMaxLength(Limits.ShortText);
        e.Ignore(v => v.Label);
    }
}
