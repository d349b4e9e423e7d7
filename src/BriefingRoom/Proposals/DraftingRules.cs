using BriefingRoom.Agenda;
using BriefingRoom.Drafting;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;

namespace BriefingRoom.Proposals;

/// <summary>Who may write an item's draft directly, under its drafting mode: checked for every operation, in the grain.</summary>
public static class DraftingRules
{
    public static bool HoldsThePen(MeetingAccess access) => access.IsChair || access.IsSecretariat;

    public static ForbiddenRefusal? RefuseIfPen(AgendaItem item, DocumentId text, MeetingAccess access) =>
        text.Kind == DocumentKind.Draft && item.DraftingMode == DraftingMode.PresidencyPen && !HoldsThePen(access)
            ? new ForbiddenRefusal($"The Presidency holds the pen on item {ItemNumeral.Of(item.Number)}: only the chair and the secretariat edit its draft. Select the words and table a proposal instead.")
            : null;
}
