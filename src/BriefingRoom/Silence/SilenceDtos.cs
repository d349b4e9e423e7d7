using System.ComponentModel.DataAnnotations;
using BriefingRoom.Data;

namespace BriefingRoom.Silence;

/// <summary>Who broke silence, and why: what the chair (and every member) sees.</summary>
public sealed record SilenceBreakDto(string DelegationCode, string Delegation, string By, string Reason, DateTimeOffset At);

/// <summary>A silence procedure as every member sees it; the body of every silence.* event.</summary>
public sealed record SilenceDto(
    int Id, int ItemId, DateTimeOffset Deadline, SilenceState State, int TextRevision, string TextSha256,
    string OpenedBy, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string? ClosedBy, SilenceBreakDto? Break)
{
    public static SilenceDto From(SilenceProcedure s) => new(
        s.Id, s.ItemId, s.Deadline, s.State, s.TextRevision, s.TextSha256, s.OpenedByName, s.OpenedAt, s.ClosedAt, s.ClosedByName,
        s.State == SilenceState.Broken && s.ClosedAt is { } at
            ? new SilenceBreakDto(s.BrokenByDelegationCode ?? "", s.BrokenByDelegationName ?? "", s.ClosedByName ?? "", s.BreakReason ?? "", at)
            : null);
}

/// <summary>Opens a silence procedure that ends at <see cref="Deadline"/> (an instant with its offset, e.g. "2025-03-07T12:00:00+01:00").</summary>
public sealed record OpenSilenceRequest([property: Required] DateTimeOffset? Deadline);

public sealed record BreakSilenceRequest([property: Required, StringLength(Limits.Reason, MinimumLength = 1)] string? Reason);
