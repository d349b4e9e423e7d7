using System.ComponentModel.DataAnnotations;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Meetings;

namespace BriefingRoom.Coalitions;

/// <summary>A signature, with the SHA-256 of the exact text signed (see <see cref="TextHash"/>).</summary>
public sealed record SignatoryDto(string Code, string Name, DelegationKind Kind, DateTimeOffset JoinedAt, string RecordedBy, bool RecordedOnBehalf, string TextSha256);

/// <summary>
/// A coalition statement's support: every signatory (member states in protocol order, then guests by name), how
/// many member states sign, whether the chair has closed the list, and the wording to print under the text.
/// The statement's text is the item's draft. The payload of every coalition.* event.
/// </summary>
public sealed record CoalitionDto(
    int ItemId, IReadOnlyList<SignatoryDto> Signatories, int MemberStates, bool Locked, string? LockedBy, DateTimeOffset? LockedAt, string Wording);

/// <summary>
/// The separate document a coalition statement goes out as: its number (e.g. "EUCO 10/25"), its title (the item's
/// title when left out) and its own distribution marking (none when left out). Set by the secretariat or the chair.
/// </summary>
public sealed record StatementDocumentRequest(
    [property: Required, Legible, OneLine, StringLength(Limits.ShortText, MinimumLength = 1)] string DocumentNumber,
    [property: Legible, OneLine, StringLength(Limits.Title)] string? Title,
    [property: Legible, OneLine, StringLength(Limits.ShortText)] string? DistributionMarking);
