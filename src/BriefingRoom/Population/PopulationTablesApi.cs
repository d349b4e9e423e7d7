using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Population;

public static class PopulationTablesApi
{
    /// <summary>On a loaded table: the meetings whose tallies could not be counted again with it ("1,7"), if any.</summary>
    public const string NotRetalliedHeader = "X-Not-Retallied";

    public static RouteGroupBuilder MapPopulationTables(this IEndpointRouteBuilder app)
    {
        var tables = app.MapGroup("/api/population-tables").RequireAuthorization().WithTags("Population tables");

        tables.MapGet("/", async (PopulationTableService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .WithSummary("The years that have a population table, with each table's source, origin (official or derived from published shares) and total.");

        tables.MapGet("/{year:int}", async Task<Results<Ok<PopulationTableDto>, ProblemHttpResult>> (int year, PopulationTableService service, CancellationToken ct) =>
            ApiResults.Ok(await service.GetAsync(year, ct)))
            .WithSummary("A year's figures, each with its share of the table's own total.");

        tables.MapPut("/{year:int}", async Task<Results<Ok<PopulationTableDto>, ProblemHttpResult>> (int year, PutPopulationTableRequest request, ClaimsPrincipal user, HttpContext http, PopulationTableService service, CancellationToken ct) =>
            {
                var loaded = await service.PutAsync(MeetingAccessResolver.CallerOf(user), year, request, ct);
                if (loaded.Refusal is { } refused)
                {
                    return ApiResults.Problem(refused);
                }

                if (loaded.Value!.NotRetallied.Count > 0)
                {
                    http.Response.Headers[NotRetalliedHeader] = string.Join(',', loaded.Value.NotRetallied);
                }

                return TypedResults.Ok(loaded.Value.Table);
            })
            .WithSummary("Load or replace a year's table (admin). JSON body {source, origin: official | derivedFromPublishedShares, csv}: csv is the table's text, " +
                "a header with 'code' and 'population' columns (tab- or comma-separated) and one row per member state. A malformed table is refused " +
                "with every error and its line number (errors.csv, and tableErrors: [{line, kind, message}]), and the year's old table stays. " +
                "The meetings whose tallies could not be counted again with the new table are named in X-Not-Retallied (\"1,7\"); loading the table again retallies them.");

        return tables;
    }
}
