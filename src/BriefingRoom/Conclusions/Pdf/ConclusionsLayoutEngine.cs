using System.Globalization;

namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// Lays out conclusions on A4 pages in the manner of European Council documents. Pass one flows
/// the blocks (title, headings, numbered paragraphs, a statement's support) onto pages, keeping each
/// footnote on the page of its mark; pass two, once the page count is known, adds each page's
/// marking, notes area and footer with "page X / Y".
/// </summary>
public sealed class ConclusionsLayoutEngine
{
    private const double BodySize = 12;
    private const double BodyLeading = 15;
    private const double Cm = 72 / 2.54;
    /// <summary>Paragraph numbers hang in the margin of the text, which starts this far in.</summary>
    private const double Indent = 1.1 * Cm;
    private const double ParagraphSpacing = 8;
    private const double HeadingSpacing = 20;

    /// <summary>A paragraph split across pages keeps at least this many lines on each side.</summary>
    public const int MinLinesAtBreak = 2;

    private static readonly TextStyle Body = new(FontFace.Regular, BodySize);
    private static readonly TextStyle BodyBold = new(FontFace.Bold, BodySize);
    private static readonly TextStyle BodyItalic = new(FontFace.Italic, BodySize);
    private static readonly TextStyle TitleStyle = new(FontFace.Bold, 14);
    private static readonly TextStyle FooterStyle = new(FontFace.Regular, 9);
    private static readonly TextStyle SequenceStyle = new(FontFace.Regular, 7.5, Muted: true);
    private static readonly TextStyle MarkingStyle = new(FontFace.Bold, 11);
    private const double MarkingLeading = 14;
    private static readonly TextStyle NoteStyle = new(FontFace.Regular, 9);
    private const double NoteLeading = 11;
    private const double NoteIndent = 0.6 * Cm;
    /// <summary>Room above the first footnote of a page: a gap and the short rule that separates notes from text.</summary>
    private const double NotesSeparation = 14;

    private readonly Func<FontFace, FontMetrics> _metrics;

    public ConclusionsLayoutEngine(PageGeometry geometry, Func<FontFace, FontMetrics> metrics)
    {
        Geometry = geometry;
        _metrics = metrics;
    }

    public ConclusionsLayoutEngine() : this(PageGeometry.A4, ConclusionsFonts.MetricsOf)
    {
    }

    public PageGeometry Geometry { get; }

    public LaidOutDocument Layout(ConclusionsDocument document)
    {
        var (header, bodyTop) = FirstPageHeader(document);
        var blocks = Blocks(document);
        var flowed = Paginate(blocks, bodyTop);
        flowed.Pages[0].Lines.InsertRange(0, header.Lines);
        flowed.Pages[0].Rules.AddRange(header.Rules);

        var total = flowed.Pages.Count;
        var pages = new List<LaidOutPage>(total);
        for (var p = 0; p < total; p++)
        {
            var page = flowed.Pages[p];
            AddNotes(page);
            AddMarking(page, document);
            AddFooter(page, document, p + 1, total);
            pages.Add(new LaidOutPage(p + 1, page.Lines, page.Rules));
        }
        return new LaidOutDocument(Geometry, pages, flowed.Bookmarks);
    }

    private sealed class PageBuilder
    {
        public List<LaidOutLine> Lines { get; } = [];
        public List<LaidOutRule> Rules { get; } = [];
        /// <summary>The footnotes whose marks stand on this page, in order.</summary>
        public List<Note> Notes { get; } = [];
        public double NotesHeight => Notes.Sum(n => n.Height);
    }

    /// <summary>A footnote, wrapped: its number hangs at the margin, its text is indented.</summary>
    private sealed record Note(List<(TextStyle Style, List<LaidOutRun> Runs)> Lines)
    {
        public double Height => Lines.Count * NoteLeading;
    }

    private sealed record Flowed(List<PageBuilder> Pages, List<LaidOutBookmark> Bookmarks);

    /// <summary>A unit of the flow. Lines are positioned horizontally; pagination gives them their y.</summary>
    private sealed class Block
    {
        public required LineRole Role { get; init; }
        public required List<(TextStyle Style, List<LaidOutRun> Runs)> Lines { get; init; }
        public double Leading { get; init; } = BodyLeading;
        public double SpaceBefore { get; init; }
        public bool KeepWithNext { get; init; }
        public bool Splittable { get; init; }
        public bool PageBreakBefore { get; init; }
        public string? Bookmark { get; init; }
        public int? ParagraphNumber { get; init; }
        /// <summary>Footnotes marked at the end of this block: they go on the page of its last line.</summary>
        public List<Note> Notes { get; } = [];

        public double Height => Lines.Count * Leading;
        public double NotesHeight => Notes.Sum(n => n.Height);
    }

    private (PageBuilder Header, double BodyTop) FirstPageHeader(ConclusionsDocument document)
    {
        var header = new PageBuilder();
        var g = Geometry;
        var y = g.Top;
        var half = g.BodyWidth / 2;

        void Line(string text, TextStyle style, double leading, TextAlignment alignment, double x, double width)
        {
            foreach (var runs in LineBreaker.Break(text, _metrics(style.Face), style.Size, x, width, alignment))
            {
                header.Lines.Add(Positioned(style, y, leading, runs, LineRole.Header, -1, null));
                y += leading;
            }
        }

        var top = y;
        Line("EUROPEAN COUNCIL", new TextStyle(FontFace.Bold, 10.5), 14, TextAlignment.Left, g.Left, half);
        var leftBottom = y;
        y = top;
        Line(document.PlaceAndDate, Body, 14, TextAlignment.Right, g.Left + half, half);
        y += 6;
        Line(document.DocumentNumber, new TextStyle(FontFace.Bold, 16), 20, TextAlignment.Right, g.Left + half, half);
        if (document.Version is { } version)
        {
            Line(version.Heading, Body, 14, TextAlignment.Right, g.Left + half, half);
        }

        y = Math.Max(y, leftBottom) + 10;
        header.Rules.Add(new LaidOutRule(g.Left, g.Width - g.Right, y, 0.6));
        return (header, y + 30);
    }

    private List<Block> Blocks(ConclusionsDocument document)
    {
        var g = Geometry;
        var blocks = new List<Block>();
        var paragraph = 0;
        var footnote = 0;

        // The room the marks of the next notes take: their own numbers, known before they are given, since a mark of three digits is wider than one of two.
        double ReserveFor(IReadOnlyList<Footnote> notes, TextStyle style) => notes.Count == 0 ? 0 :
            MarkWidth(string.Join(',', Enumerable.Range(footnote + 1, notes.Count)), style);

        List<(TextStyle Style, List<LaidOutRun> Runs)> Wrap(string text, TextStyle style, double x, double width, TextAlignment alignment, double reserve = 0) =>
            WrapLines(text, style, x, width, alignment, reserve);

        // Numbers the footnotes in print order, marks them after the block's last word, and wraps their text for the notes area.
        // After is to the left in a right-to-left paragraph: the mark stands at the left end of its last line, which stands at the right.
        void Mark(Block block, IReadOnlyList<Footnote> notes, TextStyle style, bool rightToLeft = false)
        {
            if (notes.Count == 0) return;
            var numbers = new List<string>(notes.Count);
            foreach (var note in notes)
            {
                footnote++;
                var number = footnote.ToString(CultureInfo.InvariantCulture);
                numbers.Add(number);
                var lines = Wrap(note.Text, NoteStyle, g.Left + NoteIndent, g.BodyWidth - NoteIndent, TextAlignment.Justify);
                lines[0].Runs.Insert(0, new LaidOutRun(number, g.Left, _metrics(NoteStyle.Face).Measure(number, NoteStyle.Size), SpaceAfter: true));
                block.Notes.Add(new Note(lines));
            }
            var mark = string.Join(',', numbers);
            var last = block.Lines[^1].Runs;
            var width = MarkWidth(mark, style);
            if (rightToLeft && last.Any(r => r.X > g.Left))
            {
                // The paragraph's or heading's number hangs at the margin; the text starts after it.
                last.Add(new LaidOutRun(mark, last.Where(r => r.X > g.Left).Min(r => r.X) - width, width, SpaceAfter: false, Superscript: true));
                return;
            }
            var end = last.Count == 0 ? g.Left : last[^1].X + last[^1].Width;
            last.Add(new LaidOutRun(mark, end + 0.5, width, SpaceAfter: false, Superscript: true));
        }

        void Numbered(string text, IReadOnlyList<Footnote> notes, double spaceBefore = ParagraphSpacing)
        {
            paragraph++;
            var lines = Wrap(text, Body, g.Left + Indent, g.BodyWidth - Indent, TextAlignment.Justify, ReserveFor(notes, Body));
            var number = paragraph.ToString(CultureInfo.InvariantCulture) + ".";
            lines[0].Runs.Insert(0, new LaidOutRun(number, g.Left, _metrics(Body.Face).Measure(number, Body.Size), SpaceAfter: true));
            var block = new Block
            {
                Role = LineRole.Paragraph,
                Lines = lines,
                SpaceBefore = spaceBefore,
                Splittable = true,
                ParagraphNumber = paragraph,
            };
            Mark(block, notes, Body, LineBreaker.IsRightToLeft(text));
            blocks.Add(block);
        }

        // "Meeting (date) – Conclusions" reads as a title over a subtitle: break at the dash rather than wherever the line fills.
        var title = document.MeetingTitle;
        var dash = title.LastIndexOf(" – ", StringComparison.Ordinal);
        var titleLines = dash > 0
            ? [.. Wrap(title[..dash], TitleStyle, g.Left + Cm, g.BodyWidth - 2 * Cm, TextAlignment.Center),
               .. Wrap(title[(dash + 3)..], TitleStyle, g.Left + Cm, g.BodyWidth - 2 * Cm, TextAlignment.Center)]
            : Wrap(title, TitleStyle, g.Left + Cm, g.BodyWidth - 2 * Cm, TextAlignment.Center);
        blocks.Add(new Block { Role = LineRole.Title, Lines = titleLines, Leading = 18, KeepWithNext = true });

        var numeral = 0;
        foreach (var section in document.Sections)
        {
            // A note without a paragraph is on the text as a whole: it is marked at the heading (the title when there is none).
            var whole = section.Footnotes.Where(n => n.Paragraph is null).ToList();
            if (section.Title is { } sectionTitle)
            {
                var roman = Agenda.ItemNumeral.Of(++numeral) + ".";
                var heading = Heading(roman, sectionTitle, LineRole.Heading, HeadingSpacing, bookmark: $"{roman} {sectionTitle}", ReserveFor(whole, BodyBold));
                Mark(heading, whole, BodyBold, LineBreaker.IsRightToLeft(sectionTitle));
                blocks.Add(heading);
            }
            else
            {
                // A section without a heading is a statement's text: its notes on the whole text stand at the title (block 0).
                Mark(blocks[0], whole, TitleStyle);
            }

            if (section.Outcome == SectionOutcome.NoAgreement)
            {
                blocks.Add(new Block
                {
                    Role = LineRole.NoAgreement,
                    Lines = Wrap(ConclusionsSection.NoAgreementText, BodyItalic, g.Left + Indent, g.BodyWidth - Indent, TextAlignment.Justify),
                    SpaceBefore = ParagraphSpacing,
                });
                continue;
            }
            for (var p = 0; p < section.Paragraphs.Count; p++)
            {
                var at = p + 1;
                // Under a title with no heading between, the text keeps the distance a heading would.
                Numbered(section.Paragraphs[p], [.. section.Footnotes.Where(n => n.Paragraph == at)],
                    p == 0 && section.Title is null ? HeadingSpacing : ParagraphSpacing);
            }
        }

        if (document.Support is { } support)
        {
            blocks.Add(new Block
            {
                Role = LineRole.Support,
                Lines = Wrap(support.SupportLine(), BodyItalic, g.Left + Indent, g.BodyWidth - Indent, TextAlignment.Justify),
                SpaceBefore = 2 * ParagraphSpacing,
                Splittable = true,
            });
        }

        if (document.Version is { } version)
        {
            blocks.Add(new Block
            {
                Role = LineRole.Support,
                Lines = Wrap(DocumentVersion.AuditTrailTitle, BodyBold, g.Left, g.BodyWidth, TextAlignment.Left),
                SpaceBefore = 3 * ParagraphSpacing,
                KeepWithNext = true,
            });
            foreach (var line in version.AuditTrail)
            {
                blocks.Add(new Block
                {
                    Role = LineRole.Support,
                    Lines = Wrap(line, BodyItalic, g.Left, g.BodyWidth, TextAlignment.Left),
                    SpaceBefore = ParagraphSpacing / 2,
                    Splittable = true,
                });
            }
        }
        return blocks;
    }

    private double MarkWidth(string mark, TextStyle style) =>
        _metrics(style.Face).Measure(mark, style.Size * LaidOutRun.SuperscriptScale) + 0.5;

    private Block Heading(string numeral, string title, LineRole role, double spaceBefore, string bookmark, double reserve)
    {
        var g = Geometry;
        var metrics = _metrics(BodyBold.Face);
        var numeralWidth = metrics.Measure(numeral, BodyBold.Size);
        var textX = g.Left + Math.Max(Indent, numeralWidth + metrics.Measure("  ", BodyBold.Size));
        var lines = WrapLines(title.ToUpperInvariant(), BodyBold, textX, g.Width - g.Right - textX, TextAlignment.Left, reserve);
        lines[0].Runs.Insert(0, new LaidOutRun(numeral, g.Left, numeralWidth, SpaceAfter: true));
        return new Block { Role = role, Lines = lines, SpaceBefore = spaceBefore, KeepWithNext = true, Bookmark = bookmark };
    }

    /// <summary>Never empty: an empty text still gives one (empty) line, so that a number has a line to sit on.</summary>
    private List<(TextStyle Style, List<LaidOutRun> Runs)> WrapLines(string text, TextStyle style, double x, double width, TextAlignment alignment, double reserve = 0)
    {
        var lines = LineBreaker.Break(text, _metrics(style.Face), style.Size, x, width, alignment, reserve)
            .Select(runs => (style, runs)).ToList();
        if (lines.Count == 0) lines.Add((style, []));
        return lines;
    }

    /// <summary>
    /// The height that must stand on the same page as the start of block i: all of it unless it may
    /// split, and for a block kept with the next, also the next block's head (chained). With it, the
    /// footnotes of the blocks that stand there whole.
    /// </summary>
    private static (double Lines, double Notes) HeadHeight(List<Block> blocks, int i)
    {
        var b = blocks[i];
        var splits = b.Splittable && b.Lines.Count >= 2 * MinLinesAtBreak;
        (double, double) own = splits ? (MinLinesAtBreak * b.Leading, 0) : (b.Height, b.NotesHeight);
        if (!b.KeepWithNext || i + 1 >= blocks.Count || blocks[i + 1].PageBreakBefore) return own;
        var next = HeadHeight(blocks, i + 1);
        return (b.Height + blocks[i + 1].SpaceBefore + next.Lines, b.NotesHeight + next.Notes);
    }

    /// <summary>What the notes of a page take from the bottom of its body, separation included.</summary>
    private static double NotesReserve(double notesHeight) => notesHeight > 0 ? NotesSeparation + notesHeight : 0;

    private Flowed Paginate(List<Block> blocks, double firstPageTop)
    {
        var g = Geometry;
        var bottom = g.BodyBottom;
        var pages = new List<PageBuilder> { new() };
        var bookmarks = new List<LaidOutBookmark>();
        var y = firstPageTop;
        var pageEmpty = true;

        // Footnote lines that did not fit at the foot of their mark's page: they continue at the foot of the next.
        var carried = new List<Note>();

        void NewPage()
        {
            // A page whose foot the continued notes fill is theirs alone; the text goes on under the next one's top.
            do
            {
                pages.Add(new PageBuilder());
                y = g.Top;
                pageEmpty = true;
                var continued = carried;
                carried = [];
                PlaceNotes(continued);
            }
            while (carried.Count > 0 || bottom - NotesReserve(pages[^1].NotesHeight) - y < BodyLeading);
        }

        // Sets notes at the foot of the page under the text so far; the lines that do not fit there are carried over.
        void PlaceNotes(List<Note> notes)
        {
            var page = pages[^1];
            page.Notes.AddRange(notes);
            var room = Math.Max(0, (int)Math.Floor((bottom - y - NotesSeparation + 0.01) / NoteLeading));
            if (page.Notes.Sum(n => n.Lines.Count) <= room) return;
            var kept = new List<Note>();
            foreach (var note in page.Notes)
            {
                var take = Math.Min(room, note.Lines.Count);
                if (take > 0) kept.Add(take == note.Lines.Count ? note : new Note(note.Lines.GetRange(0, take)));
                if (take < note.Lines.Count) carried.Add(new Note(note.Lines.GetRange(take, note.Lines.Count - take)));
                room -= take;
            }
            page.Notes.Clear();
            page.Notes.AddRange(kept);
        }

        // The notes a block's last line needs below it on its page: all of them, unless they could not stand whole even at
        // the foot of an empty page; then their first line, and the rest continues on the pages after.
        double Needed(double notesHeight, double leading) =>
            NotesReserve(notesHeight) + leading <= bottom - g.Top + 0.01 ? notesHeight : Math.Min(notesHeight, NoteLeading);

        // How many lines of this leading fit between y and the foot of the body, with the page's notes and extraNotes below.
        int Fit(double leading, double extraNotes) =>
            (int)Math.Floor((bottom - NotesReserve(pages[^1].NotesHeight + extraNotes) - y + 0.01) / leading);

        for (var i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            if (b.PageBreakBefore && !pageEmpty) NewPage();
            var spaceBefore = pageEmpty ? 0 : b.SpaceBefore;
            var head = HeadHeight(blocks, i);
            if (!pageEmpty && y + spaceBefore + head.Lines > bottom - NotesReserve(pages[^1].NotesHeight + Needed(head.Notes, b.Leading)) + 0.01)
            {
                NewPage();
                spaceBefore = 0;
            }
            y += spaceBefore;
            if (b.Bookmark is not null) bookmarks.Add(new LaidOutBookmark(b.Bookmark, pages.Count, y));

            var next = 0;
            while (next < b.Lines.Count)
            {
                var remaining = b.Lines.Count - next;
                var fit = Fit(b.Leading, 0);
                // The block's last line carries its footnote marks: it may stand here only if the notes fit below it too.
                if (fit >= remaining && b.Notes.Count > 0)
                {
                    fit = Math.Min(fit, Math.Max(0, Fit(b.Leading, Needed(b.NotesHeight, b.Leading))));
                }

                int take;
                if (fit >= remaining)
                {
                    take = remaining;
                }
                else if (b.Splittable)
                {
                    take = Math.Min(fit, remaining - MinLinesAtBreak);
                    if (take < MinLinesAtBreak) take = pageEmpty ? Math.Max(1, fit) : 0;
                }
                else
                {
                    // Unsplittable and too tall for what is left: whole on the next page, or cut if taller than a page.
                    take = pageEmpty ? Math.Max(1, fit) : 0;
                }

                for (var k = 0; k < take; k++)
                {
                    var (style, runs) = b.Lines[next + k];
                    var number = next + k == 0 ? b.ParagraphNumber : null;
                    pages[^1].Lines.Add(Positioned(style, y, b.Leading, runs, b.Role, i, number));
                    y += b.Leading;
                }
                if (take > 0) pageEmpty = false;
                next += take;
                if (next == b.Lines.Count) PlaceNotes(b.Notes);
                else NewPage();
            }
        }
        if (carried.Count > 0) NewPage();
        return new Flowed(pages, bookmarks);
    }

    /// <summary>The page's footnotes at the foot of its body, under a short rule, in the order of their marks.</summary>
    private void AddNotes(PageBuilder page)
    {
        if (page.Notes.Count == 0) return;
        var g = Geometry;
        var y = g.BodyBottom - page.NotesHeight;
        page.Rules.Add(new LaidOutRule(g.Left, g.Left + g.BodyWidth / 4, y - NotesSeparation / 2, 0.4));
        foreach (var note in page.Notes)
        {
            foreach (var (style, runs) in note.Lines)
            {
                page.Lines.Add(Positioned(style, y, NoteLeading, runs, LineRole.Footnote, -1, null));
                y += NoteLeading;
            }
        }
    }

    /// <summary>The distribution marking, in the top margin of every page.</summary>
    private void AddMarking(PageBuilder page, ConclusionsDocument document)
    {
        if (string.IsNullOrWhiteSpace(document.DistributionMarking)) return;
        var g = Geometry;
        var (style, leading, lines) = MarkingLines(document.DistributionMarking);
        var y = g.Top - MarkingGap - leading * lines.Count;
        foreach (var runs in lines)
        {
            page.Lines.Add(Positioned(style, y, leading, runs, LineRole.Marking, -1, null));
            y += leading;
        }
    }

    private const double MarkingGap = 10;
    private const double MarkingSmallestSize = 6;

    /// <summary>
    /// A marking in the meeting's own words (up to 200 characters) is printed whole, never cut: at its size while it
    /// fits in the top margin (three lines), else at the largest smaller size at which it does.
    /// </summary>
    private (TextStyle Style, double Leading, List<List<LaidOutRun>> Lines) MarkingLines(string marking)
    {
        var g = Geometry;
        // The lines stand between the top of the page, less a little room, and the gap above the body.
        var room = g.Top - MarkingGap - 4;
        for (var size = MarkingStyle.Size; ; size -= 0.5)
        {
            var style = MarkingStyle with { Size = size };
            var leading = MarkingLeading * size / MarkingStyle.Size;
            var lines = LineBreaker.Break(marking, _metrics(style.Face), size, g.Left, g.BodyWidth, TextAlignment.Right);
            if (lines.Count * leading <= room + 0.01 || size <= MarkingSmallestSize) return (style, leading, lines);
        }
    }

    private void AddFooter(PageBuilder page, ConclusionsDocument document, int number, int total)
    {
        var g = Geometry;
        var ruleY = g.Height - g.Bottom + 24;
        page.Rules.Add(new LaidOutRule(g.Left, g.Width - g.Right, ruleY, 0.4));

        void Footer(string text, TextStyle style, double top, TextAlignment alignment)
        {
            foreach (var runs in LineBreaker.Break(text, _metrics(style.Face), style.Size, g.Left, g.BodyWidth, alignment).Take(1))
                page.Lines.Add(Positioned(style, top, style.Size * 1.25, runs, LineRole.Footer, -1, null));
        }

        // The number stands whole left of the page number: smaller while it does not fit on one line, then on several.
        var pageNumber = string.Create(CultureInfo.InvariantCulture, $"page {number} / {total}");
        var room = g.BodyWidth - _metrics(FooterStyle.Face).Measure(pageNumber, FooterStyle.Size) - 12;
        var style = FooterStyle;
        var lines = LineBreaker.Break(document.DocumentNumber, _metrics(style.Face), style.Size, g.Left, room, TextAlignment.Left);
        while (lines.Count > 1 && style.Size > 6)
        {
            style = style with { Size = style.Size - 0.5 };
            lines = LineBreaker.Break(document.DocumentNumber, _metrics(style.Face), style.Size, g.Left, room, TextAlignment.Left);
        }

        var top = ruleY + 3;
        foreach (var runs in lines)
        {
            page.Lines.Add(Positioned(style, top, style.Size * 1.25, runs, LineRole.Footer, -1, null));
            top += style.Size * 1.25;
        }

        Footer(pageNumber, FooterStyle, ruleY + 3, TextAlignment.Right);
        Footer(string.Create(CultureInfo.InvariantCulture, $"Reflects meeting sequence {document.Sequence}"), SequenceStyle, Math.Max(ruleY + 16, top + 1), TextAlignment.Center);
    }

    private LaidOutLine Positioned(TextStyle style, double top, double leading, List<LaidOutRun> runs, LineRole role, int block, int? paragraph)
    {
        var m = _metrics(style.Face);
        var ascent = style.Size * m.Ascender / m.UnitsPerEm;
        var contentHeight = style.Size * (m.Ascender - m.Descender) / m.UnitsPerEm;
        var baseline = top + (leading - contentHeight) / 2 + ascent;
        return new LaidOutLine(style, top, baseline, leading, runs, role, block, paragraph);
    }
}
