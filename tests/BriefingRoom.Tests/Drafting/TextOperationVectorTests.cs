using System.Text.Json;
using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Tests.Drafting;

/// <summary>The shared vectors; tests/js/ot.test.mjs runs the same ones against wwwroot/js/ot.js.</summary>
public class TextOperationVectorTests
{
    public static TheoryData<string> ParseCases => OtVectors.Names("parse");
    public static TheoryData<string> InvalidCases => OtVectors.Names("invalid");
    public static TheoryData<string> ApplyCases => OtVectors.Names("apply");
    public static TheoryData<string> ComposeCases => OtVectors.Names("compose");
    public static TheoryData<string> TransformCases => OtVectors.Names("transform");
    public static TheoryData<string> TransformIndexCases => OtVectors.Names("transformIndex");
    public static TheoryData<string> TransformSelectionCases => OtVectors.Names("transformSelection");

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void ValidWireFormsParseToTheirNormalForm(string name)
    {
        var v = OtVectors.Get("parse", name);
        var op = TextOperation.FromJson(v.GetProperty("json"), v.MaxLength());
        OtVectors.AssertOps(v.GetProperty("ops"), op);
        Assert.Equal(v.GetProperty("baseLength").GetInt32(), op.BaseLength);
        Assert.Equal(v.GetProperty("targetLength").GetInt32(), op.TargetLength);
        Assert.Equal(v.GetProperty("isNoop").GetBoolean(), op.IsNoop);
        Assert.Equal(op, TextOperation.Parse(v.GetProperty("json").GetRawText(), v.MaxLength()));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void InvalidWireFormsAreRejectedWithTheirReason(string name)
    {
        var v = OtVectors.Get("invalid", name);
        var e = Assert.Throws<OtException>(() => TextOperation.FromJson(v.GetProperty("json"), v.MaxLength()));
        Assert.Equal(v.Error(), e.Code);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void InvalidWireFormsFailDeserializationWithAJsonException(string name)
    {
        var v = OtVectors.Get("invalid", name);
        if (v.MaxLength() != TextOperation.DefaultMaxLength)
        {
            var options = new JsonSerializerOptions { Converters = { new TextOperationJsonConverter(v.MaxLength()) } };
            Assert.Throws<JsonException>(() => v.GetProperty("json").Deserialize<TextOperation>(options));
            return;
        }
        if (v.GetProperty("json").ValueKind == JsonValueKind.Null)
        {
            // System.Text.Json maps null to a null reference without asking the converter.
            Assert.Null(v.GetProperty("json").Deserialize<TextOperation>());
            return;
        }
        var e = Assert.Throws<JsonException>(() => v.GetProperty("json").Deserialize<TextOperation>());
        Assert.Equal(v.Error(), Assert.IsType<OtException>(e.InnerException).Code);
    }

    [Theory]
    [MemberData(nameof(ApplyCases))]
    public void ApplyEditsTheTextOrRefusesTheOperation(string name)
    {
        var v = OtVectors.Get("apply", name);
        var op = v.Op("op");
        if (v.Error() is { } code)
        {
            Assert.Equal(code, Assert.Throws<OtException>(() => op.Apply(v.Text("doc"))).Code);
            return;
        }
        Assert.Equal(v.Text("result"), op.Apply(v.Text("doc")));
    }

    [Theory]
    [MemberData(nameof(ComposeCases))]
    public void ComposeJoinsTwoOperationsIntoOne(string name)
    {
        var v = OtVectors.Get("compose", name);
        var (a, b) = (v.Op("a"), v.Op("b"));
        if (v.Error() is { } code)
        {
            Assert.Equal(code, Assert.Throws<OtException>(() => TextOperation.Compose(a, b)).Code);
            return;
        }
        var composed = TextOperation.Compose(a, b);
        OtVectors.AssertOps(v.GetProperty("result"), composed);
        var doc = v.Text("doc");
        Assert.Equal(b.Apply(a.Apply(doc)), composed.Apply(doc));
    }

    [Theory]
    [MemberData(nameof(TransformCases))]
    public void TransformLetsBothOrdersReachTheSameText(string name)
    {
        var v = OtVectors.Get("transform", name);
        var (a, b) = (v.Op("a"), v.Op("b"));
        if (v.Error() is { } code)
        {
            Assert.Equal(code, Assert.Throws<OtException>(() => TextOperation.Transform(a, b)).Code);
            return;
        }
        var (aPrime, bPrime) = TextOperation.Transform(a, b);
        OtVectors.AssertOps(v.GetProperty("aPrime"), aPrime);
        OtVectors.AssertOps(v.GetProperty("bPrime"), bPrime);
        var doc = v.Text("doc");
        Assert.Equal(v.Text("result"), bPrime.Apply(a.Apply(doc)));
        Assert.Equal(v.Text("result"), aPrime.Apply(b.Apply(doc)));
    }

    [Theory]
    [MemberData(nameof(TransformIndexCases))]
    public void CaretsMoveThroughAnOperation(string name)
    {
        var v = OtVectors.Get("transformIndex", name);
        Assert.Equal(v.GetProperty("result").GetInt32(), v.Op("op").TransformIndex(v.GetProperty("index").GetInt32(), v.Affinity()));
    }

    [Theory]
    [MemberData(nameof(TransformSelectionCases))]
    public void SelectionsMoveThroughAnOperation(string name)
    {
        var v = OtVectors.Get("transformSelection", name);
        var selection = new TextSelection(v.GetProperty("anchor").GetInt32(), v.GetProperty("head").GetInt32());
        var expected = new TextSelection(v.GetProperty("resultAnchor").GetInt32(), v.GetProperty("resultHead").GetInt32());
        Assert.Equal(expected, selection.Transform(v.Op("op"), v.Affinity()));
    }
}
