namespace BriefingRoom.Agenda;

/// <summary>Who writes an item's draft directly.</summary>
public enum DraftingMode
{
    /// <summary>Every drafter co-edits the text.</summary>
    Open,

    /// <summary>
    /// The Presidency holds the pen: only the chair and the secretariat edit the draft; delegations table proposals
    /// (see <see cref="Proposals.Proposal"/>), which the chair accepts or rejects.
    /// </summary>
    PresidencyPen,
}
