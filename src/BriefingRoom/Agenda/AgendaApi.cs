using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Agenda;

public static class AgendaApi
{
    public static RouteGroupBuilder MapAgenda(this IEndpointRouteBuilder app)
    {
        var agenda = app.MapGroup("/api/meetings/{meetingId:int}").RequireAuthorization().WithTags("Agenda");

        agenda.MapPost("/items", async Task<Results<Ok<AgendaItemDto>, ProblemHttpResult>> (int meetingId, CreateItemRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, AgendaService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.CreateAsync(access, request, ct), ct)))
            .WithSummary("Add an item at the end of the agenda (chair).");

        agenda.MapPut("/items/{itemId:int}", async Task<Results<Ok<AgendaItemDto>, ProblemHttpResult>> (int meetingId, int itemId, UpdateItemRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, AgendaService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.UpdateAsync(access, itemId, request, ct), ct)))
            .WithSummary("Edit an item's title, description, decision rule and invited guests, at the version the caller saw (chair).");

        agenda.MapDelete("/items/{itemId:int}", async Task<Results<Ok<AgendaOrderDto>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, AgendaService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.DeleteAsync(access, itemId, ct), ct)))
            .WithSummary("Remove an item; the rest are renumbered. Refused while it is locked, under a silence procedure (which the chair cancels first), or when it carries a coalition statement, standing or ended: signatures stay on record (chair).");

        agenda.MapPut("/agenda/order", async Task<Results<Ok<AgendaOrderDto>, ProblemHttpResult>> (int meetingId, ReorderRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, AgendaService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.ReorderAsync(access, request, ct), ct)))
            .WithSummary("Put the agenda in a new order: every item id once (chair).");

        agenda.MapPost("/items/{itemId:int}/lock", async Task<Results<Ok<AgendaItemDto>, ProblemHttpResult>> (int meetingId, int itemId, LockRequest? request, ClaimsPrincipal user, MeetingAccessResolver gate, AgendaService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.LockAsync(access, itemId, request?.Reason, ct), ct)))
            .WithSummary("Lock an item, with an optional reason: nothing about it changes until it is unlocked; refused while a silence procedure runs on it, which the chair cancels first (chair).");

        agenda.MapDelete("/items/{itemId:int}/lock", async Task<Results<Ok<AgendaItemDto>, ProblemHttpResult>> (int meetingId, int itemId, ClaimsPrincipal user, MeetingAccessResolver gate, AgendaService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.UnlockAsync(access, itemId, ct), ct)))
            .WithSummary("Unlock an item (chair).");

        agenda.MapPut("/items/{itemId:int}/status", async Task<Results<Ok<AgendaItemDto>, ProblemHttpResult>> (int meetingId, int itemId, StatusRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, AgendaService service, CancellationToken ct) =>
            ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.SetStatusAsync(access, itemId, request, ct), ct)))
            .WithSummary("Set an item's status; agreeing freezes its texts and lapses its open proposals (chair).");

        return agenda;
    }
}
