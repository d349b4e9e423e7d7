using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace BriefingRoom.Conclusions;

public enum ExportedDocument
{
    Conclusions,
    Statement,
}

public enum ExportFormat
{
    Pdf,
    Docx,
}

/// <summary>
/// The record of one copy handed out: which document, for whom, by whom, when, and the two hashes that tell a copy
/// apart from its text. <see cref="ContentSha256"/> is the same for every copy of the same text (PDF or Word);
/// <see cref="CopySha256"/> is this file's own. Kept when the item it came from is deleted: it is the audit trail.
/// </summary>
public class ExportedCopy
{
    /// <summary>The copy's identifier, as the file carries it (see <see cref="CopyIdentifiers"/>).</summary>
    public required string Id { get; set; }
    public int MeetingId { get; set; }
    /// <summary>The statement's item; null for the conclusions, or when the item has since been deleted.</summary>
    public int? ItemId { get; set; }
    public ExportedDocument Document { get; set; }
    public ExportFormat Format { get; set; }
    public required string DocumentNumber { get; set; }
    public required string ContentSha256 { get; set; }
    public required string CopySha256 { get; set; }
    public int Bytes { get; set; }
    /// <summary>The meeting sequence number the text reflects.</summary>
    public long Seq { get; set; }
    public bool IncludesNoAgreement { get; set; }
    public required string RecipientUserId { get; set; }
    public required string RecipientName { get; set; }
    public required string RecipientDelegation { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public required string ExportedByUserId { get; set; }
    public required string ExportedByName { get; set; }
}

public sealed record ExportedCopyDto(
    string Id, ExportedDocument Document, ExportFormat Format, int? ItemId, string DocumentNumber, string ContentSha256, string CopySha256,
    int Bytes, long Seq, string RecipientName, string RecipientDelegation, DateTimeOffset IssuedAt, string ExportedBy)
{
    public static ExportedCopyDto From(ExportedCopy c) => new(
        c.Id, c.Document, c.Format, c.ItemId, c.DocumentNumber, c.ContentSha256, c.CopySha256, c.Bytes, c.Seq,
        c.RecipientName, c.RecipientDelegation, c.IssuedAt, c.ExportedByName);
}

/// <summary>
/// Copy identifiers: "BR-" and 16 characters of Crockford's base 32 in groups of four (80 random bits), e.g.
/// BR-7K2Q-M9XD-3F8A-ZP4W. No I, L, O or U, so that one read off a screen or a photograph is not misread.
/// </summary>
public static partial class CopyIdentifiers
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        var bits = new System.Numerics.BigInteger(random, isUnsigned: true);
        Span<char> id = stackalloc char[22];
        "BR-".CopyTo(id);
        var at = id.Length - 1;
        for (var i = 0; i < 16; i++)
        {
            if (i is 4 or 8 or 12)
            {
                id[at--] = '-';
            }

            id[at--] = Alphabet[(int)(bits % 32)];
            bits /= 32;
        }

        return new string(id);
    }

    /// <summary>
    /// A pasted or typed identifier, in upper case with its dashes, or null when it is not one. Spaces around it and lower
    /// case are forgiven, and, as Crockford's base 32 reads them, the letters the alphabet leaves out for the digits they
    /// are mistaken for: O for 0, I and L for 1.
    /// </summary>
    public static string? Normalize(string? pasted)
    {
        var text = pasted?.Trim().ToUpperInvariant() ?? "";
        if (text.StartsWith("BR-", StringComparison.Ordinal))
        {
            text = "BR-" + text[3..].Replace('O', '0').Replace('I', '1').Replace('L', '1');
        }

        return Pattern().IsMatch(text) && Pattern().Match(text).Length == text.Length ? text : null;
    }

    /// <summary>Every identifier in a text, in order, without repeats.</summary>
    public static IReadOnlyList<string> In(string text) => [.. Pattern().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex("BR-[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
