using System.Text.Json;
using BriefingRoom.Population;
using BriefingRoom.Tests.Infrastructure;
using BriefingRoom.Voting;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingRoom.Tests.Population;

public class PopulationTablesApiTests
{
    /// <summary>A whole table in the parser's format: 1 000 000 people per member state times its protocol position.</summary>
    internal static string SyntheticCsv(int scale = 1) =>
        "code,population\n" + string.Join('\n', MemberStates.All.Select((s, i) => $"{s.Code},{(i + 1) * 1_000_000L * scale}"));

    [Fact]
    public async Task StartUpLoadsTheShipped2025TableLabelledAsDerivedFromPublishedShares()
    {
        await using var app = new BriefingApp();
        using var client = await app.SignInAsync("fr");

        var tables = await client.GetJsonAsync<List<PopulationTableSummaryDto>>("/api/population-tables");

        var table = Assert.Single(tables);
        Assert.Equal(2025, table.Year);
        Assert.Equal(PopulationFigureOrigin.DerivedFromPublishedShares, table.Origin);
        Assert.Equal(PopulationTableStore.ShippedBy, table.LoadedBy);
        Assert.Equal(PopulationTables.Eu2025.Total, table.Total);
        Assert.Contains("Agence Europe", table.Source);
    }

    [Fact]
    public async Task AYearsFiguresCarrySharesOfTheTablesOwnTotal()
    {
        await using var app = new BriefingApp();
        using var client = await app.SignInAsync("fr");

        var response = await client.GetAsync("/api/population-tables/2025", TestHttp.Ct);
        await response.ShouldBeAsync(200);
        var json = await response.ReadJsonAsync();
        var table = json.Deserialize<PopulationTableDto>(BriefingRoom.Api.BriefingJson.Options)!;

        Assert.Equal("derivedFromPublishedShares", json.GetProperty("origin").GetString());
        Assert.Equal(27, table.Figures.Count);
        Assert.Equal(table.Total, table.Figures.Sum(f => f.Population));
        var germany = table.Figures.Single(f => f.Code == "DE");
        Assert.Equal(("Germany", 18.49m), (germany.Name, germany.SharePercent));
        // The published shares add up to 100.01; shares of the table's own total add up to 100, give or take rounding.
        Assert.InRange(table.Figures.Sum(f => f.SharePercent), 99.95m, 100.05m);
    }

    [Fact]
    public async Task AYearWithoutATableIsNotFound()
    {
        await using var app = new BriefingApp();
        using var client = await app.SignInAsync("fr");

        var response = await client.GetAsync("/api/population-tables/2019", TestHttp.Ct);

        await response.ShouldBeAsync(404);
        Assert.Contains("no population table for 2019", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnAdminLoadsAnotherYearsOfficialTable()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        var response = await admin.PutJsonAsync("/api/population-tables/2026", new { source = "Council Decision (test)", origin = "official", csv = SyntheticCsv() });

        await response.ShouldBeAsync(200);
        var table = await response.ReadAsync<PopulationTableDto>();
        Assert.Equal((2026, PopulationFigureOrigin.Official, "Administrator"), (table.Year, table.Origin, table.LoadedBy));
        Assert.Equal(378_000_000L, table.Total);
        Assert.Equal(1_000_000L, table.Figures[0].Population);
        var years = await admin.GetJsonAsync<List<PopulationTableSummaryDto>>("/api/population-tables");
        Assert.Equal([2025, 2026], years.Select(t => t.Year));
    }

    /// <summary>
    /// A spreadsheet saved as "CSV UTF-8" starts with a byte-order mark: the table was refused for a header that "must name a
    /// 'code' column", while the error listed "code" among the columns found, the mark being invisible.
    /// </summary>
    [Fact]
    public async Task ATableSavedWithAByteOrderMarkIsRead()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        var response = await admin.PutJsonAsync("/api/population-tables/2026", new { source = "Council Decision (test)", origin = "official", csv = "\uFEFF" + SyntheticCsv() });

        await response.ShouldBeAsync(200);
        Assert.Equal(378_000_000L, (await response.ReadAsync<PopulationTableDto>()).Total);
    }

    [Fact]
    public async Task ReloadingAYearReplacesItsFigures()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        var response = await admin.PutJsonAsync("/api/population-tables/2025", new { source = "Council Decision (EU, Euratom) 2024/xxxx", origin = "official", csv = SyntheticCsv(2) });

        await response.ShouldBeAsync(200);
        var table = await admin.GetJsonAsync<PopulationTableDto>("/api/population-tables/2025");
        Assert.Equal(PopulationFigureOrigin.Official, table.Origin);
        Assert.Equal(2_000_000L, table.Figures.Single(f => f.Code == "BE").Population);
        Assert.Equal(27, app.WithDb(db => db.PopulationFigures.Count(f => f.Year == 2025)));
    }

    [Fact]
    public async Task StartUpDoesNotOverwriteAnAdministratorsTable()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        (await admin.PutJsonAsync("/api/population-tables/2025", new { source = "official", origin = "official", csv = SyntheticCsv() })).EnsureSuccessStatusCode();

        await Fingerprint.AssertUnchangedAsync(app, async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BriefingRoom.Data.BriefingDb>();
            await PopulationTableStore.EnsureShippedTableAsync(db, TimeProvider.System, TestHttp.Ct);
        });
    }

    [Fact]
    public async Task AMalformedTableIsRefusedWithEveryErrorByLineAndTheOldTableStays()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        var rows = MemberStates.All.Select((s, i) => $"{s.Code}\t{(i + 1) * 1_000_000}").ToList();
        rows[7] = "GR\t10 400 000";      // line 10: Greece is EL
        rows[8] = "ES\t48,063,694";      // line 11: commas are not thousands separators here
        rows[20] = "FR\t68 070 697";     // line 23: France again; Poland missing
        var csv = "# test table\ncode\tpopulation\n" + string.Join('\n', rows);

        var response = await Fingerprint.AssertUnchangedAsync(app, () => admin.PutJsonAsync("/api/population-tables/2025", new { source = "broken", origin = "official", csv }));

        await response.ShouldBeAsync(400);
        var problem = await response.ReadJsonAsync();
        var messages = problem.GetProperty("errors").GetProperty("csv").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(
            [
                "Line 10: 'GR' is not a member state code (Greece is EL).",
                "Line 11: '48,063,694' is not a whole number of people.",
                "Line 23: FR appears again (first on line 12).",
                "No row for Greece (EL).",
                "No row for Poland (PL).",
            ],
            messages);
        var lines = problem.GetProperty("tableErrors").EnumerateArray()
            .Select(e => (e.GetProperty("line").ValueKind == JsonValueKind.Null ? (int?)null : e.GetProperty("line").GetInt32(), e.GetProperty("kind").GetString()))
            .ToList();
        Assert.Equal([(10, "unknownMemberStateCode"), (11, "badNumber"), (23, "duplicateCode"), (null, "missingMemberState"), (null, "missingMemberState")], lines);
        var table = await admin.GetJsonAsync<PopulationTableDto>("/api/population-tables/2025");
        Assert.Equal(PopulationFigureOrigin.DerivedFromPublishedShares, table.Origin);
    }

    /// <summary>
    /// A wrong file (every line an error, a header of thousands of columns) was answered with each error quoting the whole
    /// header, three times over (errors, detail, tableErrors): a 20 KB header on 300 lines was a refusal of 27 MB.
    /// </summary>
    [Fact]
    public async Task AWrongFileIsRefusedInAFewKilobytesNotInACopyOfItselfManyTimesOver()
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");
        var header = "code,population" + string.Concat(Enumerable.Repeat(",c", 10_000));
        var csv = header + "\n" + string.Join('\n', Enumerable.Range(0, 300).Select(i => $"AT,{i}"));

        var response = await Fingerprint.AssertUnchangedAsync(app, () => admin.PutJsonAsync("/api/population-tables/2026", new { source = "wrong file", origin = "official", csv }));

        await response.ShouldBeAsync(400);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(body.Length < 100_000, $"a refusal of {body.Length:N0} characters");
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("tableErrors").EnumerateArray().ToList();
        Assert.Equal(BriefingRoom.Voting.PopulationTableParser.MaxErrorsListed + 1, errors.Count);
        Assert.Equal("Line 2: expected 10,002 columns (code, population, c, c, c, c and 9,996 more), found 2.", errors[0].GetProperty("message").GetString());
        Assert.Equal("tooManyErrors", errors[^1].GetProperty("kind").GetString());
        // 300 rows of the wrong width and 26 member states without a row (Austria's rows are there, only malformed).
        Assert.StartsWith("And 226 more errors", errors[^1].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"origin":"official","csv":"code,population"}""", "source")]
    [InlineData("""{"source":"s","origin":"guessed","csv":"code,population"}""", "origin")]
    [InlineData("""{"source":"s","origin":"official"}""", "csv")]
    public async Task ARequestWithoutSourceOriginOrTextIsRefusedNamingTheField(string body, string field)
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => admin.SendRawAsync(HttpMethod.Put, "/api/population-tables/2026", body));

        await response.ShouldBeAsync(400);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}");
    }

    [Theory]
    [InlineData(2013)]
    [InlineData(2101)]
    public async Task AYearOutsideDoubleMajorityVotingIsRefused(int year)
    {
        await using var app = new BriefingApp();
        using var admin = await app.SignInAsync("admin");

        var response = await Fingerprint.AssertUnchangedAsync(app, () => admin.PutJsonAsync($"/api/population-tables/{year}", new { source = "s", origin = "official", csv = SyntheticCsv() }));

        await response.ShouldBeAsync(400);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("year", out _));
    }
}
