using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Tests.Drafting;

public class OtServerDocumentTests
{
    [Fact]
    public void AnOperationOnTheCurrentRevisionIsAppliedAsItIs()
    {
        var doc = new OtServerDocument("Orbán", 4);

        var accepted = doc.Accept(4, TextOperation.Parse("""[5, " 🇭🇺"]"""), []);

        Assert.Equal("Orbán 🇭🇺", accepted.Document.Text);
        Assert.Equal(5, accepted.Document.Revision);
        Assert.Equal(TextOperation.Parse("""[5, " 🇭🇺"]"""), accepted.Operation);
    }

    [Fact]
    public void AnOperationOnAnOlderRevisionIsTransformedPastEverythingCommittedSince()
    {
        // Revision 1: "Ελλάδα" -> "Ελλάδα!"; revision 2: -> "Η Ελλάδα!".
        var committed = new[] { TextOperation.Parse("""[6, "!"]"""), TextOperation.Parse("""["Η ", 7]""") };
        var doc = new OtServerDocument("Η Ελλάδα!", 2);

        var accepted = doc.Accept(0, TextOperation.Parse("""[1, -1, "Λ", 4]"""), committed);

        Assert.Equal(TextOperation.Parse("""[3, "Λ", -1, 5]"""), accepted.Operation);
        Assert.Equal("Η ΕΛλάδα!", accepted.Document.Text);
        Assert.Equal(3, accepted.Document.Revision);
    }

    [Fact]
    public void AnIncomingInsertGoesBeforeACommittedInsertAtTheSamePosition()
    {
        var doc = new OtServerDocument("B", 1);

        var accepted = doc.Accept(0, TextOperation.Parse("""["A"]"""), [TextOperation.Parse("""["B"]""")]);

        Assert.Equal("AB", accepted.Document.Text);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void ABaseRevisionOutsideTheLogIsRejected(int baseRevision)
    {
        var doc = new OtServerDocument("abc", 2);

        var e = Assert.Throws<OtException>(() => doc.Accept(baseRevision, TextOperation.Identity(3), []));

        Assert.Equal(OtErrorCode.RevisionOutOfRange, e.Code);
    }

    [Fact]
    public void AnOperationThatDoesNotFitItsBaseRevisionIsRejected()
    {
        var doc = new OtServerDocument("abcd", 1);

        var e = Assert.Throws<OtException>(() => doc.Accept(0, TextOperation.Identity(4), [TextOperation.Parse("""[3, "d"]""")]));

        Assert.Equal(OtErrorCode.LengthMismatch, e.Code);
        Assert.Contains("at revision 0 the text has 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOperationThatSplitsAFlagIsRejected()
    {
        var doc = new OtServerDocument("🇪🇺", 0);

        var e = Assert.Throws<OtException>(() => doc.Accept(0, TextOperation.Parse("""[1, "x", 3]"""), []));

        Assert.Equal(OtErrorCode.SplitSurrogatePair, e.Code);
    }

    [Fact]
    public void TheTextMayNotGrowPastTheLimit()
    {
        var doc = new OtServerDocument("abc", 1);

        var e = Assert.Throws<OtException>(() =>
            doc.Accept(0, TextOperation.Parse("""[2, "xy"]"""), [TextOperation.Parse("""[2, "z"]""")], maxLength: 4));

        Assert.Equal(OtErrorCode.TooLong, e.Code);
    }

    [Fact]
    public void TheCallerMustPassExactlyTheOperationsSinceTheBaseRevision()
    {
        var doc = new OtServerDocument("abc", 2);

        Assert.Throws<ArgumentException>(() => doc.Accept(1, TextOperation.Identity(3), []));
    }
}
