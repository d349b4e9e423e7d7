using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Population;

public static class PopulationTablesApi
{
    public static RouteGroupBuilder MapPopulationTables(this IEndpointRouteBuilder app)
    {
        var tables = app.MapGroup("/api/population-tables").RequireAuthorization().WithTags("Population tables");

        tables.MapGet("/", async (PopulationTableService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .WithSummary("The years that have a population table, with each table's source, origin (official or derived from published shares) and total.");

        tables.MapGet("/{year:int}", async Task<Results<Ok<PopulationTableDto>, ProblemHttpResult>> (int year, PopulationTableService service, CancellationToken ct) =>
            ApiResults.Ok(await service.GetAsync(year, ct)))
            .WithSummary("A year's figures, each with its share of the table's own total.");

        tables.MapPut("/{year:int}", async Task<Results<Ok<PopulationTableDto>, ProblemHttpResult>> (int year, PutPopulationTableRequest request, ClaimsPrincipal user, PopulationTableService service, CancellationToken ct) =>
            ApiResults.Ok(await service.PutAsync(MeetingAccessResolver.CallerOf(user), year, request, ct)))
            .WithSummary("Load or replace a year's table (admin). JSON body {source, origin: official | derivedFromPublishedShares, csv}: csv is the table's text, " +
                "a header with 'code' and 'population' columns (tab- or comma-separated) and one row per member state. A malformed table is refused " +
                "with every error and its line number (errors.csv, and tableErrors: [{line, kind, message}]), and the year's old table stays.");

        return tables;
    }
}
