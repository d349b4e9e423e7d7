using System.Security.Claims;
using BriefingRoom.Api;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Meetings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Conclusions;

public static class ConclusionsApi
{
    public const string Sha256Header = "X-Content-SHA256";
    public const string SeqHeader = "X-Meeting-Seq";

    public static IServiceCollection AddConclusions(this IServiceCollection services)
    {
        services.AddConclusionsPdf();
        services.AddSingleton<ExportGate>();
        services.AddScoped<ConclusionsService>();
        return services;
    }

    public static RouteGroupBuilder MapConclusions(this IEndpointRouteBuilder app)
    {
        var conclusions = app.MapGroup("/api/meetings/{meetingId:int}").RequireAuthorization().WithTags("Conclusions");

        conclusions.MapGet("/conclusions.pdf", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (
                int meetingId, string? noAgreement, HttpContext http, ClaimsPrincipal user, MeetingAccessResolver gate, ConclusionsService service, CancellationToken ct) =>
            {
                var export = await gate.AsMemberAsync(user, meetingId, access => service.ExportAsync(access, noAgreement == "list", ct), ct);
                if (export.Refusal is { } refusal)
                {
                    if (refusal is Realtime.BusyRefusal busy)
                    {
                        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(busy.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }

                    return ApiResults.Problem(refusal);
                }

                var pdf = export.Value!;
                http.Response.Headers[Sha256Header] = pdf.Sha256;
                http.Response.Headers[SeqHeader] = pdf.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.File(pdf.Pdf, "application/pdf", pdf.FileName);
            })
            .WithSummary("The agreed conclusions as a PDF (secretariat, chair). `?noAgreement=list` lists the items not agreed. The SHA-256 and the meeting sequence number it reflects come in X-Content-SHA256 and X-Meeting-Seq, and the export is recorded in the meeting's history.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");

        return conclusions;
    }
}
