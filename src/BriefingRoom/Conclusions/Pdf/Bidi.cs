namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// The part of the Unicode Bidirectional Algorithm (UAX #9) that a left-to-right document needs to print a line that
/// holds right-to-left text (Hebrew, Arabic): classes from the characters, the weak rules W1-W7 (numbers after
/// Arabic letters, separators and terminators of numbers), the neutral rules N1-N2, implicit levels I1 (0, 1, or 2 for
/// a number inside right-to-left text) and the reordering L2, with the mirroring of brackets L4. A paragraph takes its
/// direction from its first strong character (P2, P3): the documents are left to right, and a paragraph written in
/// Hebrew is right to left within them. Explicit embeddings, isolates and direction marks are not followed (the
/// marks are dropped before layout). Applied per line, as a line is what the eye reads in one direction.
/// </summary>
internal static class Bidi
{
    private enum Class : byte { L, R, AL, EN, AN, ES, ET, CS, Neutral }

    /// <summary>Whether the character is a strong right-to-left one (or part of a right-to-left script's block).</summary>
    public static bool IsRightToLeft(char c) =>
        c is >= '\u0590' and <= '\u08FF' or >= '\uFB1D' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFE';

    /// <summary>P2, P3: a paragraph whose first strong character is right to left is a right-to-left paragraph.</summary>
    public static bool IsRightToLeftParagraph(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            var type = ClassOf(c);
            if (type is Class.R or Class.AL) return true;
            if (type == Class.L) return false;
        }
        return false;
    }

    /// <summary>
    /// The text cut into runs of one direction, in logical order, for a writer whose reader lays out the lines itself
    /// (Word): a run of right-to-left letters, with the numbers and neutrals between them, is one run; neutrals between
    /// runs of two directions, and at either end, go with the paragraph's direction (UAX #9 N1-N2), so that the space
    /// between an English word and a Hebrew one stays between them.
    /// </summary>
    public static IEnumerable<(int Start, int Length, bool RightToLeft)> DirectionalRuns(string text, bool rightToLeftParagraph)
    {
        int start = 0, pending = -1;
        bool? direction = null;
        for (var i = 0; i < text.Length; i++)
        {
            var type = ClassOf(text[i]);
            if (type is not (Class.L or Class.R or Class.AL))
            {
                if (pending < 0) pending = i;
                continue;
            }

            var rtl = type != Class.L;
            if (direction is { } current && current != rtl)
            {
                // The neutrals before this letter go with the run of the paragraph's direction.
                var cut = current == rightToLeftParagraph || pending < 0 ? i : pending;
                yield return (start, cut - start, current);
                start = cut;
            }

            direction = rtl;
            pending = -1;
        }

        if (direction is { } last && last != rightToLeftParagraph && pending >= 0)
        {
            yield return (start, pending - start, last);
            yield return (pending, text.Length - pending, rightToLeftParagraph);
        }
        else if (text.Length > start)
        {
            yield return (start, text.Length - start, direction ?? rightToLeftParagraph);
        }
    }

    public static bool HasRightToLeft(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (IsRightToLeft(c)) return true;
        }
        return false;
    }

    /// <summary>
    /// The visual order, left to right, of a line's clusters given in logical order (null for a word gap), and each
    /// cluster's level: even left to right, odd right to left (in a left-to-right paragraph: 0, 1, and 2 for a number
    /// inside right-to-left text; in a right-to-left one: 1, and 2 for left-to-right text and numbers).
    /// </summary>
    public static int[] VisualOrder(IReadOnlyList<string?> clusters, bool rightToLeft, out int[] levels)
    {
        var paragraph = rightToLeft ? Class.R : Class.L;
        var n = clusters.Count;
        var types = new Class[n];
        for (var i = 0; i < n; i++) types[i] = clusters[i] is { Length: > 0 } c ? ClassOf(c[0]) : Class.Neutral;

        // W2: a European number after Arabic letters is an Arabic one. W3: Arabic letters are right to left.
        var strong = Class.L;
        for (var i = 0; i < n; i++)
        {
            if (types[i] is Class.L or Class.R or Class.AL) strong = types[i];
            else if (types[i] == Class.EN && strong == Class.AL) types[i] = Class.AN;
        }
        for (var i = 0; i < n; i++)
        {
            if (types[i] == Class.AL) types[i] = Class.R;
        }

        // W4: one separator between two numbers of a kind joins them ("1.5", "2,025").
        for (var i = 1; i < n - 1; i++)
        {
            if (types[i] == Class.ES && types[i - 1] == Class.EN && types[i + 1] == Class.EN) types[i] = Class.EN;
            else if (types[i] == Class.CS && types[i - 1] is Class.EN or Class.AN && types[i + 1] == types[i - 1]) types[i] = types[i - 1];
        }

        // W5: terminators next to a European number belong to it ("5%", "€5"). W6: other separators are neutral.
        for (var i = 0; i < n; i++)
        {
            if (types[i] != Class.ET) continue;
            var end = i;
            while (end < n && types[end] == Class.ET) end++;
            var number = (i > 0 && types[i - 1] == Class.EN) || (end < n && types[end] == Class.EN);
            for (var k = i; k < end; k++) types[k] = number ? Class.EN : Class.Neutral;
            i = end - 1;
        }
        for (var i = 0; i < n; i++)
        {
            if (types[i] is Class.ES or Class.ET or Class.CS) types[i] = Class.Neutral;
        }

        // W7: a European number in left-to-right text (after L, or at the start of a left-to-right line) is left to right.
        strong = paragraph;
        for (var i = 0; i < n; i++)
        {
            if (types[i] is Class.L or Class.R) strong = types[i];
            else if (types[i] == Class.EN && strong == Class.L) types[i] = Class.L;
        }

        // N1: neutrals between two of one direction take it (numbers count as right to left); N2: otherwise the paragraph's.
        for (var i = 0; i < n; i++)
        {
            if (types[i] != Class.Neutral) continue;
            var end = i;
            while (end < n && types[end] == Class.Neutral) end++;
            var before = i == 0 ? paragraph : Direction(types[i - 1]);
            var after = end == n ? paragraph : Direction(types[end]);
            var resolved = before == after ? before : paragraph;
            for (var k = i; k < end; k++) types[k] = resolved;
            i = end - 1;
        }

        // I1, I2: levels in a paragraph at level 0 (left to right) or 1 (right to left).
        levels = new int[n];
        var highest = 0;
        for (var i = 0; i < n; i++)
        {
            levels[i] = rightToLeft
                ? types[i] == Class.R ? 1 : 2
                : types[i] switch { Class.L => 0, Class.R => 1, _ => 2 };
            highest = Math.Max(highest, levels[i]);
        }

        // L2: from the highest level down to 1, reverse every run at that level or higher.
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        for (var level = highest; level >= 1; level--)
        {
            for (var i = 0; i < n; i++)
            {
                if (levels[order[i]] < level) continue;
                var end = i;
                while (end < n && levels[order[end]] >= level) end++;
                Array.Reverse(order, i, end - i);
                i = end;
            }
        }
        return order;
    }

    /// <summary>
    /// One line drawn as a single string, in the order its letters stand from left to right (in a left-to-right
    /// paragraph): a copy's watermark and copy line, which carry the recipient's name as written. The same instance when
    /// nothing is right to left.
    /// </summary>
    public static string Visual(string line)
    {
        if (!HasRightToLeft(line)) return line;
        var clusters = new List<string>();
        var enumerator = System.Globalization.StringInfo.GetTextElementEnumerator(line);
        while (enumerator.MoveNext()) clusters.Add(enumerator.GetTextElement());
        var order = VisualOrder(clusters, rightToLeft: false, out var levels);
        var visual = new System.Text.StringBuilder(line.Length);
        foreach (var i in order) visual.Append(levels[i] % 2 == 1 ? Mirrored(clusters[i]) : clusters[i]);
        return visual.ToString();
    }

    private static Class Direction(Class type) => type == Class.L ? Class.L : Class.R;

    /// <summary>L4: a bracket in right-to-left text is drawn as its mirror image, so that "(" still opens what follows it in reading order.</summary>
    public static string Mirrored(string cluster)
    {
        var c = cluster[0];
        char? mirror = c switch
        {
            '(' => ')', ')' => '(', '[' => ']', ']' => '[', '{' => '}', '}' => '{', '<' => '>', '>' => '<',
            '«' => '»', '»' => '«', '‹' => '›', '›' => '‹',
            _ => null,
        };
        return mirror is { } m ? string.Concat(m.ToString(), cluster.AsSpan(1)) : cluster;
    }

    /// <summary>The class of a cluster is its first character's (a combining mark takes its base's: W1).</summary>
    private static Class ClassOf(char c)
    {
        if (c is >= '0' and <= '9' or >= '\u06F0' and <= '\u06F9') return Class.EN;
        if (c is >= '\u0660' and <= '\u0669' or '\u066B' or '\u066C') return Class.AN;
        if (c is >= '\u0590' and <= '\u05FF' or >= '\u07C0' and <= '\u089F' or >= '\uFB1D' and <= '\uFB4F') return Class.R;
        if (IsRightToLeft(c)) return Class.AL;
        if (c is '+' or '-' or '\u2212') return Class.ES;
        if (c is '#' or '$' or '%' or '°' or '\u2030' or >= '\u00A2' and <= '\u00A5' or >= '\u20A0' and <= '\u20CF') return Class.ET;
        if (c is ',' or '.' or ':' or '/' or '\u00A0' or '\u202F') return Class.CS;
        return char.IsLetter(c) || char.IsSurrogate(c) ? Class.L : Class.Neutral;
    }
}
