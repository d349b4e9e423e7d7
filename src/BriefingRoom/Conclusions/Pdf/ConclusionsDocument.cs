using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// A document of the meeting as it is printed: the conclusions, or a statement published on its own. Everything
/// printed comes from here, the dates included, so that the same document always renders to the same bytes. What
/// makes one recipient's copy differ from another's is not here: it is a <see cref="DocumentCopy"/>.
/// </summary>
public sealed record ConclusionsDocument
{
    /// <summary>E.g. "Special meeting of the European Council (6 March 2025) – Conclusions"; broken into two lines at the dash.</summary>
    public required string MeetingTitle { get; init; }

    /// <summary>E.g. "EUCO 6/25"; printed at the top right of the first page and in every footer.</summary>
    public required string DocumentNumber { get; init; }

    /// <summary>E.g. "Brussels, 6 March 2025".</summary>
    public required string PlaceAndDate { get; init; }

    /// <summary>E.g. "LIMITE", or the meeting's own words; printed at the top of every page. Nothing when null.</summary>
    public string? DistributionMarking { get; init; }

    public required ConclusionsMetadata Metadata { get; init; }

    /// <summary>The meeting's event sequence number the text reflects; printed in the footer.</summary>
    public required long Sequence { get; init; }

    /// <summary>The agenda items in order; titled ones are numbered I., II., III., ... in this order.</summary>
    public required IReadOnlyList<ConclusionsSection> Sections { get; init; }

    /// <summary>For a statement: who supports it, printed after its text. Null in the conclusions.</summary>
    public StatementSupport? Support { get; init; }

    /// <summary>
    /// For a named version of an item's text (REV 1, ...): its number and name under the document number, and its audit
    /// trail after the text. Null otherwise, and then not in the content hash, so other documents hash as they always did.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DocumentVersion? Version { get; init; }

    private static readonly JsonSerializerOptions CanonicalJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    /// <summary>
    /// The content SHA-256: lower-case hex of the SHA-256 of "BriefingRoom document v1\n" followed by this record as
    /// compact JSON (camelCase, enums by name, UTF-8). It covers everything printed and nothing of the copy (recipient,
    /// watermark, identifier), so every copy of the same text has the same content hash, in PDF and in Word alike.
    /// </summary>
    public string ContentSha256()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, CanonicalJson);
        return Convert.ToHexStringLower(SHA256.HashData([.. "BriefingRoom document v1\n"u8, .. json]));
    }
}

/// <summary>The PDF's document information. The caller supplies the date: the renderer never reads the clock.</summary>
public sealed record ConclusionsMetadata
{
    public required string Title { get; init; }
    public required string Subject { get; init; }
    public required string Author { get; init; }
    public string Creator { get; init; } = "BriefingRoom";
    public required DateTimeOffset CreationDate { get; init; }
}

public enum SectionOutcome
{
    Agreed,
    NoAgreement,
}

/// <summary>One agenda item. Its paragraphs are numbered continuously across the whole document.</summary>
public sealed record ConclusionsSection
{
    /// <summary>The item title, e.g. "Ukraine"; printed in capitals after its Roman numeral. A statement's one section has none.</summary>
    public required string? Title { get; init; }

    /// <summary>Ignored when <see cref="Outcome"/> is <see cref="SectionOutcome.NoAgreement"/>.</summary>
    public IReadOnlyList<string> Paragraphs { get; init; } = [];

    public SectionOutcome Outcome { get; init; } = SectionOutcome.Agreed;

    /// <summary>Footnotes in print order; numbered continuously across the document.</summary>
    public IReadOnlyList<Footnote> Footnotes { get; init; } = [];

    public const string NoAgreementText = "No agreement was reached on this item.";
}

/// <summary>A footnote at a paragraph of its section (1-based), or at the section's heading when <see cref="Paragraph"/> is null.</summary>
public sealed record Footnote(int? Paragraph, string Text);

/// <summary>A named version the document prints: "REV 1 – compromise after the tour de table", and what proves which text it is.</summary>
public sealed record DocumentVersion
{
    /// <summary>E.g. "REV 1 – compromise after the tour de table"; printed under the document number.</summary>
    public required string Heading { get; init; }

    /// <summary>Lines printed after the text under "Audit trail": who saved the version, when, at which revision, and its SHA-256.</summary>
    public required IReadOnlyList<string> AuditTrail { get; init; }

    public const string AuditTrailTitle = "Audit trail";
}

/// <summary>Who supports a statement that not all members agreed to.</summary>
public sealed record StatementSupport
{
    /// <summary>How the support is worded, e.g. "Firmly supported by 26 heads of state or government" (the caller's words).</summary>
    public required string Wording { get; init; }

    /// <summary>The signatories by name: member states in protocol order, then guests.</summary>
    public required IReadOnlyList<string> Signatories { get; init; }

    /// <summary>"Firmly supported by 26 heads of state or government: Belgium, Bulgaria, ..."</summary>
    public string SupportLine() => Signatories.Count == 0 ? $"{Wording}." : $"{Wording}: {string.Join(", ", Signatories)}.";
}

/// <summary>
/// One recipient's copy: a visible watermark with the recipient's name, delegation and time, and an identifier that
/// is not shown but travels with the file (and with its text when copied out of it). Two copies of one document differ
/// in these alone.
/// </summary>
public sealed record DocumentCopy(string Identifier, string RecipientName, string RecipientDelegation, DateTimeOffset IssuedAt)
{
    /// <summary>Drawn across every page.</summary>
    public string Watermark => string.Create(CultureInfo.InvariantCulture,
        $"{RecipientName} · {RecipientDelegation} · {IssuedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");

    /// <summary>Printed at the foot of every page.</summary>
    public string CopyLine => string.Create(CultureInfo.InvariantCulture,
        $"Copy for {RecipientName} ({RecipientDelegation}), issued {IssuedAt.UtcDateTime:d MMMM yyyy, HH:mm} UTC");

    /// <summary>The invisible text that carries the identifier.</summary>
    public string HiddenText => $"BriefingRoom copy {Identifier}";
}
