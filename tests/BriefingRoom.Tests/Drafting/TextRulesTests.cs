using BriefingRoom.Drafting;

namespace BriefingRoom.Tests.Drafting;

public class TextRulesTests
{
    [Fact]
    public void EveryCharacterRealTextsUseIsAllowed()
    {
        Assert.Null(TextRules.FindRefused(SampleTexts.Long));
        Assert.Null(TextRules.FindRefused(SampleTexts.Short));
        Assert.Null(TextRules.FindRefused("\t\n\u00A0\u00AD\u200B\u200C\u200D\u200E\u200F\u202A\u202E\u2066\u2069\u2028\u2029\uFEFF\uE000\uFDCF\uFDF0\uFFFC\uFFFD\U0010FFFD\U000E0067\u0378"));
    }

    [Theory]
    [InlineData("Summit \u0000 text", 0x0000, 7, "U+0000 (a control character) at position 7: a text may hold no control character but tab and line feed")]
    [InlineData("a\u0001", 0x0001, 1, "U+0001 (a control character) at position 1: a text may hold no control character but tab and line feed")]
    [InlineData("line\u000Bbreak", 0x000B, 4, "U+000B (a control character) at position 4: a text may hold no control character but tab and line feed")]
    [InlineData("Windows\r\n", 0x000D, 7, "U+000D (carriage return) at position 7: a line ends with U+000A (line feed) alone")]
    [InlineData("\u007F", 0x007F, 0, "U+007F (a control character) at position 0: a text may hold no control character but tab and line feed")]
    [InlineData("next\u0085line", 0x0085, 4, "U+0085 (a control character) at position 4: a text may hold no control character but tab and line feed")]
    [InlineData("\u009F", 0x009F, 0, "U+009F (a control character) at position 0: a text may hold no control character but tab and line feed")]
    [InlineData("ab\uFDD0", 0xFDD0, 2, "U+FDD0 (a noncharacter) at position 2: Unicode keeps noncharacters out of texts")]
    [InlineData("\uFFFE", 0xFFFE, 0, "U+FFFE (a noncharacter) at position 0: Unicode keeps noncharacters out of texts")]
    [InlineData("🇪🇺\uFFFF", 0xFFFF, 4, "U+FFFF (a noncharacter) at position 4: Unicode keeps noncharacters out of texts")]
    [InlineData("x\U0001FFFF", 0x1FFFF, 1, "U+1FFFF (a noncharacter) at position 1: Unicode keeps noncharacters out of texts")]
    [InlineData("x\U0010FFFE", 0x10FFFE, 1, "U+10FFFE (a noncharacter) at position 1: Unicode keeps noncharacters out of texts")]
    public void ARefusedCharacterIsNamedWithItsPosition(string text, int codePoint, int index, string words) => AssertRefused(text, codePoint, index, words);

    [Fact]
    public void AnUnpairedSurrogateIsNamedWithItsPosition()
    {
        // Not theory data: test case serialization would turn a lone surrogate into U+FFFD.
        AssertRefused("x\uD83D", 0xD83D, 1, "U+D83D (half of a surrogate pair, without its other half) at position 1: a text must be well-formed UTF-16");
        AssertRefused("\uDC00x", 0xDC00, 0, "U+DC00 (half of a surrogate pair, without its other half) at position 0: a text must be well-formed UTF-16");
        AssertRefused("🇪🇺\uDC00\uD83C", 0xDC00, 4, "U+DC00 (half of a surrogate pair, without its other half) at position 4: a text must be well-formed UTF-16");
    }

    private static void AssertRefused(string text, int codePoint, int index, string words)
    {
        var refused = TextRules.FindRefused(text);

        Assert.NotNull(refused);
        Assert.Equal(codePoint, refused.Value.CodePoint);
        Assert.Equal(index, refused.Value.Index);
        Assert.Equal(words, TextRules.Describe(refused.Value));
    }
}
