using BriefingRoom.Conclusions;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>One export as a client receives it: the file and what the headers say about it.</summary>
public sealed record ExportedFile(byte[] Bytes, HttpResponseMessage Response)
{
    public string ContentSha256 => Header(ConclusionsApi.Sha256Header);
    public string CopySha256 => Header(ConclusionsApi.CopySha256Header);
    public string CopyId => Header(ConclusionsApi.CopyIdHeader);
    public long Seq => long.Parse(Header(ConclusionsApi.SeqHeader), System.Globalization.CultureInfo.InvariantCulture);

    private string Header(string name) => Response.Headers.GetValues(name).Single();
}

/// <summary>Calls the export endpoints as the page and API clients do.</summary>
public static class Exports
{
    public const string M = "/api/meetings/1";

    public static async Task<ExportedFile> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, TestHttp.Ct);
        await response.ShouldBeAsync(200);
        return new ExportedFile(await response.Content.ReadAsByteArrayAsync(TestHttp.Ct), response);
    }

    public static Task<ExportedFile> ConclusionsAsync(HttpClient client, string format = "pdf", string query = "") =>
        GetAsync(client, $"{M}/conclusions.{format}{query}");

    public static Task<ExportedFile> StatementAsync(HttpClient client, int itemId, string format = "pdf", string query = "") =>
        GetAsync(client, $"{M}/items/{itemId}/statement.{format}{query}");

    /// <summary>Sends a file to the trace endpoint and returns the app's answer.</summary>
    public static async Task<TraceResultDto> TraceAsync(HttpClient client, byte[] file, string contentType = "application/pdf")
    {
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        var response = await client.PostAsync($"{M}/copies/trace", content, TestHttp.Ct);
        await response.ShouldBeAsync(200);
        return await response.ReadAsync<TraceResultDto>();
    }

    /// <summary>Item 1 (Ukraine) as on the day: Hungary blocks it, so it becomes a statement of the 26 with its number EUCO 10/25.</summary>
    public static async Task UkraineBecomesTheStatementOf26Async(HttpClient chair)
    {
        await (await chair.PutJsonAsync($"{M}/items/1/status", new { status = "notAgreed" })).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/1/coalition", null)).ShouldBeAsync(200);
        await (await chair.PostJsonAsync($"{M}/items/1/coalition/lock", null)).ShouldBeAsync(200);
    }

    /// <summary>
    /// Reopens item V (European defence), records each reservation as a tour de table would (kind, words, and the
    /// paragraph of the draft it names), and agrees the item again.
    /// </summary>
    public static async Task ReserveOnDefenceAsync(BriefingApp app, HttpClient chair, params (string Code, string Kind, string? Text, int? Paragraph)[] reservations)
    {
        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "underDiscussion" })).ShouldBeAsync(200);
        foreach (var (code, kind, text, paragraph) in reservations)
        {
            var version = app.PositionVersion(5, code);
            await (await chair.PutJsonAsync($"{M}/items/5/positions/{code}", new
            {
                stance = "supportWithReservation",
                reservationKind = kind,
                reservationText = text,
                reservationParagraph = paragraph,
                expectedVersion = version,
            })).ShouldBeAsync(200);
        }

        await (await chair.PutJsonAsync($"{M}/items/5/status", new { status = "agreed" })).ShouldBeAsync(200);
    }

    /// <summary>The chair changes how the meeting's documents attribute reservations, and its marking.</summary>
    public static async Task SetMeetingAsync(BriefingApp app, HttpClient chair, string? marking, string attribution = "named")
    {
        var version = app.WithDb(db => db.Meetings.Single(m => m.Id == 1).Version);
        await (await chair.PutJsonAsync(M, new
        {
            title = "Special meeting of the European Council",
            date = "2025-03-06",
            place = "Brussels",
            documentNumber = "EUCO 6/25",
            status = "inSession",
            distributionMarking = marking,
            reservationAttribution = attribution,
            expectedVersion = version,
        })).ShouldBeAsync(200);
    }

    public static int MembershipOf(BriefingApp app, string who) =>
        app.WithDb(db => db.Memberships.Single(m => m.UserId == db.Users.Single(u => u.Email == BriefingApp.Email(who)).Id).Id);
}
