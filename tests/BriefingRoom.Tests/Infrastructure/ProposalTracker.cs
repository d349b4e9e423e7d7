using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Drafting;
using BriefingRoom.Proposals;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// The proposals as a client knows them, following the browser's rules (wwwroot/js/room-state.js): the snapshot's,
/// replaced by each proposal.* event, and each open span moved through every committed operation of its draft
/// (text.edited, in sequence order) with the same mapping as the server's. Read from the events a <see cref="RoomClient"/> applied.
/// </summary>
public static class ProposalTracker
{
    public static IReadOnlyDictionary<int, ProposalDto> ProposalsOf(RoomClient client)
    {
        var proposals = (client.Snapshot!.Proposals ?? []).ToDictionary(p => p.Id);
        foreach (var e in client.Events.Where(e => e.Seq > client.Snapshot.Seq))
        {
            if (e.Type == "text.edited")
            {
                var edited = e.Payload.Deserialize<TextEditedDto>(BriefingJson.Options)!;
                foreach (var (id, p) in proposals.Where(p => p.Value.DocumentId == edited.DocumentId && p.Value.Status == ProposalStatus.Open).ToList())
                {
                    if (edited.Revision <= p.Span.Revision)
                    {
                        continue;
                    }

                    var moved = new ProposalSpan(p.Span.From, p.Span.To, p.Span.Deleted).Map(edited.Operation);
                    proposals[id] = p with { Span = new ProposalSpanDto(moved.From, moved.To, edited.Revision, moved.Deleted) };
                }
            }
            else if (e.Type.StartsWith("proposal.", StringComparison.Ordinal))
            {
                var dto = e.Payload.Deserialize<ProposalDto>(BriefingJson.Options)!;
                proposals[dto.Id] = dto;
            }
        }

        return proposals;
    }
}
