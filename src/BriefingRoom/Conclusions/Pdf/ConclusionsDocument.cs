namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// The conclusions of one meeting, as the PDF prints them. Everything printed comes from here,
/// the dates included, so that the same document always renders to the same bytes.
/// </summary>
public sealed record ConclusionsDocument
{
    /// <summary>E.g. "Special meeting of the European Council (6 March 2025) – Conclusions".</summary>
    public required string MeetingTitle { get; init; }

    /// <summary>E.g. "EUCO 1/25"; printed at the top right of the first page and in every footer.</summary>
    public required string DocumentNumber { get; init; }

    /// <summary>E.g. "Brussels, 6 March 2025".</summary>
    public required string PlaceAndDate { get; init; }

    /// <summary>E.g. "LIMITE"; nothing is printed when null.</summary>
    public string? DistributionMarking { get; init; }

    public required ConclusionsMetadata Metadata { get; init; }

    /// <summary>The meeting's event sequence number the text reflects; printed in the footer.</summary>
    public required long Sequence { get; init; }

    /// <summary>The agenda items in order; they are numbered I., II., III., ... in this order.</summary>
    public required IReadOnlyList<ConclusionsSection> Sections { get; init; }

    public ConclusionsAnnex? Annex { get; init; }
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
    /// <summary>The item title, e.g. "Ukraine"; printed in capitals after its Roman numeral.</summary>
    public required string Title { get; init; }

    /// <summary>Ignored when <see cref="Outcome"/> is <see cref="SectionOutcome.NoAgreement"/>.</summary>
    public IReadOnlyList<string> Paragraphs { get; init; } = [];

    public SectionOutcome Outcome { get; init; } = SectionOutcome.Agreed;

    public const string NoAgreementText = "No agreement was reached on this item.";
}

/// <summary>Texts that not all members agreed to, supported by a coalition of them.</summary>
public sealed record ConclusionsAnnex
{
    public string Title { get; init; } = "Annex";
    public required IReadOnlyList<CoalitionStatement> Statements { get; init; }
}

public sealed record CoalitionStatement
{
    public required string Title { get; init; }
    public required IReadOnlyList<string> Paragraphs { get; init; }

    /// <summary>How the support is worded, e.g. "Firmly supported by 26 heads of state or government" (the caller's words).</summary>
    public required string Wording { get; init; }

    /// <summary>The signatories by name: member states in protocol order, then guests.</summary>
    public required IReadOnlyList<string> Signatories { get; init; }

    /// <summary>"Firmly supported by 26 heads of state or government: Belgium, Bulgaria, ..."</summary>
    public string SupportLine() => Signatories.Count == 0 ? $"{Wording}." : $"{Wording}: {string.Join(", ", Signatories)}.";
}
