using System.Text.Json;
using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Tests.Drafting;

public class TextOperationTests
{
    private const int PropertySeeds = 1000;

    [Fact]
    public void TheBuilderMergesLikeComponentsAndPutsInsertsBeforeDeletes()
    {
        var op = TextOperation.Builder()
            .Retain(2).Retain(3)
            .Delete(1).Insert("Orb").Delete(2).Insert("án")
            .Retain(0).Insert("").Delete(0)
            .Retain(4)
            .Build();

        Assert.Equal("""[5,"Orb\u00E1n",-3,4]""", op.ToJson());
        Assert.Equal(12, op.BaseLength);
        Assert.Equal(14, op.TargetLength);
        Assert.Equal(
            [OtComponent.Retain(5), OtComponent.Insert("Orbán"), OtComponent.Delete(3), OtComponent.Retain(4)],
            op.Components);
    }

    [Fact]
    public void TheBuilderRejectsNegativeCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TextOperation.Builder().Retain(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextOperation.Builder().Delete(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => OtComponent.Retain(0));
        Assert.Throws<ArgumentException>(() => OtComponent.Insert(""));
    }

    [Fact]
    public void OperationsAreEqualByValue()
    {
        var a = TextOperation.Parse("""[1, 1, "x"]""");
        var b = TextOperation.Builder().Retain(2).Insert("x").Build();

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, TextOperation.Parse("""[2, "y"]"""));
        Assert.Equal(TextOperation.Empty, TextOperation.Parse("[]"));
        Assert.True(TextOperation.Identity(4).IsNoop);
    }

    [Fact]
    public void ApplyingAnInsertBuiltWithAnUnpairedSurrogateIsRefused()
    {
        var op = TextOperation.Builder().Retain(1).Insert("\ud83c").Build();

        var e = Assert.Throws<OtException>(() => op.Apply("a"));
        Assert.Equal(OtErrorCode.SplitSurrogatePair, e.Code);
    }

    [Fact]
    public void AnUnpairedSurrogateAlreadyInTheTextDoesNotBlockEdits()
    {
        Assert.Equal("\ud83cx", TextOperation.Parse("""[1, "x"]""").Apply("\ud83c"));
    }

    [Fact]
    public void ParseRejectsTextThatIsNotJson()
    {
        var e = Assert.Throws<OtException>(() => TextOperation.Parse("[1,"));
        Assert.Equal(OtErrorCode.Malformed, e.Code);
    }

    [Fact]
    public void RejectionMessagesSayWhichComponentIsWrongAndWhy()
    {
        var e = Assert.Throws<OtException>(() => TextOperation.Parse("""[3, "a", 0]"""));
        Assert.Equal("Component 3 of the operation: 0 retains or deletes nothing.", e.Message);
    }

    [Fact]
    public void OperationsRoundTripThroughSystemTextJsonInsideMessages()
    {
        var message = new DraftEdit("item-3", 7, TextOperation.Parse("""[5, "🇪🇺 Orbán", -2, 10]"""));

        var json = JsonSerializer.Serialize(message);
        var back = JsonSerializer.Deserialize<DraftEdit>(json);

        Assert.Contains("""
            "Operation":[5,"\uD83C\uDDEA\uD83C\uDDFA Orb\u00E1n",-2,10]
            """, json);
        Assert.Equal(message, back);
    }

    [Fact]
    public void AConverterWithASmallerLimitRejectsLongerOperations()
    {
        var options = new JsonSerializerOptions { Converters = { new TextOperationJsonConverter(maxLength: 4) } };

        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TextOperation>("[5]", options));
        Assert.Equal(OtErrorCode.TooLong, Assert.IsType<OtException>(e.InnerException).Code);
        Assert.Equal(4, JsonSerializer.Deserialize<TextOperation>("[4]", options)!.BaseLength);
    }

    [Fact]
    public void ComposingAgreesWithApplyingOneOperationAfterTheOther()
    {
        for (var seed = 1; seed <= PropertySeeds; seed++)
        {
            var random = new Random(seed);
            var doc = random.NextDouble() < 0.2 ? "" : RandomEdits.Text(random, 6);
            var a = RandomEdits.Operation(random, doc);
            var afterA = a.Apply(doc);
            var b = RandomEdits.Operation(random, afterA);

            var composed = TextOperation.Compose(a, b);

            Assert.True(b.Apply(afterA) == composed.Apply(doc), $"seed {seed}: a={a} b={b} composed={composed}");
        }
    }

    [Fact]
    public void TransformSatisfiesTp1BothOrdersReachTheSameText()
    {
        for (var seed = 1; seed <= PropertySeeds; seed++)
        {
            var random = new Random(seed);
            var doc = random.NextDouble() < 0.2 ? "" : RandomEdits.Text(random, 6);
            var a = RandomEdits.Operation(random, doc);
            var b = RandomEdits.Operation(random, doc);

            var (aPrime, bPrime) = TextOperation.Transform(a, b);

            Assert.True(bPrime.Apply(a.Apply(doc)) == aPrime.Apply(b.Apply(doc)), $"seed {seed}: a={a} b={b}");
            Assert.True(TextOperation.Compose(a, bPrime).Apply(doc) == TextOperation.Compose(b, aPrime).Apply(doc), $"seed {seed}");
        }
    }

    [Fact]
    public void CaretsStayNextToTheTextTheyWereNextTo()
    {
        for (var seed = 1; seed <= PropertySeeds; seed++)
        {
            var random = new Random(seed);
            var doc = RandomEdits.Text(random, 6) + "|" + RandomEdits.Text(random, 6);
            var op = RandomEdits.Operation(random, doc);
            var before = doc.IndexOf('|', StringComparison.Ordinal);
            var marker = op.Apply(doc).IndexOf('|', StringComparison.Ordinal);

            if (marker >= 0)
            {
                Assert.True(op.TransformIndex(before) == marker, $"seed {seed}: op={op}");
                Assert.True(op.TransformIndex(before + 1, CaretAffinity.Before) == marker + 1, $"seed {seed}: op={op}");
            }
        }
    }

    private sealed record DraftEdit(string ItemId, int BaseRevision, TextOperation Operation);
}
