using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using BriefingRoom.Voting;
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

        var voting = app.MapGroup("/api/voting").RequireAuthorization().WithTags("Tally");

        voting.MapPost("/evaluate", async Task<Results<Ok<DecisionResult>, ProblemHttpResult>> (EvaluateRequest request, VotingCalculator calculator, CancellationToken ct) =>
            ApiResults.Ok(await calculator.EvaluateAsync(request, ct)))
            .WithSummary("The stateless calculator (anyone signed in): {rule, year, members: [{code, stance, reservationKind?, reservationText?, votingRightsSuspended?}], " +
                "guests?: [{code, name?, stance}]} gives the same fields as an item's tally, without itemId. The members listed form the voting body; " +
                "the year must have a population table. Nothing is stored.");

        return items;
    }
}
