using PdfSharp.Fonts;

namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// Gives PDFsharp the fonts shipped in the assembly; on Linux it finds none of its own.
/// </summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    private static readonly Lock Gate = new();
    private static volatile bool _registered;

    /// <summary>
    /// PDFsharp keeps its font resolver in process-wide static state that may be set only before
    /// the first font is used. Register ours once, from whichever render comes first; later calls,
    /// concurrent or not, find it in place.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (_registered) return;
        lock (Gate)
        {
            if (_registered) return;
            switch (GlobalFontSettings.FontResolver)
            {
                case null:
                    GlobalFontSettings.FontResolver = new EmbeddedFontResolver();
                    break;
                case EmbeddedFontResolver:
                    break;
                case var other:
                    throw new InvalidOperationException(
                        $"PDFsharp already has another font resolver ({other.GetType().FullName}); the conclusions PDF needs {nameof(EmbeddedFontResolver)}.");
            }
            _registered = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (string.Equals(familyName, ConclusionsFonts.SansFamilyName, StringComparison.OrdinalIgnoreCase))
            return new FontResolverInfo(ConclusionsFonts.FaceName(FontFace.Sans));
        if (!string.Equals(familyName, ConclusionsFonts.FamilyName, StringComparison.OrdinalIgnoreCase))
            return null;
        // We ship no bold italic face; nothing in the layout asks for one.
        var face = bold ? FontFace.Bold : italic ? FontFace.Italic : FontFace.Regular;
        return new FontResolverInfo(ConclusionsFonts.FaceName(face));
    }

    public byte[]? GetFont(string faceName)
    {
        foreach (var face in Enum.GetValues<FontFace>())
        {
            if (ConclusionsFonts.FaceName(face) == faceName)
                return ConclusionsFonts.FileOf(face);
        }
        return null;
    }
}
