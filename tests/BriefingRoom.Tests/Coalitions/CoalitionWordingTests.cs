using BriefingRoom.Coalitions;

namespace BriefingRoom.Tests.Coalitions;

public class CoalitionWordingTests
{
    [Theory]
    [InlineData(26, new string[0], "Firmly supported by 26 heads of state or government")]
    [InlineData(1, new string[0], "Firmly supported by 1 head of state or government")]
    [InlineData(25, new[] { "United Kingdom", "Norway" }, "Firmly supported by 25 heads of state or government and by Norway and the United Kingdom")]
    [InlineData(3, new[] { "Türkiye", "Republic of Korea", "Japan" }, "Firmly supported by 3 heads of state or government and by Japan, the Republic of Korea and Türkiye")]
    [InlineData(0, new[] { "Ukraine" }, "Firmly supported by Ukraine")]
    [InlineData(0, new string[0], "Not yet supported by any head of state or government")]
    public void MemberStatesAreCountedAndGuestsNamedAfterThem(int memberStates, string[] guests, string expected) =>
        Assert.Equal(expected, CoalitionWording.Of(memberStates, guests));
}
