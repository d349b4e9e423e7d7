using BriefingRoom.Agenda;
using BriefingRoom.Data;
using BriefingRoom.Meetings;
using BriefingRoom.Proposals;

namespace BriefingRoom.Demo;

/// <summary>
/// The drafting proposals the demo meeting opens with, on item II (security guarantees): France would strengthen the
/// welcome, Poland the respect for member states' interests, Hungary would add a condition. Some are backed, some opposed.
/// </summary>
internal static class DemoProposals
{
    private sealed record Demo(string Code, string Name, string Words, string Replacement, string Reason, string[] Backers, string[] Objectors, bool InsertAfter = false);

    private static readonly Demo[] All =
    [
        new("FR", "France", "welcomes", "warmly welcomes", "A clearer signal of resolve.", ["DE", "PL", "NL"], []),
        new("PL", "Poland", "take into account", "fully respect", "The interests of the member states bordering Russia must be respected, not merely considered.", ["EE", "LV", "LT"], ["AT"]),
        new("HU", "Hungary", "security guarantees", ", provided that they do not risk an escalation of the conflict", "No guarantee may draw the Union into the war.", ["SK"], ["FR", "PL", "DK"], InsertAfter: true),
    ];

    public static void Add(BriefingDb db, Meeting meeting, AgendaItem item, DateTimeOffset now)
    {
        var number = 0;
        foreach (var demo in All)
        {
            var at = item.DraftText.IndexOf(demo.Words, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var (from, to) = demo.InsertAfter ? (at + demo.Words.Length, at + demo.Words.Length) : (at, at + demo.Words.Length);
            db.Proposals.Add(new Proposal
            {
                MeetingId = meeting.Id,
                ItemId = item.Id,
                Number = ++number,
                DelegationCode = demo.Code,
                ProposerName = demo.Name,
                ProposedByUserId = "",
                ProposedByName = $"{demo.Name} delegate",
                CreatedAt = now,
                Original = item.DraftText[from..to],
                Replacement = demo.Replacement,
                Reason = demo.Reason,
                From = from,
                To = to,
                Revision = item.DraftRevision,
                Status = ProposalStatus.Open,
                Supports =
                [
                    .. demo.Backers.Select(code => new ProposalSupport { DelegationCode = code, Stance = SupportStance.Back, At = now }),
                    .. demo.Objectors.Select(code => new ProposalSupport { DelegationCode = code, Stance = SupportStance.Object, At = now }),
                ],
            });
        }
    }
}
