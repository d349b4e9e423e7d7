using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Tests.Drafting;

/// <summary>
/// Random texts and operations for property and convergence tests, like tests/js/random-edits.mjs.
/// Edits cut the text only between code points, as an editor does.
/// </summary>
internal static class RandomEdits
{
    private static readonly string[] Pieces =
        ["a", "b", "z", " ", "\n", "á", "Orbán", "Ελλάδα", "България", "€", "🇪🇺", "👍🏽", "👍", "ß"];

    public static string Text(Random random, int maxPieces = 3)
    {
        var count = 1 + random.Next(maxPieces);
        return string.Concat(Enumerable.Range(0, count).Select(_ => Pieces[random.Next(Pieces.Length)]));
    }

    /// <summary>Sometimes one small edit, sometimes edits all over the text.</summary>
    public static TextOperation Operation(Random random, string text)
    {
        var units = CodePointLengths(text);
        var builder = new TextOperationBuilder();
        if (random.NextDouble() < 0.5)
        {
            var at = random.Next(units.Count + 1);
            var before = units.Take(at).Sum();
            builder.Retain(before);
            var deleted = 0;
            if (random.NextDouble() < 0.4 && at < units.Count)
            {
                deleted = units.Skip(at).Take(1 + random.Next(Math.Min(3, units.Count - at))).Sum();
            }
            if (deleted == 0 || random.NextDouble() < 0.5)
            {
                builder.Insert(Text(random));
            }
            return builder.Delete(deleted).Retain(text.Length - before - deleted).Build();
        }
        for (var i = 0; i < units.Count;)
        {
            var roll = random.NextDouble();
            if (roll < 0.15)
            {
                builder.Insert(Text(random));
                continue;
            }
            var count = Math.Min(1 + random.Next(3), units.Count - i);
            var length = units.Skip(i).Take(count).Sum();
            if (roll < 0.35)
            {
                builder.Delete(length);
            }
            else
            {
                builder.Retain(length);
            }
            i += count;
        }
        if (random.NextDouble() < 0.3)
        {
            builder.Insert(Text(random));
        }
        return builder.Build();
    }

    private static List<int> CodePointLengths(string text)
    {
        var lengths = new List<int>();
        for (var i = 0; i < text.Length; i += lengths[^1])
        {
            lengths.Add(char.IsSurrogatePair(text, i) ? 2 : 1);
        }
        return lengths;
    }
}
