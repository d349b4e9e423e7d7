using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// Renders conclusions with our own layout drawn by PDFsharp 6.2.4. Stateless apart from the
/// process-wide font registration, so one instance may serve concurrent renders.
/// </summary>
public sealed class PdfSharpConclusionsRenderer(ConclusionsLayoutEngine layoutEngine) : IConclusionsRenderer
{
    public PdfSharpConclusionsRenderer() : this(new ConclusionsLayoutEngine())
    {
    }

    public byte[] Render(ConclusionsDocument document, DocumentCopy? copy = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        return PdfSharpDrawer.Draw(layoutEngine.Layout(document), document.Metadata, copy);
    }
}

/// <summary>Draws a laid-out document; every position comes from the layout. A copy's marks are drawn apart from it.</summary>
internal static class PdfSharpDrawer
{
    /// <summary>The key of the document information entry that carries a copy's identifier.</summary>
    public const string CopyKey = "/BriefingRoomCopy";

    public static byte[] Draw(LaidOutDocument layout, ConclusionsMetadata metadata, DocumentCopy? copy)
    {
        EmbeddedFontResolver.EnsureRegistered();

        using var pdf = new PdfDocument();
        pdf.Info.Title = metadata.Title;
        pdf.Info.Subject = metadata.Subject;
        pdf.Info.Author = metadata.Author;
        pdf.Info.Creator = metadata.Creator;
        // UTC so that neither the PDF date nor the XMP date depends on the machine's time zone.
        pdf.Info.CreationDate = metadata.CreationDate.UtcDateTime;
        pdf.PageMode = PdfPageMode.UseOutlines;
        DeterministicPdf.PrepareIds(pdf);

        var fonts = new Dictionary<(FontFace, double), XFont>();
        XFont FontOf(FontFace face, double size)
        {
            if (!fonts.TryGetValue((face, size), out var font))
            {
                font = new XFont(ConclusionsFonts.FamilyOf(face), size, Style(face), new XPdfFontOptions(PdfFontEncoding.Unicode));
                fonts.Add((face, size), font);
            }
            return font;
        }

        // Apart, so that the text's font subsets get the same tags in every copy: only the watermark's differ.
        using var drawnText = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var drawnMarks = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Per render: PDFsharp's brushes and pens are mutable objects.
        var pen = new XPen(XColor.FromArgb(0, 0, 0), 0.5);
        var ink = new XSolidBrush(XColor.FromArgb(0, 0, 0));
        var mutedInk = new XSolidBrush(XColor.FromArgb(96, 96, 96));

        foreach (var laidOut in layout.Pages)
        {
            var page = pdf.AddPage();
            page.Width = XUnit.FromPoint(layout.Geometry.Width);
            page.Height = XUnit.FromPoint(layout.Geometry.Height);
            using (var gfx = XGraphics.FromPdfPage(page))
            {
                foreach (var rule in laidOut.Rules)
                {
                    pen.Width = rule.Thickness;
                    gfx.DrawLine(pen, rule.X1, rule.Y, rule.X2, rule.Y);
                }
                foreach (var line in laidOut.Lines)
                {
                    var brush = line.Style.Muted ? mutedInk : ink;
                    foreach (var run in line.Runs)
                    {
                        if (run.Text.Length == 0) continue;
                        // The trailing space is invisible (the next word is placed explicitly) but lets
                        // text extraction and copy-paste see the word gap.
                        var text = run.SpaceAfter ? run.Text + " " : run.Text;
                        if (run.Superscript)
                        {
                            gfx.DrawString(text, FontOf(line.Style.Face, line.Style.Size * LaidOutRun.SuperscriptScale), brush,
                                run.X, line.Baseline - line.Style.Size * LaidOutRun.SuperscriptRise);
                        }
                        else if (run.Parts is { } parts)
                        {
                            var actual = run.ActualText ?? text;
                            DrawWithActualText(gfx, [.. parts.Select(p => (p.Text, p.X))], actual, FontOf(line.Style.Face, line.Style.Size), brush, line.Baseline);
                            drawnText.AppendData(MemoryMarshal.AsBytes(actual.AsSpan()));
                            foreach (var part in parts) drawnText.AppendData(MemoryMarshal.AsBytes(part.Text.AsSpan()));
                        }
                        else if (run.ActualText is { } actual)
                        {
                            DrawWithActualText(gfx, [(text, run.X)], actual, FontOf(line.Style.Face, line.Style.Size), brush, line.Baseline);
                            drawnText.AppendData(MemoryMarshal.AsBytes(actual.AsSpan()));
                        }
                        else
                        {
                            gfx.DrawString(text, FontOf(line.Style.Face, line.Style.Size), brush, run.X, line.Baseline);
                        }
                        drawnText.AppendData(MemoryMarshal.AsBytes(text.AsSpan()));
                    }
                }
            }

            if (copy is not null)
            {
                // Its own content stream, before the text's: drawn underneath, and the text's stream stays the same bytes in every copy.
                using var marks = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Prepend);
                CopyMarks.Draw(marks, layout.Geometry, copy, FontOf, drawnMarks);
            }
        }

        if (copy is not null)
        {
            pdf.Info.Elements.SetString(CopyKey, copy.Identifier);
        }

        foreach (var bookmark in layout.Bookmarks)
        {
            var outline = pdf.Outlines.Add(bookmark.Title, pdf.Pages[bookmark.PageNumber - 1], true);
            outline.PageDestinationType = PdfPageDestinationType.Xyz;
            outline.Left = 0;
            outline.Top = layout.Geometry.Height - Math.Max(0, bookmark.Top - 12);
        }

        var textHash = drawnText.GetHashAndReset();
        var marksHash = drawnMarks.GetHashAndReset();
        DeterministicPdf.FixSubsetTags(pdf, baseName => baseName.StartsWith(ConclusionsFonts.SansFontName, StringComparison.Ordinal) ? marksHash : textHash);

        using var stream = new MemoryStream();
        pdf.Save(stream, closeStream: false);
        var bytes = stream.ToArray();
        DeterministicPdf.StampIds(bytes);
        return bytes;
    }

    /// <summary>
    /// Draws <paramref name="drawn"/> (one string, or a right-to-left run's words in visual order) as a marked-content span whose /ActualText is what it stands for (PDF 32000-1,
    /// 14.9.4): viewers copy and search, and extraction reads, the actual text instead of the □ drawn. The span holds
    /// a whole text object: Save/Restore make PDFsharp close any open one before and after (q Q), so that the marked
    /// content and the text object nest.
    /// </summary>
    private static void DrawWithActualText(XGraphics gfx, IReadOnlyList<(string Text, double X)> drawn, string actual, XFont font, XBrush brush, double y)
    {
        var content = gfx.Internals.ContentStringBuilder
            ?? throw new InvalidOperationException("PDFsharp gave no content stream to mark the text in.");
        gfx.Save();
        gfx.Restore();
        content.Append("/Span <</ActualText <FEFF").Append(Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(actual))).Append(">>> BDC\n");
        foreach (var (text, x) in drawn) gfx.DrawString(text, font, brush, x, y);
        gfx.Save();
        gfx.Restore();
        content.Append("EMC\n");
    }

    private static XFontStyleEx Style(FontFace face) => face switch
    {
        FontFace.Bold => XFontStyleEx.Bold,
        FontFace.Italic => XFontStyleEx.Italic,
        _ => XFontStyleEx.Regular,
    };
}

/// <summary>
/// What makes a page one recipient's copy: the recipient's name, delegation and time across the page in light grey
/// under the text, the same as a line at the foot, and the identifier in fully transparent text (invisible, but it
/// travels with the file and with text copied out of it).
/// </summary>
internal static class CopyMarks
{
    private const double MaxWatermarkSize = 34;

    public static void Draw(XGraphics gfx, PageGeometry g, DocumentCopy copy, Func<FontFace, double, XFont> fontOf, IncrementalHash drawn)
    {
        var metrics = ConclusionsFonts.MetricsOf(FontFace.Sans);
        void Text(string text, double size, XBrush brush, double x, double baseline)
        {
            gfx.DrawString(text, fontOf(FontFace.Sans, size), brush, x, baseline);
            drawn.AppendData(MemoryMarshal.AsBytes(text.AsSpan()));
        }

        // A name in Hebrew reads from the right in the watermark and the copy line too.
        var watermark = Bidi.Visual(metrics.Drawable(copy.Watermark));
        var diagonal = Math.Sqrt(g.Width * g.Width + g.Height * g.Height);
        var size = Math.Round(Math.Min(MaxWatermarkSize, 0.8 * diagonal / Math.Max(1, metrics.Measure(watermark, 1))), 1);
        var width = metrics.Measure(watermark, size);
        var state = gfx.Save();
        gfx.RotateAtTransform(-Math.Atan2(g.Height, g.Width) * 180 / Math.PI, new XPoint(g.Width / 2, g.Height / 2));
        Text(watermark, size, new XSolidBrush(XColor.FromArgb(208, 208, 208)), (g.Width - width) / 2, g.Height / 2 + size * 0.35);
        gfx.Restore(state);

        var line = Bidi.Visual(metrics.Drawable(copy.CopyLine));
        Text(line, 7.5, new XSolidBrush(XColor.FromArgb(110, 110, 110)), (g.Width - metrics.Measure(line, 7.5)) / 2, g.Height - 14);
        Text(copy.HiddenText, 6, new XSolidBrush(XColor.FromArgb(0, 255, 255, 255)), g.Left, g.Height - 6);
    }
}

/// <summary>
/// PDFsharp 6.2.4 puts randomness into every file: a Guid.NewGuid() trailer /ID, a random
/// six-letter tag on each embedded font subset, and two Guid.NewGuid() ids in the XMP metadata it
/// always writes during Save. This replaces each with a value derived from the content, so the
/// same document gives the same bytes, and any change gives another /ID.
/// </summary>
internal static class DeterministicPdf
{
    private const int IdBytes = 16;
    private static readonly byte[] DocumentIdTag = "<xmpMM:DocumentID>uuid:"u8.ToArray();
    private static readonly byte[] InstanceIdTag = "<xmpMM:InstanceID>uuid:"u8.ToArray();
    private static readonly byte[] IdKey = "/ID["u8.ToArray();
    private const string ZeroUuid = "00000000-0000-0000-0000-000000000000";

    /// <summary>Sets both trailer ids to zeros, a placeholder that <see cref="StampIds"/> overwrites.</summary>
    public static void PrepareIds(PdfDocument pdf)
    {
        var zeros = new string('\0', IdBytes);
        pdf.Internals.FirstDocumentID = zeros;
        pdf.Internals.SecondDocumentID = zeros;
    }

    /// <summary>
    /// Replaces each random subset tag ("QWERTY+Liberation Serif,Bold") with one derived from the
    /// font's name and the text drawn with it, so that different subsets get different tags, as the
    /// PDF specification wants, and the same subset the same tag.
    /// </summary>
    public static void FixSubsetTags(PdfDocument pdf, Func<string, byte[]> drawnTextHash)
    {
        foreach (var obj in pdf.Internals.GetAllObjects())
        {
            if (obj is not PdfDictionary dictionary) continue;
            foreach (var key in (ReadOnlySpan<string>)["/FontName", "/BaseFont"])
            {
                var name = dictionary.Elements.GetName(key);
                // "/ABCDEF+Name": a slash, six capitals, a plus.
                if (name.Length < 9 || name[7] != '+') continue;
                var baseName = name[8..];
                var seed = SHA256.HashData([.. drawnTextHash(baseName), .. Encoding.UTF8.GetBytes(baseName)]);
                var tag = new StringBuilder("/", name.Length);
                for (var i = 0; i < 6; i++) tag.Append((char)('A' + seed[i] % 26));
                dictionary.Elements.SetName(key, tag.Append('+').Append(baseName).ToString());
            }
        }
    }

    /// <summary>
    /// Overwrites, in place and with the same lengths (so the cross-reference offsets stay true),
    /// the XMP ids and the trailer /ID with parts of the SHA-256 of the file as written with zeros.
    /// </summary>
    public static void StampIds(byte[] pdf)
    {
        var documentId = Find(pdf, DocumentIdTag, 0) + DocumentIdTag.Length;
        var instanceId = Find(pdf, InstanceIdTag, 0) + InstanceIdTag.Length;
        var trailerId = Find(pdf, IdKey, pdf.Length - 4096) + IdKey.Length;
        var zeroHex = "<" + new string('0', 2 * IdBytes) + ">";
        if (Encoding.ASCII.GetString(pdf, trailerId, 2 * zeroHex.Length) != zeroHex + zeroHex)
            throw new InvalidOperationException("The trailer /ID is not the placeholder PDFsharp was given.");

        Encoding.ASCII.GetBytes(ZeroUuid, pdf.AsSpan(documentId));
        Encoding.ASCII.GetBytes(ZeroUuid, pdf.AsSpan(instanceId));
        var digest = SHA256.HashData(pdf);

        var hex = Convert.ToHexString(digest, 0, IdBytes);
        Encoding.ASCII.GetBytes(hex, pdf.AsSpan(trailerId + 1));
        Encoding.ASCII.GetBytes(hex, pdf.AsSpan(trailerId + zeroHex.Length + 1));
        Encoding.ASCII.GetBytes(Uuid(digest.AsSpan(0, IdBytes)), pdf.AsSpan(documentId));
        Encoding.ASCII.GetBytes(Uuid(digest.AsSpan(IdBytes, IdBytes)), pdf.AsSpan(instanceId));
    }

    private static string Uuid(ReadOnlySpan<byte> bytes)
    {
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private static int Find(byte[] haystack, byte[] needle, int from)
    {
        var start = Math.Max(0, from);
        var at = haystack.AsSpan(start).IndexOf(needle);
        if (at < 0)
            throw new InvalidOperationException($"'{Encoding.ASCII.GetString(needle)}' not found in the PDF PDFsharp wrote; has its output changed?");
        return start + at;
    }
}
