namespace BriefingRoom.Conclusions.Pdf;

public enum FontFace
{
    Regular,
    Bold,
    Italic,
    /// <summary>Liberation Sans, for what marks a copy (the watermark): apart from the text's faces, so that the text's fonts are the same in every copy.</summary>
    Sans,
}

/// <summary>
/// The faces shipped in Conclusions/Fonts (Liberation Serif and Sans, SIL OFL) as embedded resources.
/// Loaded once per process and never changed: the bytes and metrics are shared by every render.
/// </summary>
public static class ConclusionsFonts
{
    public const string FamilyName = "BriefingRoom Liberation Serif";
    public const string SansFamilyName = "BriefingRoom Liberation Sans";
    /// <summary>The font name Liberation Sans has in a PDF (after the subset tag): what tells the watermark's font from the text's.</summary>
    public const string SansFontName = "Liberation Sans";

    private static readonly Lazy<byte[]>[] Bytes =
    [
        new(() => Load("LiberationSerif-Regular.ttf")),
        new(() => Load("LiberationSerif-Bold.ttf")),
        new(() => Load("LiberationSerif-Italic.ttf")),
        new(() => Load("LiberationSans-Regular.ttf")),
    ];

    private static readonly Lazy<FontMetrics>[] Metrics =
    [
        new(() => new FontMetrics(Bytes[(int)FontFace.Regular].Value)),
        new(() => new FontMetrics(Bytes[(int)FontFace.Bold].Value)),
        new(() => new FontMetrics(Bytes[(int)FontFace.Italic].Value)),
        new(() => new FontMetrics(Bytes[(int)FontFace.Sans].Value)),
    ];

    public static FontMetrics MetricsOf(FontFace face) => Metrics[(int)face].Value;

    /// <summary>The TrueType file of the face. Callers must not modify the array.</summary>
    public static byte[] FileOf(FontFace face) => Bytes[(int)face].Value;

    /// <summary>The name PDFsharp knows each face by; see <see cref="EmbeddedFontResolver"/>.</summary>
    public static string FaceName(FontFace face) => face switch
    {
        FontFace.Regular => "LiberationSerif-Regular",
        FontFace.Bold => "LiberationSerif-Bold",
        FontFace.Italic => "LiberationSerif-Italic",
        FontFace.Sans => "LiberationSans-Regular",
        _ => throw new ArgumentOutOfRangeException(nameof(face)),
    };

    /// <summary>The family name to ask PDFsharp for.</summary>
    public static string FamilyOf(FontFace face) => face == FontFace.Sans ? SansFamilyName : FamilyName;

    private static byte[] Load(string file)
    {
        var name = "BriefingRoom.Conclusions.Fonts." + file;
        using var stream = typeof(ConclusionsFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded font '{name}' is missing from the assembly.");
        using var buffer = new MemoryStream(checked((int)stream.Length));
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
