namespace BriefingRoom.Conclusions.Pdf;

public enum FontFace
{
    Regular,
    Bold,
    Italic,
}

/// <summary>
/// The serif faces shipped in Conclusions/Fonts (Liberation Serif, SIL OFL) as embedded resources.
/// Loaded once per process and never changed: the bytes and metrics are shared by every render.
/// </summary>
public static class ConclusionsFonts
{
    public const string FamilyName = "BriefingRoom Liberation Serif";

    private static readonly Lazy<byte[]>[] Bytes =
    [
        new(() => Load("LiberationSerif-Regular.ttf")),
        new(() => Load("LiberationSerif-Bold.ttf")),
        new(() => Load("LiberationSerif-Italic.ttf")),
    ];

    private static readonly Lazy<FontMetrics>[] Metrics =
    [
        new(() => new FontMetrics(Bytes[(int)FontFace.Regular].Value)),
        new(() => new FontMetrics(Bytes[(int)FontFace.Bold].Value)),
        new(() => new FontMetrics(Bytes[(int)FontFace.Italic].Value)),
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
        _ => throw new ArgumentOutOfRangeException(nameof(face)),
    };

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
