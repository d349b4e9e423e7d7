using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using BriefingRoom.Conclusions.Pdf;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.CustomProperties;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.VariantTypes;
using DocumentFormat.OpenXml.Wordprocessing;

namespace BriefingRoom.Conclusions.Word;

/// <summary>Turns a meeting's document into a Word file (.docx); the counterpart of <see cref="IConclusionsRenderer"/>.</summary>
public interface IConclusionsWordWriter
{
    /// <summary>The document as .docx; with a <paramref name="copy"/>, that recipient's copy (watermark and identifier).</summary>
    byte[] Write(ConclusionsDocument document, DocumentCopy? copy = null);
}

/// <summary>
/// The same document as the PDF, for the ministries that work in Word (DocumentFormat.OpenXml 3.3.0): numbered paragraphs
/// with hanging numbers, headings, real Word footnotes, the marking in the header of every page, and for a copy a
/// watermark behind the text of every page, a line at the foot and the identifier in the document's custom properties
/// and as hidden text. Deterministic: the relationship ids are ours and the zip is written again with the document's
/// date on every entry, so the same document and copy give the same bytes.
/// </summary>
public sealed class OpenXmlConclusionsWriter : IConclusionsWordWriter
{
    /// <summary>The custom document property that carries a copy's identifier.</summary>
    public const string CopyProperty = "BriefingRoomCopy";

    private const string Font = "Times New Roman";
    private const string WatermarkFont = "Liberation Sans";
    /// <summary>1.1 cm: paragraph numbers hang in it, as in the PDF.</summary>
    private const int Hanging = 624;

    public byte[] Write(ConclusionsDocument document, DocumentCopy? copy = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document, autoSave: true))
        {
            var main = word.AddNewPart<MainDocumentPart>("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "rIdMain");
            main.AddNewPart<StyleDefinitionsPart>("rIdStyles").Styles = Styles();
            main.AddNewPart<DocumentSettingsPart>("rIdSettings").Settings = new Settings(
                new FootnoteDocumentWideProperties(new FootnoteSpecialReference { Id = -1 }, new FootnoteSpecialReference { Id = 0 }));

            var footnotes = new Footnotes(
                new DocumentFormat.OpenXml.Wordprocessing.Footnote(new Paragraph(new Run(new SeparatorMark()))) { Type = FootnoteEndnoteValues.Separator, Id = -1 },
                new DocumentFormat.OpenXml.Wordprocessing.Footnote(new Paragraph(new Run(new ContinuationSeparatorMark()))) { Type = FootnoteEndnoteValues.ContinuationSeparator, Id = 0 });
            var body = new Body();
            Fill(body, footnotes, document);
            main.AddNewPart<FootnotesPart>("rIdFootnotes").Footnotes = footnotes;

            var header = main.AddNewPart<HeaderPart>("rIdHeader");
            header.Header = Header(document, copy);
            var footer = main.AddNewPart<FooterPart>("rIdFooter");
            footer.Footer = Footer(document, copy);

            body.Append(new SectionProperties(
                new HeaderReference { Type = HeaderFooterValues.Default, Id = "rIdHeader" },
                new FooterReference { Type = HeaderFooterValues.Default, Id = "rIdFooter" },
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 1247, Bottom = 1701, Left = 1417, Right = 1417, Header = 567, Footer = 454, Gutter = 0 }));
            main.Document = new Document(body);

            WriteCoreProperties(word.AddNewPart<CoreFilePropertiesPart>("application/vnd.openxmlformats-package.core-properties+xml", "rIdCore"), document.Metadata);
            if (copy is not null)
            {
                word.AddNewPart<CustomFilePropertiesPart>("application/vnd.openxmlformats-officedocument.custom-properties+xml", "rIdCustom").Properties = new Properties(
                    new CustomDocumentProperty(new VTLPWSTR(copy.Identifier)) { FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", PropertyId = 2, Name = CopyProperty });
            }
        }

        return Repack(stream.ToArray(), document.Metadata.CreationDate);
    }

    private static void Fill(Body body, Footnotes footnotes, ConclusionsDocument document)
    {
        var footnote = 0;
        var paragraph = 0;

        // Footnote references after the last word; several are separated by a raised comma, as Word does.
        IEnumerable<OpenXmlElement> References(IEnumerable<Pdf.Footnote> notes)
        {
            var first = true;
            foreach (var note in notes)
            {
                if (!first) yield return new Run(new RunProperties(new VerticalTextAlignment { Val = VerticalPositionValues.Superscript }), Text(","));
                first = false;
                footnote++;
                footnotes.Append(new DocumentFormat.OpenXml.Wordprocessing.Footnote(
                    Line(
                        Directed(new ParagraphProperties(new ParagraphStyleId { Val = "FootnoteText" }), note.Text),
                        [new Run(new RunProperties(new RunStyle { Val = "FootnoteReference" }), new FootnoteReferenceMark())],
                        Runs(" " + note.Text)))
                { Id = footnote });
                yield return new Run(new RunProperties(new RunStyle { Val = "FootnoteReference" }), new FootnoteReference { Id = footnote });
            }
        }

        body.Append(
            Para(Left(), Bold(), 21, "EUROPEAN COUNCIL"),
            Para(Right(), null, 24, document.PlaceAndDate),
            Para(new ParagraphProperties(
                    new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 6, Space = 8, Color = "000000" }),
                    new SpacingBetweenLines { After = "600" },
                    new Justification { Val = JustificationValues.Right }),
                Bold(), 32, document.DocumentNumber));
        if (document.Version is { } version)
        {
            body.Append(Para(Right(), null, 24, version.Heading));
        }

        var title = document.MeetingTitle;
        var dash = title.LastIndexOf(" – ", StringComparison.Ordinal);
        foreach (var part in dash > 0 ? [title[..dash], title[(dash + 3)..]] : new[] { title })
        {
            body.Append(Para(new ParagraphProperties(new ParagraphStyleId { Val = "Title" }), null, null, part));
        }

        var numeral = 0;
        foreach (var section in document.Sections)
        {
            var whole = section.Footnotes.Where(n => n.Paragraph is null).ToList();
            if (section.Title is { } sectionTitle)
            {
                var heading = Line(Directed(new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }, Numbered()), sectionTitle),
                    [new Run(Text(Agenda.ItemNumeral.Of(++numeral) + ".")), new Run(new TabChar())], Runs(sectionTitle.ToUpperInvariant()));
                heading.Append(References(whole));
                body.Append(heading);
            }
            else if (whole.Count > 0)
            {
                body.Elements<Paragraph>().Last(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Title").Append(References(whole));
            }

            if (section.Outcome == SectionOutcome.NoAgreement)
            {
                body.Append(new Paragraph(new ParagraphProperties(new Indentation { Left = Hanging.ToString(CultureInfo.InvariantCulture) }),
                    new Run(new RunProperties(new Italic()), Text(ConclusionsSection.NoAgreementText))));
                continue;
            }

            for (var p = 0; p < section.Paragraphs.Count; p++)
            {
                paragraph++;
                var at = p + 1;
                var numbered = Line(Directed(new ParagraphProperties(Numbered(), new Justification { Val = JustificationValues.Both }), section.Paragraphs[p]),
                    [new Run(Text(paragraph.ToString(CultureInfo.InvariantCulture) + ".")), new Run(new TabChar())], Runs(section.Paragraphs[p]));
                numbered.Append(References(section.Footnotes.Where(n => n.Paragraph == at)));
                body.Append(numbered);
            }
        }

        if (document.Support is { } support)
        {
            body.Append(Line(
                Directed(new ParagraphProperties(new SpacingBetweenLines { Before = "240" }, new Indentation { Left = Hanging.ToString(CultureInfo.InvariantCulture) }, new Justification { Val = JustificationValues.Both }), support.SupportLine()),
                Runs(support.SupportLine(), () => new RunProperties(new Italic()))));
        }

        if (document.Version is { } audit)
        {
            body.Append(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { Before = "480" }),
                new Run(new RunProperties(new Bold()), Text(DocumentVersion.AuditTrailTitle))));
            foreach (var line in audit.AuditTrail)
            {
                body.Append(Line(Directed(new ParagraphProperties(), line), Runs(line, () => new RunProperties(new Italic()))));
            }
        }
    }

    private static Header Header(ConclusionsDocument document, DocumentCopy? copy)
    {
        var paragraph = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Header" }, new Justification { Val = JustificationValues.Right }));
        if (!string.IsNullOrWhiteSpace(document.DistributionMarking))
        {
            paragraph.Append(Runs(document.DistributionMarking, () => new RunProperties(new Bold(), new FontSize { Val = "22" })));
        }

        if (copy is not null)
        {
            paragraph.Append(new Run(Watermark(copy.Watermark)));
        }

        return new Header(paragraph);
    }

    private static Footer Footer(ConclusionsDocument document, DocumentCopy? copy)
    {
        static Run Small(string text, string size = "18") => new(new RunProperties(new FontSize { Val = size }), Text(text));
        static SimpleField Field(string instruction, string shown) => new(Small(shown)) { Instruction = $" {instruction} \\* MERGEFORMAT " };

        var footer = new Footer(
            new Paragraph(
                new ParagraphProperties(new ParagraphStyleId { Val = "Footer" },
                    new ParagraphBorders(new TopBorder { Val = BorderValues.Single, Size = 4, Space = 4, Color = "000000" }),
                    new Tabs(new TabStop { Val = TabStopValues.Right, Position = 9072 })),
                Small(document.DocumentNumber), new Run(new TabChar()), Small("page "), Field("PAGE", "1"), Small(" / "), Field("NUMPAGES", "1")),
            new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Footer" }, new Justification { Val = JustificationValues.Center }),
                new Run(new RunProperties(new Color { Val = "606060" }, new FontSize { Val = "15" }),
                    Text(string.Create(CultureInfo.InvariantCulture, $"Reflects meeting sequence {document.Sequence}")))));
        if (copy is not null)
        {
            footer.Append(Line(new ParagraphProperties(new ParagraphStyleId { Val = "Footer" }, new Justification { Val = JustificationValues.Center }),
                Runs(copy.CopyLine, () => new RunProperties(new RunFonts { Ascii = WatermarkFont, HighAnsi = WatermarkFont, ComplexScript = WatermarkFont }, new Color { Val = "6E6E6E" }, new FontSize { Val = "15" })),
                [new Run(new RunProperties(new Vanish(), new FontSize { Val = "12" }), Text(" " + copy.HiddenText))]));
        }

        return footer;
    }

    /// <summary>Word's own kind of watermark: WordArt text in the header, behind the text of every page, turned 45°.</summary>
    private static Picture Watermark(string text)
    {
        XNamespace v = "urn:schemas-microsoft-com:vml";
        XNamespace o = "urn:schemas-microsoft-com:office:office";
        XNamespace w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        string[] formulas =
        [
            "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3", "if @0 @3 0", "if @0 21600 @1",
            "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7", "sum @6 0 @5",
        ];
        var pict = new XElement(w + "pict",
            new XAttribute(XNamespace.Xmlns + "w", w), new XAttribute(XNamespace.Xmlns + "v", v), new XAttribute(XNamespace.Xmlns + "o", o),
            new XElement(v + "shapetype",
                new XAttribute("id", "_x0000_t136"), new XAttribute("coordsize", "21600,21600"), new XAttribute(o + "spt", "136"),
                new XAttribute("adj", "10800"), new XAttribute("path", "m@7,l@8,m@5,21600l@6,21600e"),
                new XElement(v + "formulas", formulas.Select(f => new XElement(v + "f", new XAttribute("eqn", f)))),
                new XElement(v + "path", new XAttribute("textpathok", "t"), new XAttribute(o + "connecttype", "custom"),
                    new XAttribute(o + "connectlocs", "@9,0;@10,10800;@11,21600;@12,10800"), new XAttribute(o + "connectangles", "270,180,90,0")),
                new XElement(v + "textpath", new XAttribute("on", "t"), new XAttribute("fitshape", "t")),
                new XElement(o + "lock", new XAttribute(v + "ext", "edit"), new XAttribute("text", "t"), new XAttribute("shapetype", "t"))),
            new XElement(v + "shape",
                new XAttribute("id", "BriefingRoomCopyWatermark"), new XAttribute(o + "spid", "_x0000_s2049"), new XAttribute("type", "#_x0000_t136"),
                new XAttribute("style", "position:absolute;margin-left:0;margin-top:0;width:468pt;height:52pt;rotation:315;z-index:-251657216;"
                    + "mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"),
                new XAttribute(o + "allowincell", "f"), new XAttribute("fillcolor", "#dedede"), new XAttribute("stroked", "f"),
                new XElement(v + "fill", new XAttribute("opacity", ".6")),
                new XElement(v + "textpath", new XAttribute("style", $"font-family:\"{WatermarkFont}\";font-size:1pt"), new XAttribute("string", XmlSafe(text)))));
        return new Picture(pict.ToString(SaveOptions.DisableFormatting));
    }

    private static Paragraph Para(ParagraphProperties properties, RunProperties? run, int? halfPoints, string text)
    {
        run ??= new RunProperties();
        if (halfPoints is { } size)
        {
            run.Append(new FontSize { Val = size.ToString(CultureInfo.InvariantCulture) });
        }

        return Line(Directed(properties, text), Runs(text, () => (RunProperties)run.CloneNode(true)));
    }

    // Children of pPr go in the schema's order (spacing, indentation, justification), or Word calls the file damaged.
    private static ParagraphProperties Left() => new(new SpacingBetweenLines { After = "0" }, new Justification { Val = JustificationValues.Left });

    private static ParagraphProperties Right() => new(new SpacingBetweenLines { After = "120" }, new Justification { Val = JustificationValues.Right });

    private static RunProperties Bold() => new(new Bold());

    /// <summary>The number hangs at the margin and the text starts 1.1 cm in, at a tab.</summary>
    private static Indentation Numbered() => new() { Left = Hanging.ToString(CultureInfo.InvariantCulture), Hanging = Hanging.ToString(CultureInfo.InvariantCulture) };

    private static Paragraph Line(ParagraphProperties properties, params IEnumerable<Run>[] parts)
    {
        var paragraph = new Paragraph(properties);
        foreach (var part in parts)
        {
            paragraph.Append(part);
        }

        return paragraph;
    }

    private static Text Text(string text) => new(XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve };

    /// <summary>A paragraph that opens in a right-to-left script (Hebrew, Arabic) is right to left, as in the PDF (<see cref="Bidi"/>).</summary>
    private static ParagraphProperties Directed(ParagraphProperties properties, string text)
    {
        if (Bidi.IsRightToLeftParagraph(text))
        {
            properties.BiDi = new BiDi();
        }

        return properties;
    }

    /// <summary>
    /// The text as runs of one direction each: a run of right-to-left text is marked so (w:rtl), for Word reads the
    /// neutrals in it (spaces, brackets, a full stop) by the run's direction. Text without right-to-left letters is one
    /// run, as it always was.
    /// </summary>
    private static Run[] Runs(string text, Func<RunProperties>? properties = null)
    {
        if (!Bidi.HasRightToLeft(text))
        {
            return [properties is null ? new Run(Text(text)) : new Run(properties(), Text(text))];
        }

        return [.. Bidi.DirectionalRuns(text, Bidi.IsRightToLeftParagraph(text)).Select(r =>
        {
            var run = properties?.Invoke() ?? (r.RightToLeft ? new RunProperties() : null);
            if (r.RightToLeft)
            {
                // Word sets right-to-left runs in their complex-script bold, italic and size.
                if (run!.Bold is not null) run.BoldComplexScript = new BoldComplexScript();
                if (run.Italic is not null) run.ItalicComplexScript = new ItalicComplexScript();
                if (run.FontSize is { } size) run.FontSizeComplexScript = new FontSizeComplexScript { Val = size.Val };
                run.RightToLeftText = new RightToLeftText();
            }

            var piece = Text(text.Substring(r.Start, r.Length));
            return run is null ? new Run(piece) : new Run(run, piece);
        })];
    }

    /// <summary>
    /// The text with every character XML 1.0 cannot carry (control characters but tab, line feed and carriage return;
    /// U+FFFE, U+FFFF; half a surrogate pair) shown as U+FFFD. The app refuses them where texts enter, but a name or text
    /// stored before that (or by the administrator's command line) must not make a copy fail or the file corrupt.
    /// </summary>
    internal static string XmlSafe(string text)
    {
        if (!text.AsSpan().ContainsAnyExcept(XmlPlain))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (c < ' ' && c is not ('\t' or '\n' or '\r') || c is '\uFFFE' or '\uFFFF' || char.IsSurrogate(c))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    private static readonly System.Buffers.SearchValues<char> XmlPlain = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0x20, 0xD800 - 0x20).Select(c => (char)c), .. Enumerable.Range(0xE000, 0xFFFE - 0xE000).Select(c => (char)c), '\t', '\n', '\r']);

    private static Styles Styles()
    {
        static Style Paragraph(string id, string name, StyleParagraphProperties? paragraph = null, StyleRunProperties? run = null)
        {
            var style = new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = id };
            if (paragraph is not null) style.Append(paragraph);
            if (run is not null) style.Append(run);
            return style;
        }

        return new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = Font, HighAnsi = Font, ComplexScript = Font, EastAsia = Font },
                    new FontSize { Val = "24" }, new FontSizeComplexScript { Val = "24" }, new Languages { Val = "en-GB" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "160", Line = "300", LineRule = LineSpacingRuleValues.Auto }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            Paragraph("Title", "Title",
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { After = "60" }, new Justification { Val = JustificationValues.Center }),
                new StyleRunProperties(new Bold(), new BoldComplexScript(), new FontSize { Val = "28" }, new FontSizeComplexScript { Val = "28" })),
            Paragraph("Heading1", "heading 1",
                new StyleParagraphProperties(new KeepNext(), new KeepLines(), new SpacingBetweenLines { Before = "400", After = "160" }, new OutlineLevel { Val = 0 }),
                new StyleRunProperties(new Bold(), new BoldComplexScript())),
            Paragraph("FootnoteText", "footnote text",
                new StyleParagraphProperties(new SpacingBetweenLines { After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }, new Justification { Val = JustificationValues.Both }),
                new StyleRunProperties(new FontSize { Val = "18" }, new FontSizeComplexScript { Val = "18" })),
            Paragraph("Header", "header", new StyleParagraphProperties(new SpacingBetweenLines { After = "0" })),
            Paragraph("Footer", "footer", new StyleParagraphProperties(new SpacingBetweenLines { After = "0" })),
            new Style(new StyleName { Val = "footnote reference" }, new StyleRunProperties(new VerticalTextAlignment { Val = VerticalPositionValues.Superscript }))
            {
                Type = StyleValues.Character,
                StyleId = "FootnoteReference",
            });
    }

    private static void WriteCoreProperties(CoreFilePropertiesPart part, ConclusionsMetadata metadata)
    {
        XNamespace cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        XNamespace dcterms = "http://purl.org/dc/terms/";
        XNamespace xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var created = metadata.CreationDate.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var xml = new XDocument(new XElement(cp + "coreProperties",
            new XAttribute(XNamespace.Xmlns + "cp", cp), new XAttribute(XNamespace.Xmlns + "dc", dc),
            new XAttribute(XNamespace.Xmlns + "dcterms", dcterms), new XAttribute(XNamespace.Xmlns + "xsi", xsi),
            new XElement(dc + "title", XmlSafe(metadata.Title)),
            new XElement(dc + "subject", XmlSafe(metadata.Subject)),
            new XElement(dc + "creator", XmlSafe(metadata.Author)),
            new XElement(cp + "lastModifiedBy", XmlSafe(metadata.Creator)),
            new XElement(dcterms + "created", new XAttribute(xsi + "type", "dcterms:W3CDTF"), created),
            new XElement(dcterms + "modified", new XAttribute(xsi + "type", "dcterms:W3CDTF"), created)));
        using var stream = part.GetStream(FileMode.Create);
        xml.Save(stream, SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// Writes the package again with every entry dated <paramref name="date"/>: System.IO.Packaging stamps each with the
    /// time of writing, which alone would make every file different.
    /// </summary>
    private static byte[] Repack(byte[] package, DateTimeOffset date)
    {
        var stamp = new DateTimeOffset(Math.Max(1980, date.UtcDateTime.Year), date.UtcDateTime.Month, date.UtcDateTime.Day,
            date.UtcDateTime.Hour, date.UtcDateTime.Minute, date.UtcDateTime.Second / 2 * 2, TimeSpan.Zero);
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = stamp;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }

        return output.ToArray();
    }
}
