using System.Net;
using System.Text.RegularExpressions;
using BriefingRoom.Meetings;
using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Meetings;

/// <summary>
/// A document number names one document in the whole record (<see cref="NewMeetingTests"/>). Checked and then written, it
/// was only as good as nobody else taking the number in between: the administrator's two tabs creating the June meeting
/// at once, or two meetings' chairs numbering statements at the same moment, printed one number on two documents, and a
/// copy traced by it led to either.
/// </summary>
public class DocumentNumberRaceTests
{
    private const int AtOnce = 12;

    [Fact]
    public async Task MeetingsCreatedAtOnceWithOneNumberGetItOnce()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        var answers = await AllAtOnceAsync(Enumerable.Range(0, AtOnce).Select(i => (Func<Task<HttpResponseMessage>>)(() =>
            admin.PostJsonAsync("/api/meetings", new { title = $"European Council {i}", kind = "europeanCouncil", date = "2025-06-26", place = "Brussels", documentNumber = i % 2 == 0 ? "EUCO 12/25" : "euco  12/25" }))));

        await AssertOneTookItAsync(answers);
        Assert.Equal(1, app.WithDb(db => db.Meetings.AsEnumerable().Count(m => MeetingService.Normalized(m.DocumentNumber).Equals("EUCO 12/25", StringComparison.OrdinalIgnoreCase))));
    }

    /// <summary>
    /// PostgreSQL has no single writer: two meetings' grains write side by side, each in its own transaction. Here one
    /// meeting's renumbering has checked "EUCO 13/25" and its write is held; another meeting's statement asks for the same
    /// number meanwhile and is answered (or waits for the first to end) before the held write goes on.
    /// </summary>
    [Fact]
    public async Task OnPostgresTwoMeetingsNumberingOneDocumentAtOnceGetItOnce()
    {
        await using var database = await Database.OnAsync(Engine.Postgres);
        var renumbering = new HoldingInterceptor(sql => Regex.IsMatch(sql, "UPDATE \"Meetings\" SET [^;]*\"DocumentNumber\" = "));
        // Never held: it says when the statement's change has reached the number's lock.
        var waiting = new HoldingInterceptor(sql => sql.Contains("pg_advisory_xact_lock", StringComparison.Ordinal));
        waiting.Release();
        await using var app = database.App(new BriefingApp(), renumbering, waiting);
        using var admin = await app.SignInAsync("admin");
        var june = await CreateAsync(admin, "European Council, June", "EUCO 12/25");
        var october = await CreateAsync(admin, "European Council, October", "EUCO 20/25");
        var item = (await (await admin.PostJsonAsync($"/api/meetings/{october}/items", new { title = "Defence", rule = "consensus" })).ReadJsonAsync()).GetProperty("id").GetInt32();

        renumbering.HoldNext();
        var renumbered = admin.PutJsonAsync($"/api/meetings/{june}", new { title = "European Council, June", date = "2025-06-26", place = "Brussels", documentNumber = "EUCO 13/25", status = "planned", expectedVersion = 1 });
        await renumbering.Held.WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        waiting.HoldNext();
        var numbered = admin.PutJsonAsync($"/api/meetings/{october}/items/{item}/statement", new { documentNumber = "euco 13/25" });
        await Task.WhenAny(numbered, waiting.Held).WaitAsync(TimeSpan.FromSeconds(30), TestHttp.Ct);
        renumbering.Release();

        await AssertOneTookItAsync([await renumbered, await numbered]);
        await (await renumbered).ShouldBeAsync(200);
        var carriers = app.WithDb(db =>
            db.Meetings.Select(m => m.DocumentNumber).AsEnumerable()
                .Concat(db.Items.Where(i => i.StatementNumber != null).Select(i => i.StatementNumber!).AsEnumerable())
                .Count(n => MeetingService.Normalized(n).Equals("EUCO 13/25", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(1, carriers);
    }

    private static async Task<int> CreateAsync(HttpClient admin, string title, string number) =>
        (await (await admin.PostJsonAsync("/api/meetings", new { title, kind = "europeanCouncil", date = "2025-06-26", place = "Brussels", documentNumber = number })).ReadJsonAsync()).GetProperty("id").GetInt32();

    /// <summary>Starts every request before awaiting any, so that their checks and writes interleave as they may.</summary>
    private static async Task<HttpResponseMessage[]> AllAtOnceAsync(IEnumerable<Func<Task<HttpResponseMessage>>> sends)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = sends.Select(async send =>
        {
            await start.Task;
            return await send();
        }).ToList();
        start.SetResult();
        return await Task.WhenAll(started);
    }

    /// <summary>One request took the number; every other was refused naming the field and the document that has it.</summary>
    private static async Task AssertOneTookItAsync(HttpResponseMessage[] answers)
    {
        var codes = string.Join(", ", answers.Select(a => (int)a.StatusCode));
        Assert.True(answers.Count(a => a.IsSuccessStatusCode) == 1, $"answers: {codes}");
        foreach (var refused in answers.Where(a => !a.IsSuccessStatusCode))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var message = (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("documentNumber")[0].GetString();
            Assert.Contains("is the number of", message, StringComparison.Ordinal);
        }
    }
}
