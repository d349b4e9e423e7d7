using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Versions;

public static class VersionsApi
{
    public static IServiceCollection AddVersions(this IServiceCollection services) => services.AddScoped<VersionService>();

    public static RouteGroupBuilder MapVersions(this IEndpointRouteBuilder app)
    {
        var versions = app.MapGroup("/api/meetings/{meetingId:int}/items/{itemId:int}/versions").RequireAuthorization().WithTags("Versions");

        versions.MapGet("", async Task<Results<Ok<IReadOnlyList<ItemVersionDto>>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, VersionService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.ListAsync(access, itemId, ct), ct)))
            .WithSummary("The item's named versions, REV 1 first, without their texts (anyone who may see the item).");

        versions.MapPost("", async Task<Results<Ok<ItemVersionDto>, ProblemHttpResult>> (int meetingId, int itemId, SaveVersionRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, VersionService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.SaveAsync(access, itemId, request, ct), ct)))
            .WithSummary("Freeze the draft as it stands as the next named version (REV 1, REV 2, ...), with its revision and SHA-256 (chair, secretariat).");

        versions.MapGet("/{number:int}", async Task<Results<Ok<ItemVersionTextDto>, ProblemHttpResult>> (int meetingId, int itemId, int number, ClaimsPrincipal user, MeetingAccessResolver gate, VersionService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.GetAsync(access, itemId, number, ct), ct)))
            .WithSummary("One named version with its exact text.");

        versions.MapGet("/compare", async Task<Results<Ok<VersionComparisonDto>, ProblemHttpResult>> (int meetingId, int itemId, string? from, string? to, ClaimsPrincipal user, MeetingAccessResolver gate, VersionService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.CompareAsync(access, itemId, from, to, ct), ct)))
            .WithSummary("Two texts of the draft to compare word by word: `from` and `to` name versions by number, or `current` (the default for `to`) for the text as it stands now.");

        return versions;
    }
}
