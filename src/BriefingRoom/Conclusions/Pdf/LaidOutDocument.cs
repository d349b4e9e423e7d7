namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// The result of layout: pages of positioned lines, in points, origin at the page's top left,
/// y growing downwards. A drawer only draws this; it decides nothing about where text goes.
/// </summary>
public sealed record LaidOutDocument(
    PageGeometry Geometry,
    IReadOnlyList<LaidOutPage> Pages,
    IReadOnlyList<LaidOutBookmark> Bookmarks);

public sealed record LaidOutPage(int Number, IReadOnlyList<LaidOutLine> Lines, IReadOnlyList<LaidOutRule> Rules);

public readonly record struct TextStyle(FontFace Face, double Size, bool Muted = false);

public enum LineRole
{
    Header,
    Title,
    Heading,
    Paragraph,
    NoAgreement,
    /// <summary>A statement's line of support and its signatories.</summary>
    Support,
    /// <summary>A footnote's text in the notes area at the foot of the body.</summary>
    Footnote,
    /// <summary>The distribution marking at the top of every page.</summary>
    Marking,
    Footer,
}

/// <summary>One line of text. <paramref name="Block"/> numbers the flowed block (heading, paragraph, ...) it belongs to; -1 for page furniture.</summary>
public sealed record LaidOutLine(
    TextStyle Style,
    double Top,
    double Baseline,
    double Height,
    IReadOnlyList<LaidOutRun> Runs,
    LineRole Role,
    int Block,
    int? ParagraphNumber)
{
    /// <summary>The line's text as a reader would copy it, words separated by single spaces.</summary>
    public string Text => string.Concat(Runs.Select(r => r.SpaceAfter ? r.Text + " " : r.Text));

    public double Bottom => Top + Height;

    /// <summary>Footers, markings and footnotes: what stands around the flowing text rather than in it.</summary>
    public bool IsFurniture => Role is LineRole.Footer or LineRole.Marking or LineRole.Footnote;
}

/// <summary>
/// Text drawn at <paramref name="X"/> (its left edge) on the line's baseline. Justified lines are
/// made of one run per word; <paramref name="SpaceAfter"/> says a word gap follows it.
/// A <paramref name="Superscript"/> run (a footnote mark) is drawn smaller and raised, at <see cref="SuperscriptScale"/>.
/// <paramref name="ActualText"/> is the text the run stands for when that is not what is drawn (a □
/// for a character the font lacks, a dropped joiner or direction mark): the PDF carries it, so that
/// copying or extracting the text gives the agreed text, character for character.
/// <paramref name="Parts"/>, when set, is what is drawn instead of <paramref name="Text"/>: a right-to-left run's
/// words, each at its own place, in visual order, while the text (and ActualText) stays in the order it was typed.
/// </summary>
public sealed record LaidOutRun(string Text, double X, double Width, bool SpaceAfter, bool Superscript = false, string? ActualText = null,
    IReadOnlyList<LaidOutPart>? Parts = null)
{
    public const double SuperscriptScale = 0.58;
    public const double SuperscriptRise = 0.36;
}

/// <summary>A string drawn as it stands, its left edge at <paramref name="X"/>: one word of a right-to-left run, in visual order.</summary>
public sealed record LaidOutPart(string Text, double X);

public sealed record LaidOutRule(double X1, double X2, double Y, double Thickness);

public sealed record LaidOutBookmark(string Title, int PageNumber, double Top);

/// <summary>Page size and margins in points. The body flows between Top and Height - Bottom.</summary>
public sealed record PageGeometry(double Width, double Height, double Left, double Right, double Top, double Bottom)
{
    private const double Cm = 72 / 2.54;

    /// <summary>A4 with the wide margins of Council documents.</summary>
    public static PageGeometry A4 { get; } = new(595.276, 841.89, Left: 2.5 * Cm, Right: 2.5 * Cm, Top: 2.2 * Cm, Bottom: 3.0 * Cm);

    public double BodyWidth => Width - Left - Right;

    public double BodyBottom => Height - Bottom;
}
