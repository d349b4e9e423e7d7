using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Data;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BriefingRoom.Meetings;

public static class DelegationsApi
{
    public static RouteGroupBuilder MapDelegations(this IEndpointRouteBuilder app)
    {
        var delegations = app.MapGroup("/api/delegations").RequireAuthorization().WithTags("Delegations");

        delegations.MapGet("/", async (BriefingDb db, CancellationToken ct) =>
            TypedResults.Ok((await db.Delegations.AsNoTracking().ToListAsync(ct))
                .OrderBy(d => d.Kind).ThenBy(d => d.Code, StringComparer.Ordinal).Select(DelegationDto.From).ToList()))
            .WithSummary("Every delegation known to the installation.");

        delegations.MapPost("/", async Task<Results<Created<DelegationDto>, ProblemHttpResult>> (CreateDelegationRequest request, ClaimsPrincipal user, BriefingDb db, CancellationToken ct) =>
            {
                if (!MeetingAccessResolver.CallerOf(user).IsAdmin)
                {
                    return ApiResults.Problem(new ForbiddenRefusal("Only an admin adds delegations."));
                }

                if (await db.Delegations.AnyAsync(d => d.Code == request.Code, ct))
                {
                    return ApiResults.Problem(new InvalidRefusal("code", $"Delegation {request.Code} exists already."));
                }

                var kind = request.Kind!.Value;
                if (kind == DelegationKind.MemberState && !Voting.MemberStates.IsMemberState(request.Code))
                {
                    // The decision rules count the 27 and weigh them by the population table: another "member state" would
                    // make every tally of a meeting it joined fail.
                    return ApiResults.Problem(new InvalidRefusal("code",
                        $"{request.Code} is not one of the 27 member states (Greece is EL): add it as a guest or an institution."));
                }

                var delegation = new Delegation { Code = request.Code, Name = request.Name.Trim(), Kind = kind, Votes = kind == DelegationKind.MemberState };
                db.Delegations.Add(delegation);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
                {
                    // Another admin added the same code between the look above and this write.
                    return ApiResults.Problem(new InvalidRefusal("code", $"Delegation {request.Code} exists already."));
                }

                return TypedResults.Created($"/api/delegations/{delegation.Code}", DelegationDto.From(delegation));
            })
            .WithSummary("Add a delegation (admin).");

        return delegations;
    }
}
