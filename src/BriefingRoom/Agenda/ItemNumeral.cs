namespace BriefingRoom.Agenda;

/// <summary>
/// An agenda item's number as people read it: in roman numerals, as the agenda on the page (wwwroot/js/labels.js,
/// <c>roman</c>) and the conclusions number it. Every message that names an item by its number writes it this way, so
/// that "Item III is locked" points at the item the agenda shows as "III.".
/// </summary>
public static class ItemNumeral
{
    /// <summary>"XLIV" for 44; a number outside 1–3999 (none an item has) as it is.</summary>
    public static string Of(int number)
    {
        if (number is < 1 or > 3999)
        {
            return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        ReadOnlySpan<(int Value, string Symbol)> table =
        [
            (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
        ];
        var result = new System.Text.StringBuilder();
        foreach (var (value, symbol) in table)
        {
            while (number >= value)
            {
                result.Append(symbol);
                number -= value;
            }
        }
        return result.ToString();
    }
}
