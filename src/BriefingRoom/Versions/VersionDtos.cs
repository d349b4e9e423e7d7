using System.ComponentModel.DataAnnotations;
using BriefingRoom.Api;
using BriefingRoom.Data;

namespace BriefingRoom.Versions;

/// <summary>A named version without its text (the body of "version.saved" and the list); the text is fetched apart.</summary>
public sealed record ItemVersionDto(
    int Id, int ItemId, int Number, string Label, string Name, int Revision, string Sha256, int Length, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static ItemVersionDto From(ItemVersion v) =>
        new(v.Id, v.ItemId, v.Number, v.Label, v.Name, v.Revision, v.Sha256, v.Text.Length, v.CreatedByName, v.CreatedAt);
}

/// <summary>A named version with its exact text.</summary>
public sealed record ItemVersionTextDto(ItemVersionDto Version, string Text);

public sealed record SaveVersionRequest([property: Required, Legible, OneLine, StringLength(Limits.ShortText, MinimumLength = 1)] string? Name);

/// <summary>One side of a comparison: a version, or the draft as it stands now (<see cref="Version"/> null).</summary>
public sealed record CompareSideDto(string Label, ItemVersionDto? Version, int Revision, string Sha256, string Text);

/// <summary>Two texts of one item's draft, older first; the page diffs them word by word (wwwroot/js/word-diff.js).</summary>
public sealed record VersionComparisonDto(int ItemId, CompareSideDto From, CompareSideDto To);
