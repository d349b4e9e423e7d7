using System.ComponentModel.DataAnnotations;
using System.Text;

namespace BriefingRoom.Api;

/// <summary>
/// A one-line label that others read in lists and headings (a meeting's title, place and number, a delegation's name,
/// an item's title, a version's name): it must show at least one visible character, and leave no bidi embedding,
/// override or isolate (U+202A, U+202B, U+202D, U+202E, U+2066–U+2068) open. One left open turns around whatever a page
/// writes after the label on the same line ("II. [title] · locked by …"); closed within the label (by U+202C or U+2069),
/// it turns only the label's own words, as its author meant. Right-to-left text reads right without any, and the marks
/// U+200E/U+200F are always allowed. Empty values are left to [Required]. The short notes others read beside a name
/// (a lock's or a rejection's reason, a reservation, why a silence was broken) follow the same rule.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class LegibleAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string { Length: > 0 } text && Legibility.Problem(text, "This") is { } problem
            ? new ValidationResult(problem)
            : ValidationResult.Success;
}

/// <summary>The rule of <see cref="LegibleAttribute"/>, for the fields a service checks itself (an invitee's name).</summary>
public static class Legibility
{
    /// <summary>Why <paramref name="text"/> would not read as written, or null; <paramref name="what"/> names it ("The name").</summary>
    public static string? Problem(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (LeftOpen(text) is { } control)
        {
            return $"{what} leaves U+{(int)control:X4} open, a bidi control that would turn the text after it around: close it (U+{(control >= '\u2066' ? 0x2069 : 0x202C):X4}) or leave it out.";
        }

        return string.IsNullOrWhiteSpace(text) || text.EnumerateRunes().Any(r => Rune.IsLetterOrDigit(r) || Rune.IsSymbol(r) || Rune.IsPunctuation(r))
            ? null
            : $"{what} has no visible character: write words others can read.";
    }

    /// <summary>
    /// The first embedding, override or isolate that <paramref name="text"/> opens and does not close, as the Unicode
    /// bidi algorithm pairs them (UAX #9, X6a–X7): U+202C closes the last embedding or override still open inside the
    /// innermost isolate; U+2069 closes the innermost isolate and whatever was opened inside it. A closer with nothing
    /// to close does nothing, and so is no problem.
    /// </summary>
    private static char? LeftOpen(string text)
    {
        List<char>? open = null;
        foreach (var c in text)
        {
            switch (c)
            {
                case '\u202A' or '\u202B' or '\u202D' or '\u202E' or '\u2066' or '\u2067' or '\u2068':
                    (open ??= []).Add(c);
                    break;
                case '\u202C' when open is [.., not ('\u2066' or '\u2067' or '\u2068')]:
                    open.RemoveAt(open.Count - 1);
                    break;
                case '\u2069' when open?.FindLastIndex(o => o is '\u2066' or '\u2067' or '\u2068') is >= 0 and var isolate:
                    open.RemoveRange(isolate, open.Count - isolate);
                    break;
            }
        }

        return open is [var first, ..] ? first : null;
    }
}
