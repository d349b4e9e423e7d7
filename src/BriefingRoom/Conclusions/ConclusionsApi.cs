using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using BriefingRoom.Api;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Conclusions.Word;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BriefingRoom.Conclusions;

public static class ConclusionsApi
{
    /// <summary>The content SHA-256: the same for every copy of the same text, PDF or Word.</summary>
    public const string Sha256Header = "X-Content-SHA256";
    /// <summary>This file's own SHA-256.</summary>
    public const string CopySha256Header = "X-Copy-SHA256";
    public const string CopyIdHeader = "X-Copy-Id";
    public const string SeqHeader = "X-Meeting-Seq";
    /// <summary>The items the conclusions left out, as "number:status" pairs ("3:underDiscussion,4:notAgreed").</summary>
    public const string LeftOutHeader = "X-Left-Out";

    private const string Recipient = "`?recipient=` names another member of the meeting, by membership id, to issue the copy to (default: the caller).";

    public static IServiceCollection AddConclusions(this IServiceCollection services)
    {
        services.AddConclusionsPdf();
        services.AddSingleton<IConclusionsWordWriter, OpenXmlConclusionsWriter>();
        services.AddSingleton<ExportGate>();
        services.AddScoped<ConclusionsService>();
        services.AddScoped<CopyTraceService>();
        return services;
    }

    public static RouteGroupBuilder MapConclusions(this IEndpointRouteBuilder app)
    {
        var conclusions = app.MapGroup("/api/meetings/{meetingId:int}").RequireAuthorization().WithTags("Conclusions");

        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            var extension = format == ExportFormat.Pdf ? "pdf" : "docx";
            var label = format == ExportFormat.Pdf ? "PDF" : "Word file";
            conclusions.MapGet($"/conclusions.{extension}", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (
                    int meetingId, string? noAgreement, int? recipient, int? version, HttpContext http, ClaimsPrincipal user, MeetingAccessResolver gate, ConclusionsService service, CancellationToken ct) =>
                    File(http, await gate.AsMemberAsync(user, meetingId, access => NoAgreementProblem(noAgreement, version) is { } invalid
                        ? Task.FromResult<Outcome<ConclusionsExport>>(invalid)
                        : version is { } v
                        ? service.ExportVersionAsync(access, v, format, recipient, ct)
                        : service.ExportConclusionsAsync(access, format, noAgreement == NoAgreementList, recipient, ct), ct)))
                .WithSummary($"The agreed conclusions as a {label}, one recipient's copy (secretariat, chair). `?noAgreement=list` lists the items not agreed. {Recipient} "
                    + "`?version=` (a named version's id, see GET .../items/{itemId}/versions) exports that version of one item's text instead: its number and name in the header, its SHA-256 in the audit trail. "
                    + "The content SHA-256 (the same for every copy of this text), the copy's own SHA-256 and identifier, and the meeting sequence number it reflects "
                    + "come in X-Content-SHA256, X-Copy-SHA256, X-Copy-Id and X-Meeting-Seq; the copy is recorded and the export is in the meeting's history.")
                .Produces(StatusCodes.Status200OK, contentType: format == ExportFormat.Pdf ? "application/pdf" : "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

            conclusions.MapGet($"/items/{{itemId:int}}/statement.{extension}", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (
                    int meetingId, int itemId, int? recipient, HttpContext http, ClaimsPrincipal user, MeetingAccessResolver gate, ConclusionsService service, CancellationToken ct) =>
                    File(http, await gate.AsMemberAsync(user, meetingId, access => service.ExportStatementAsync(access, itemId, format, recipient, ct), ct)))
                .WithSummary($"A coalition statement as a document of its own, with its number, title and signatories, as a {label}: one recipient's copy (secretariat, chair). {Recipient} Headers as for the conclusions.")
                .Produces(StatusCodes.Status200OK, contentType: format == ExportFormat.Pdf ? "application/pdf" : "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        }

        conclusions.MapGet("/copies", async Task<Results<Ok<IReadOnlyList<ExportedCopyDto>>, ProblemHttpResult>> (int meetingId, ClaimsPrincipal user, MeetingAccessResolver gate, CopyTraceService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.CopiesAsync(access, ct), ct)))
            .WithSummary("Every copy issued in this meeting, newest first: document, format, recipient, identifier, content and copy SHA-256 (secretariat, chair).");

        conclusions.MapPost("/copies/trace", async Task<Results<Ok<TraceResultDto>, ProblemHttpResult>> (int meetingId, HttpRequest request, ClaimsPrincipal user, MeetingAccessResolver gate, CopyTraceService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, async access =>
                {
                    // Who may trace is known before a byte of the file is read.
                    if (!access.CanExport)
                    {
                        return new ForbiddenRefusal("Only the secretariat and the chair trace copies.");
                    }

                    var body = await ReadBodyAsync(request, ct);
                    return body.Refusal is { } tooLarge ? tooLarge : await service.TraceFileAsync(access, body.Value!, ct);
                }, ct)))
            .Accepts<byte[]>("application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/octet-stream")
            .WithSummary("Whose copy is this file? Send a leaked PDF or Word file as the body (up to 20 MB). An exact match is an authentic copy; "
                + "a file that carries a copy's identifier but not its bytes is reported as altered, never as authentic (secretariat, chair).");

        conclusions.MapGet("/copies/trace", async Task<Results<Ok<TraceResultDto>, ProblemHttpResult>> (int meetingId, string? identifier, ClaimsPrincipal user, MeetingAccessResolver gate, CopyTraceService service, CancellationToken ct) =>
                ApiResults.Ok(await gate.AsMemberAsync(user, meetingId, access => service.TraceIdentifierAsync(access, identifier, ct), ct)))
            .WithSummary("Whose copy does this identifier (BR-XXXX-XXXX-XXXX-XXXX, pasted from a leaked text) belong to? (secretariat, chair)");

        return conclusions;
    }

    private const string NoAgreementList = "list";

    /// <summary>
    /// `?noAgreement=` takes one value: any other (a typo, "yes", "true") is refused rather than read as "leave the
    /// items without agreement out", which would hand out conclusions that silently omit what the caller asked to see.
    /// </summary>
    private static InvalidRefusal? NoAgreementProblem(string? noAgreement, int? version) => noAgreement switch
    {
        null => null,
        NoAgreementList when version is null => null,
        NoAgreementList => new InvalidRefusal("noAgreement", "A version prints one item's text: there are no other items to list, so leave out ?noAgreement=list with ?version=."),
        _ => new InvalidRefusal("noAgreement", $"Give noAgreement=list to list the items without agreement, or leave it out; \"{RequestValidation.Shown(noAgreement)}\" is not a value it takes."),
    };

    private static Results<FileContentHttpResult, ProblemHttpResult> File(HttpContext http, Outcome<ConclusionsExport> export)
    {
        if (export.Refusal is { } refusal)
        {
            if (refusal is BusyRefusal busy)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(busy.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            return ApiResults.Problem(refusal);
        }

        var file = export.Value!;
        http.Response.Headers[Sha256Header] = file.ContentSha256;
        http.Response.Headers[CopySha256Header] = file.CopySha256;
        http.Response.Headers[CopyIdHeader] = file.CopyId;
        http.Response.Headers[SeqHeader] = file.Seq.ToString(CultureInfo.InvariantCulture);
        if (file.LeftOut.Count > 0)
        {
            http.Response.Headers[LeftOutHeader] = string.Join(",", file.LeftOut.Select(l => $"{l.Number.ToString(CultureInfo.InvariantCulture)}:{JsonNamingPolicy.CamelCase.ConvertName(l.Status.ToString())}"));
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(file.File, file.ContentType, file.FileName);
    }

    /// <summary>The request body, up to <see cref="CopyTraceService.MaxUpload"/> (more than the app's usual limit: a leaked file may have been re-saved larger).</summary>
    private static async Task<Outcome<byte[]>> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = CopyTraceService.MaxUpload;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > CopyTraceService.MaxUpload)
            {
                return new InvalidRefusal("file", $"The file is larger than {CopyTraceService.MaxUpload / (1024 * 1024)} MB: no copy this app issues is that large.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
