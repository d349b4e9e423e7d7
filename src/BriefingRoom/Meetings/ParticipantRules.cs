using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Meetings;

public static class ParticipantRules
{
    /// <summary>The delegation taking part in this meeting under <paramref name="delegationCode"/> (any case), with its delegation, or "not found" (a blank code: what is wrong with it).</summary>
    public static async Task<Outcome<Participant>> FindAsync(ChangeContext ctx, string delegationCode, CancellationToken ct)
    {
        var code = (delegationCode ?? "").Trim().ToUpperInvariant();
        if (code.Length == 0)
        {
            return new InvalidRefusal("delegationCode", "Name the delegation by its code, such as FR.");
        }

        if (code.Length > Data.Limits.Code)
        {
            // Not named back: over the hub a code may be a megabyte, and the refusal goes into the answer and the log.
            return new InvalidRefusal("delegationCode", $"A delegation code has at most {Data.Limits.Code} characters, such as FR.");
        }

        var participant = await ctx.Db.Participants.Include(p => p.Delegation)
            .SingleOrDefaultAsync(p => p.MeetingId == ctx.Meeting.Id && p.DelegationCode == code, ct);
        return participant is not null ? participant : new NotFoundRefusal($"Delegation {code} does not take part in this meeting.");
    }
}
