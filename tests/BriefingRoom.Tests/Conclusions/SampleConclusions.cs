using BriefingRoom.Conclusions.Pdf;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>
/// Conclusions for tests and benchmarks: the demo meeting of 6 March 2025 (texts in our own words),
/// and long documents generated deterministically from realistic sentences.
/// </summary>
public static class SampleConclusions
{
    /// <summary>The member states' names in protocol order, from the one table the app uses.</summary>
    public static readonly string[] MemberStates = [.. BriefingRoom.Voting.MemberStates.All.Select(m => m.Name)];

    public static ConclusionsMetadata Metadata(string title) => new()
    {
        Title = title,
        Subject = "Conclusions of the special meeting of the European Council of 6 March 2025",
        Author = "General Secretariat of the Council",
        CreationDate = new DateTimeOffset(2025, 3, 6, 22, 15, 0, TimeSpan.FromHours(1)),
    };

    public static readonly string[] EuropeanDefence =
    [
        "The European Council met today because the security of Europe is being decided now. Russia’s war of aggression against Ukraine, in its fourth year, and the shifting commitments of partners on whom Europe has long relied, oblige the Union and its Member States to take far greater responsibility for their own defence, and to do so quickly.",
        "The European Council agrees that defence spending across the Union will rise substantially over the coming years, moving towards 3.5% of gross domestic product. For the Union as a whole this means roughly €250 billion more each year than today, spent so as to close capability gaps rather than to duplicate what already exists.",
        "To make room for this effort, the European Council invites the Commission to propose without delay the activation of the national escape clause of the Stability and Growth Pact for defence expenditure, so that additional defence spending within agreed limits is not counted against the deficit rules, while debt remains sustainable.",
        "The European Council takes note of the Commission’s intention to raise up to €150 billion on the capital markets and to lend it to Member States for common procurement, in the way the Union borrowed together for the recovery from the COVID-19 pandemic, and asks the Council to examine the proposal as a matter of priority.",
        "Priority will go to the capabilities Europe lacks most: air and missile defence, artillery, ammunition and missiles, drones and counter-drone systems, military mobility, cyber defence and strategic enablers. Procurement shared by several Member States should become the rule rather than the exception.",
        "Ukraine’s defence industry, which has spare production capacity and unmatched experience of modern warfare, is part of the answer. The European Council calls for investment in Ukraine’s defence industrial base and for its closer integration with the European defence technological and industrial base.",
        "A stronger Union in security and defence respects the specific character of the security and defence policy of certain Member States and takes into account the security and defence interests of all. It contributes to transatlantic security and is complementary to NATO, which remains, for those States which are members of it, the foundation of their collective defence.",
        "The European Council will return to these questions at its meeting of 20 and 21 March 2025, and invites the Commission and the High Representative to report on progress by then.",
    ];

    public static readonly string[] UkraineStatement =
    [
        "Peace in Ukraine must be a just and lasting peace that respects Ukraine’s independence, sovereignty and territorial integrity within its internationally recognised borders. There can be no negotiations on Ukraine without Ukraine, and none affecting European security without Europe.",
        "The Union will remain at Ukraine’s side, and its approach of peace through strength requires that Ukraine be in the strongest possible position, with its own robust military and defence capabilities as an essential part of it.",
        "The High Representative is invited to coordinate the Union’s contribution to the peace efforts, in close contact with Ukraine and with like-minded partners, including those who met in London on 2 March 2025.",
        "Any agreement will have to be accompanied by robust and credible security guarantees for Ukraine that help deter future Russian aggression. Member States willing to contribute to such guarantees will do so in accordance with their competences and capabilities.",
        "Russia’s assets should remain immobilised until Russia ceases its war of aggression against Ukraine and compensates Ukraine for the damage caused by this war. Pressure on Russia will be maintained, including through further sanctions.",
    ];

    /// <summary>
    /// The demo meeting’s conclusions as the day ended them (EUCO 6/25): the Ukraine text, blocked at 27, went out apart
    /// as EUCO 10/25 and the conclusions refer to it; three items had no agreement; defence was adopted by all.
    /// </summary>
    public static ConclusionsDocument Demo(string? marking = "LIMITE") => new()
    {
        MeetingTitle = "Special meeting of the European Council (6 March 2025) – Conclusions",
        DocumentNumber = "EUCO 6/25",
        PlaceAndDate = "Brussels, 6 March 2025",
        DistributionMarking = marking,
        Metadata = Metadata("Special meeting of the European Council (6 March 2025) – Conclusions"),
        Sequence = 1287,
        Sections =
        [
            new() { Title = "Ukraine", Paragraphs = [BriefingRoom.Coalitions.CoalitionWording.CrossReference("EUCO 10/25", 26, [])] },
            new() { Title = "Security guarantees for Ukraine", Outcome = SectionOutcome.NoAgreement },
            new() { Title = "Frozen Russian assets and sanctions", Outcome = SectionOutcome.NoAgreement },
            new() { Title = "Military support to Ukraine", Outcome = SectionOutcome.NoAgreement },
            new() { Title = "European defence", Paragraphs = EuropeanDefence },
        ],
    };

    /// <summary>The Ukraine text as a document of its own (EUCO 10/25), with the 26 who support it.</summary>
    public static ConclusionsDocument Statement(string? marking = null) => new()
    {
        MeetingTitle = "Special meeting of the European Council (6 March 2025) – Ukraine",
        DocumentNumber = "EUCO 10/25",
        PlaceAndDate = "Brussels, 6 March 2025",
        DistributionMarking = marking,
        Metadata = Metadata("Special meeting of the European Council (6 March 2025) – Ukraine"),
        Sequence = 1280,
        Sections = [new() { Title = null, Paragraphs = UkraineStatement }],
        Support = new StatementSupport
        {
            Wording = BriefingRoom.Coalitions.CoalitionWording.Of(26, []),
            Signatories = MemberStates.Where(s => s != "Hungary").ToArray(),
        },
    };

    /// <summary>A copy for a test recipient, at a fixed time.</summary>
    public static DocumentCopy Copy(string name = "Jean Dupont", string delegation = "France", string id = "BR-7K2Q-M9XD-3F8A-ZP4W") =>
        new(id, name, delegation, new DateTimeOffset(2025, 3, 6, 21, 40, 0, TimeSpan.Zero));

    private static readonly string[] Sentences =
    [
        .. EuropeanDefence.SelectMany(p => p.Split(". ", StringSplitOptions.RemoveEmptyEntries)),
        .. UkraineStatement.SelectMany(p => p.Split(". ", StringSplitOptions.RemoveEmptyEntries)),
        "The European Council calls on the Council and the Commission to take work forward as a matter of urgency",
        "It underlines the importance of the single market for defence products and of cross-border cooperation between industries",
        "Member States will coordinate their efforts with the European Investment Bank, which is invited to adapt its lending policy",
        "The European Council will review progress regularly on the basis of a report by the High Representative and the Commission",
    ];

    /// <summary>About <paramref name="pages"/> pages of numbered paragraphs under agenda items, a footnote in each item; the same every call.</summary>
    public static ConclusionsDocument Generated(int pages)
    {
        var state = 0x2545F491u;
        uint Next()
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            return state;
        }
        string Paragraph()
        {
            var count = 2 + (int)(Next() % 4);
            return string.Join(". ", Enumerable.Range(0, count).Select(_ => Sentences[Next() % Sentences.Length].TrimEnd('.'))) + ".";
        }

        // Calibrated against the layout: about 5.5 paragraphs of this kind fill an A4 page.
        var paragraphs = Math.Max(1, (int)Math.Round(pages * 5.55));
        var sections = new List<ConclusionsSection>();
        for (var s = 0; paragraphs > 0; s++)
        {
            var count = Math.Min(paragraphs, 5 + (int)(Next() % 8));
            paragraphs -= count;
            sections.Add(new ConclusionsSection
            {
                Title = $"Item {s + 1}: {Sentences[Next() % Sentences.Length].Split(' ').Take(4).Aggregate((a, b) => a + " " + b)}",
                Paragraphs = Enumerable.Range(0, count).Select(_ => Paragraph()).ToArray(),
                // As in real conclusions, now and then a reservation at a paragraph.
                Footnotes = [new Footnote(Math.Min(2, count), "HU: parliamentary scrutiny reservation.")],
            });
        }
        return Demo() with
        {
            MeetingTitle = $"Generated meeting of the European Council ({pages} pages) – Conclusions",
            Sections = sections,
        };
    }
}
