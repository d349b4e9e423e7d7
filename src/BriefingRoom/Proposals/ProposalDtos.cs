using System.ComponentModel.DataAnnotations;
using BriefingRoom.Agenda;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Voting;

namespace BriefingRoom.Proposals;

/// <summary>
/// A proposal's span in its draft at <see cref="Revision"/>: a client holding the draft at that revision maps it through
/// every later operation it applies (wwwroot/js/proposal-spans.js), as the server does.
/// </summary>
public sealed record ProposalSpanDto(int From, int To, int Revision, bool Deleted);

/// <summary>Whether the backers alone would carry the item's decision rule (the member states that have said nothing counted as abstaining, those not taking part in the item outside its voting body).</summary>
public sealed record BackersCarryDto(bool Carries, DecisionOutcome Outcome, string Reason);

public sealed record ProposalDecisionDto(string By, DateTimeOffset At, string? Reason, int? AcceptedRevision);

/// <summary>
/// A proposal as every screen shows it. <see cref="Span"/> is where it stands in the draft (for an accepted one: the
/// words it put in). <see cref="Backers"/> and <see cref="Objectors"/> are delegation codes; <see cref="Carry"/> is
/// null when the proposal is no longer open or the item decides nothing.
/// </summary>
public sealed record ProposalDto(
    int Id, int Number, int ItemId, string DocumentId,
    string? DelegationCode, string Proposer, string ProposedBy, DateTimeOffset At,
    string Original, string Replacement, string? Reason,
    ProposalStatus Status, ProposalSpanDto Span,
    IReadOnlyList<string> Backers, IReadOnlyList<string> Objectors, BackersCarryDto? Carry,
    ProposalDecisionDto? Decision, bool PositionsWithheld = false);

/// <summary>
/// Table a proposal: replace the span [<see cref="From"/>, <see cref="To"/>) of the draft as it stood at
/// <see cref="Revision"/> by <see cref="Replacement"/> (an empty span inserts, an empty replacement deletes).
/// The span is moved through whatever was committed after that revision.
/// <see cref="ClientRequestId"/>, optional, makes the request safe to send again (its answer lost on a failing link): a
/// request with an id its sender has tabled a proposal with already answers that proposal as it now stands, and tables
/// nothing more.
/// </summary>
public sealed record TableProposalRequest(
    [property: Required, Range(0, Limits.Text)] int? From,
    [property: Required, Range(0, Limits.Text)] int? To,
    [property: Required, Range(0, int.MaxValue)] int? Revision,
    [property: StringLength(ProposalLimits.Replacement)] string? Replacement,
    [property: Legible, StringLength(Limits.Reason)] string? Reason,
    [property: StringLength(ProposalLimits.ClientRequestId, MinimumLength = 1),
        RegularExpression("^[A-Za-z0-9._:-]*$", ErrorMessage = "A request id is made of letters, digits and . _ : - only (a UUID, say).")]
    string? ClientRequestId = null);

/// <summary>Back or object to a proposal for the caller's delegation; "none" takes its voice back.</summary>
public sealed record SupportProposalRequest([property: Required] ProposalVoice? Voice);

public enum ProposalVoice
{
    None,
    Back,
    Object,
}

public sealed record RejectProposalRequest([property: Required, Legible, StringLength(Limits.Reason, MinimumLength = 1)] string? Reason);

public sealed record WithdrawProposalRequest([property: Legible, StringLength(Limits.Reason)] string? Reason);

public sealed record DraftingModeRequest([property: Required] DraftingMode? Mode);

public static class ProposalLimits
{
    /// <summary>Words proposed in one go: a paragraph or a few, not a whole new draft.</summary>
    public const int Replacement = 10_000;

    /// <summary>The span a proposal may cover; a change larger than this is a new draft, not a proposal.</summary>
    public const int Span = 20_000;

    /// <summary>Open proposals on one draft at a time: each is mapped through every operation on it.</summary>
    public const int OpenPerDraft = 200;

    /// <summary>How far behind the current draft a proposal's revision may be, and still be moved up to date.</summary>
    public const int RevisionsBehind = 1_000;

    /// <summary>The sender's id for a tabling request (a UUID is 36).</summary>
    public const int ClientRequestId = 64;
}
