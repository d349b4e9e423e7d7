using BriefingRoom.Voting;

namespace BriefingRoom.Tests.Voting;

public class PopulationTablesTests
{
    // council-population.tsv: shares (%) of the Union's population for 2025, as published.
    private static readonly (string Code, int Hundredths)[] s_publishedShares2025 =
    [
        ("BE", 262), ("BG", 143), ("CZ", 242), ("DK", 132), ("DE", 1849), ("EE", 30), ("IE", 119), ("EL", 231),
        ("ES", 1078), ("FR", 1517), ("HR", 86), ("IT", 1323), ("CY", 21), ("LV", 42), ("LT", 64), ("LU", 15),
        ("HU", 213), ("MT", 12), ("NL", 401), ("AT", 202), ("PL", 833), ("PT", 236), ("RO", 423), ("SI", 47),
        ("SK", 121), ("FI", 125), ("SE", 234),
    ];

    [Fact]
    public void The2025TableIsEachPublishedShareTimesTheUnionTotalRoundedHalfUp()
    {
        var table = PopulationTables.Eu2025;

        Assert.Equal(2025, table.Year);
        Assert.Equal(PopulationFigureOrigin.DerivedFromPublishedShares, table.Origin);
        Assert.Contains("Agence Europe", table.Source);
        foreach (var (code, hundredths) in s_publishedShares2025)
        {
            Assert.Equal((hundredths * 451_028_881L + 5_000) / 10_000, table.PopulationOf(code));
        }
    }

    [Fact]
    public void The2025TableTotalIsItsOwnSumWhichExceedsThePublishedTotalBecauseTheSharesAddUpTo10001()
    {
        var table = PopulationTables.Eu2025;

        Assert.Equal(table.Figures.Sum(f => f.Population), table.Total);
        Assert.Equal(451_073_984, table.Total);
    }

    [Fact]
    public void SharesAreComputedFromTheTablesOwnTotal()
    {
        var table = PopulationTables.Eu2025;

        Assert.Equal(table.PopulationOf("DE") * 100m / table.Total, table.SharePercentOf("DE"));
        Assert.Equal(100m, Math.Round(table.Figures.Sum(f => table.SharePercentOf(f.Code)), 10));
    }

    [Fact]
    public void ATableWithoutEveryMemberStateCannotBeBuilt()
    {
        var figures = MemberStates.All.Skip(1).Select(s => new PopulationFigure(s.Code, 1));

        Assert.Throws<ArgumentException>(() => new PopulationTable(2025, "x", PopulationFigureOrigin.Official, figures));
    }

    [Fact]
    public void TheMemberStatesAreThe27WithGreeceAsEl()
    {
        Assert.Equal(27, MemberStates.All.Length);
        Assert.Equal(27, MemberStates.All.Select(s => s.Code).Distinct().Count());
        Assert.Equal("Greece", MemberStates.NameOf("EL"));
        Assert.False(MemberStates.IsMemberState("GR"));
        Assert.Equal(s_publishedShares2025.Select(s => s.Code), MemberStates.All.Select(s => s.Code));
    }
}
