using BriefingRoom.Tests.Infrastructure;

namespace BriefingRoom.Tests.Meetings;

/// <summary>A meeting the administrator has just created, as its first callers meet it.</summary>
public class NewMeetingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Meeting ids are handed out in order, so the next one is easy to ask for before it exists (a guessed link, a page
    /// left open on a deleted meeting's number). That request wakes the meeting's grain, which remembers "no such meeting"
    /// for a few seconds; the meeting created in those seconds must not be "not found" to its administrator.
    /// </summary>
    [Fact]
    public async Task AMeetingAskedForBeforeItExistedIsThereAsSoonAsItIsCreated()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        var nextId = app.WithDb(db => db.Meetings.Max(m => m.Id)) + 1;
        await (await admin.GetAsync($"/api/meetings/{nextId}", Ct)).ShouldBeAsync(404);

        var created = await (await admin.PostJsonAsync("/api/meetings", new { title = "European Council", kind = "europeanCouncil", date = "2025-03-20", place = "Brussels", documentNumber = "EUCO 2/25" })).ReadJsonAsync();
        Assert.Equal(nextId, created.GetProperty("id").GetInt32());

        await (await admin.GetAsync($"/api/meetings/{nextId}", Ct)).ShouldBeAsync(200);
        await (await admin.GetAsync($"/api/meetings/{nextId}/snapshot", Ct)).ShouldBeAsync(200);
        await (await admin.PostJsonAsync($"/api/meetings/{nextId}/participants", new { delegationCode = "FR" })).ShouldBeAsync(200);
    }

    /// <summary>A year mistyped ("0225", "2225") made a meeting printed under that date on its conclusions' cover.</summary>
    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("0225-03-20")]
    [InlineData("2225-03-20")]
    public async Task AMeetingDatedOutsideAnyCouncilsTimeIsRefusedNamingTheDate(string date)
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        var refused = await Fingerprint.AssertUnchangedAsync(app, () => admin.PostJsonAsync("/api/meetings", new { title = "European Council", kind = "europeanCouncil", date, place = "Brussels", documentNumber = "EUCO 2/25" }));

        await refused.ShouldBeAsync(400);
        var errors = (await refused.ReadJsonAsync()).GetProperty("errors");
        Assert.Contains("between 1950-01-01 and 2100-12-31", errors.GetProperty("date")[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A document number names one meeting's conclusions: a second meeting created or renamed to "EUCO 6/25" printed
    /// another meeting's number on its own cover, and a copy traced by its number led to either.
    /// </summary>
    [Fact]
    public async Task AnotherMeetingsDocumentNumberIsRefusedNamingTheField()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        var copied = await Fingerprint.AssertUnchangedAsync(app, () => admin.PostJsonAsync("/api/meetings", new { title = "European Council", kind = "europeanCouncil", date = "2025-03-20", place = "Brussels", documentNumber = " euco 6/25 " }));
        await copied.ShouldBeAsync(400);
        Assert.Contains("EUCO 6/25", (await copied.ReadJsonAsync()).GetProperty("errors").GetProperty("documentNumber")[0].GetString(), StringComparison.Ordinal);

        var created = await (await admin.PostJsonAsync("/api/meetings", new { title = "European Council", kind = "europeanCouncil", date = "2025-03-20", place = "Brussels", documentNumber = "EUCO 1/25" })).ReadJsonAsync();
        var id = created.GetProperty("id").GetInt32();
        var renamed = await Fingerprint.AssertUnchangedAsync(app, () => admin.PutJsonAsync($"/api/meetings/{id}", new { title = "European Council", date = "2025-03-20", place = "Brussels", documentNumber = "EUCO 6/25", status = "planned", expectedVersion = 1 }));
        await renamed.ShouldBeAsync(400);
        Assert.True((await renamed.ReadJsonAsync()).GetProperty("errors").TryGetProperty("documentNumber", out _));

        // Its own number, and the demo meeting's edits that keep theirs, go through.
        await (await admin.PutJsonAsync($"/api/meetings/{id}", new { title = "European Council, March", date = "2025-03-20", place = "Brussels", documentNumber = "EUCO 1/25", status = "planned", expectedVersion = 1 })).ShouldBeAsync(200);
        await (await admin.PutJsonAsync("/api/meetings/1", new { title = "Special meeting", date = "2025-03-06", place = "Brussels", documentNumber = "EUCO 6/25", status = "inSession", expectedVersion = app.WithDb(db => db.Meetings.Single(m => m.Id == 1).Version) })).ShouldBeAsync(200);
    }

    /// <summary>
    /// A statement's number was checked against its own meeting only: another meeting's statement could be numbered
    /// EUCO 6/25, the demo meeting's conclusions, and a meeting could take the number of another meeting's statement.
    /// </summary>
    [Fact]
    public async Task AStatementAndAMeetingMayNotTakeANumberAnyOtherDocumentCarries()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        var second = (await (await admin.PostJsonAsync("/api/meetings", new { title = "European Council, June", kind = "europeanCouncil", date = "2025-06-26", place = "Brussels", documentNumber = "EUCO 12/25" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var item = (await (await admin.PostJsonAsync($"/api/meetings/{second}/items", new { title = "Defence", rule = "consensus" })).ReadJsonAsync()).GetProperty("id").GetInt32();
        var demoStatement = app.WithDb(db => db.Items.Single(i => i.MeetingId == 1 && i.Number == 1).StatementNumber);
        Assert.Equal("EUCO 10/25", demoStatement);

        async Task<string> RefusedAsync(Func<Task<HttpResponseMessage>> send)
        {
            var response = await Fingerprint.AssertUnchangedAsync(app, send);
            await response.ShouldBeAsync(400);
            return (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("documentNumber")[0].GetString()!;
        }

        var conclusions = await RefusedAsync(() => admin.PutJsonAsync($"/api/meetings/{second}/items/{item}/statement", new { documentNumber = "euco 6/25" }));
        Assert.StartsWith("EUCO 6/25 is the number of another meeting's conclusions", conclusions, StringComparison.Ordinal);
        var statement = await RefusedAsync(() => admin.PutJsonAsync($"/api/meetings/{second}/items/{item}/statement", new { documentNumber = "EUCO  10/25" }));
        Assert.StartsWith("EUCO 10/25 is the number of a statement of another meeting", statement, StringComparison.Ordinal);
        var created = await RefusedAsync(() => admin.PostJsonAsync("/api/meetings", new { title = "Informal meeting", kind = "europeanCouncil", date = "2025-04-17", place = "Brussels", documentNumber = "EUCO 10/25" }));
        Assert.StartsWith("EUCO 10/25 is the number of a statement of another meeting", created, StringComparison.Ordinal);

        await (await admin.PutJsonAsync($"/api/meetings/{second}/items/{item}/statement", new { documentNumber = "EUCO 13/25" })).ShouldBeAsync(200);
        var renamed = await RefusedAsync(() => admin.PutJsonAsync("/api/meetings/1", new { title = "Special meeting", date = "2025-03-06", place = "Brussels", documentNumber = "EUCO 13/25", status = "inSession", expectedVersion = app.WithDb(db => db.Meetings.Single(m => m.Id == 1).Version) }));
        Assert.StartsWith("EUCO 13/25 is the number of a statement of another meeting (European Council, June)", renamed, StringComparison.Ordinal);
    }
}
