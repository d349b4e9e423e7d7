using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Tally;

public static class TallyApi
{
    public static RouteGroupBuilder MapTally(this IEndpointRouteBuilder app)
    {
        var items = app.MapGroup("/api/meetings/{meetingId:int}/items/{itemId:int}").RequireAuthorization().WithTags("Tally");

        items.MapGet("/tally", async Task<Results<Ok<ItemTallyDto>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, TallyService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.ForItemAsync(access, itemId, ct), ct)))
            .WithSummary("Where the item stands under its decision rule: outcome, reason, thresholds, tallies per stance, blockers, what would flip it. " +
                "The snapshot carries every visible item's tally, and \"tally.changed\" events keep it current.");

        return items;
    }
}
