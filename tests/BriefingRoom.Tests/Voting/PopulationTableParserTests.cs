using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

public class PopulationTableParserTests
{
    private const string Source = "test table";

    /// <summary>A valid TSV of all 27 with 1 000 000 + index people each; <paramref name="replace"/> rewrites chosen rows.</summary>
    private static string ValidTsv(Func<int, string, string>? replace = null)
    {
        var rows = MemberStates.All.Select((s, i) => $"{s.Code}\t{s.Name}\t{1_000_000 + i}");
        if (replace is not null)
        {
            rows = rows.Select((row, i) => replace(i, row));
        }
        return "code\tcountry\tpopulation\n" + string.Join("\n", rows) + "\n";
    }

    private static PopulationTableError SingleError(string text)
    {
        var result = PopulationTableParser.Parse(text, 2026, Source);
        Assert.False(result.Succeeded);
        Assert.Null(result.Table);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void AValidTableParsesWithEveryFigureInProtocolOrder()
    {
        var result = PopulationTableParser.Parse(ValidTsv(), 2026, Source);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
        Assert.Equal(2026, result.Table.Year);
        Assert.Equal(Source, result.Table.Source);
        Assert.Equal(PopulationFigureOrigin.Official, result.Table.Origin);
        Assert.Equal(27, result.Table.Figures.Length);
        Assert.Equal("BE", result.Table.Figures[0].Code);
        Assert.Equal(1_000_007, result.Table.PopulationOf("EL"));
        Assert.Equal(27L * 1_000_000 + 26 * 27 / 2, result.Table.Total);
    }

    [Fact]
    public void CommentsBlankLinesCarriageReturnsAndGroupedDigitsAreAccepted()
    {
        var text = "# a comment\r\n\r\n" + ValidTsv((i, row) => i == 4 ? "DE\tGermany\t84 311 244" : row).Replace("\n", "\r\n");

        var result = PopulationTableParser.Parse(text, 2024, Source);

        Assert.True(result.Succeeded);
        Assert.Equal(84_311_244, result.Table.PopulationOf("DE"));
    }

    [Fact]
    public void ACommaSeparatedTableWithOnlyCodeAndPopulationIsAccepted()
    {
        var text = "code,population\n" + string.Join("\n", MemberStates.All.Select(s => $"{s.Code},\"{2_000_000}\""));

        var result = PopulationTableParser.Parse(text, 2026, Source, PopulationFigureOrigin.DerivedFromPublishedShares);

        Assert.True(result.Succeeded);
        Assert.Equal(PopulationFigureOrigin.DerivedFromPublishedShares, result.Table.Origin);
        Assert.Equal(54_000_000, result.Table.Total);
    }

    [Theory]
    [InlineData("12,5")]
    [InlineData("12.5")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1 23")]
    [InlineData("99999999999999999999")]
    public void ABadNumberIsRefusedWithItsLineNumber(string population)
    {
        // Row index 2 (Czechia) is line 4: the header is line 1.
        var error = SingleError(ValidTsv((i, row) => i == 2 ? $"CZ\tCzechia\t{population}" : row).Replace(",", ";"));

        Assert.Equal(4, error.Line);
        Assert.Equal(PopulationTableErrorKind.BadNumber, error.Kind);
        Assert.StartsWith("Line 4:", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-10")]
    public void AZeroOrNegativePopulationIsRefused(string population)
    {
        var error = SingleError(ValidTsv((i, row) => i == 0 ? $"BE\tBelgium\t{population}" : row));

        Assert.Equal(2, error.Line);
        Assert.Equal(PopulationTableErrorKind.NotPositive, error.Kind);
    }

    [Fact]
    public void ADuplicateCodeNamesTheLineWhereItFirstAppeared()
    {
        var text = ValidTsv() + "EL\tGreece\t5\n";

        var error = SingleError(text);

        Assert.Equal(29, error.Line);
        Assert.Equal(PopulationTableErrorKind.DuplicateCode, error.Kind);
        Assert.Contains("first on line 9", error.Message);
    }

    [Fact]
    public void GreeceWrittenAsGrIsAnUnknownCodeAndGreeceIsThenMissing()
    {
        var result = PopulationTableParser.Parse(ValidTsv((i, row) => i == 7 ? "GR\tGreece\t10000000" : row), 2026, Source);

        Assert.False(result.Succeeded);
        Assert.Collection(result.Errors,
            e =>
            {
                Assert.Equal((9, PopulationTableErrorKind.UnknownMemberStateCode), (e.Line, e.Kind));
                Assert.Contains("Greece is EL", e.Message);
            },
            e =>
            {
                Assert.Equal((null, PopulationTableErrorKind.MissingMemberState), (e.Line, e.Kind));
                Assert.Equal("No row for Greece (EL).", e.Message);
            });
    }

    [Fact]
    public void AMissingMemberStateIsRefused()
    {
        var text = string.Join("\n", ValidTsv().Split('\n').Where(line => !line.StartsWith("MT")));

        var error = SingleError(text);

        Assert.Equal(PopulationTableErrorKind.MissingMemberState, error.Kind);
        Assert.Null(error.Line);
        Assert.Contains("Malta (MT)", error.Message);
    }

    [Theory]
    [InlineData("LU\t676543")]
    [InlineData("LU\tLuxembourg\t676543\textra")]
    public void AWrongColumnCountIsRefused(string row)
    {
        var error = SingleError(ValidTsv((i, r) => i == 15 ? row : r));

        Assert.Equal(17, error.Line);
        Assert.Equal(PopulationTableErrorKind.WrongColumnCount, error.Kind);
        Assert.Contains("expected 3 columns", error.Message);
    }

    [Fact]
    public void TheSharesFileIsRefusedBecauseItHasNoPopulationColumn()
    {
        var error = SingleError("# shares\ncode\tcountry\tshare_of_union_population_percent_2025\nBE\tBelgium\t2.62\n");

        Assert.Equal(2, error.Line);
        Assert.Equal(PopulationTableErrorKind.BadHeader, error.Kind);
        Assert.Contains("not percentage shares", error.Message);
    }

    [Fact]
    public void AnEmptyTextIsRefused()
    {
        var error = SingleError("# nothing but a comment\n\n");

        Assert.Equal(PopulationTableErrorKind.Empty, error.Kind);
    }

    [Fact]
    public void EveryErrorIsReportedNotOnlyTheFirst()
    {
        var text = ValidTsv((i, row) => i switch
        {
            0 => "BE\tBelgium\tlots",
            1 => "XX\tNowhere\t5",
            2 => "CZ\t-3",
            _ => row,
        });

        var result = PopulationTableParser.Parse(text, 2026, Source);

        // Bulgaria's row is unreadable, so Bulgaria is missing; Czechia's row is there, only malformed.
        Assert.Equal(
            [
                (2, PopulationTableErrorKind.BadNumber),
                (3, PopulationTableErrorKind.UnknownMemberStateCode),
                (4, PopulationTableErrorKind.WrongColumnCount),
                (null, PopulationTableErrorKind.MissingMemberState),
            ],
            result.Errors.Select(e => (e.Line, e.Kind)));
    }
}
