using BriefingRoom.Agenda;
using BriefingRoom.Meetings;
using BriefingRoom.Voting;

namespace BriefingRoom.Demo;

/// <summary>
/// The special European Council of 6 March 2025, as the demo starts: in session, item V agreed by all 27,
/// items I, III and IV opposed by Hungary, Ireland abstaining constructively on IV, the guests on item II.
/// Texts are written in the project's own words from the public record.
/// </summary>
public static class DemoMeeting
{
    public const string Title = "Special meeting of the European Council";
    /// <summary>The number of the conclusions of 6 March 2025 on the public record (EUCO 1/25 is those of 20 March).</summary>
    public const string DocumentNumber = "EUCO 6/25";
    /// <summary>The texts are worked on in session, not yet released: the conclusions carry the Council's LIMITE marking.</summary>
    public const string DistributionMarking = "LIMITE";

    /// <summary>
    /// On the day the Ukraine text, blocked by Hungary, was published apart as EUCO 10/25 and supported by 26: the
    /// secretariat has that number ready for item I, should the chair turn it into a coalition statement.
    /// </summary>
    public const string UkraineStatementNumber = "EUCO 10/25";
    public const string UkraineStatementTitle = "Ukraine";
    public static readonly DateOnly Date = new(2025, 3, 6);
    public const string Place = "Brussels";

    public sealed record DemoDelegation(string Code, string Name, DelegationKind Kind, string Head);

    private static DemoDelegation Member(string code, string head) => new(code, Voting.MemberStates.NameOf(code), DelegationKind.MemberState, head);

    /// <summary>The 27 heads of state or government as they sat on 6 March 2025.</summary>
    public static readonly IReadOnlyList<DemoDelegation> MemberStates =
    [
        Member("BE", "Bart De Wever"),
        Member("BG", "Rosen Zhelyazkov"),
        Member("CZ", "Petr Fiala"),
        Member("DK", "Mette Frederiksen"),
        Member("DE", "Olaf Scholz"),
        Member("EE", "Kristen Michal"),
        Member("IE", "Micheál Martin"),
        Member("EL", "Kyriakos Mitsotakis"),
        Member("ES", "Pedro Sánchez"),
        Member("FR", "Emmanuel Macron"),
        Member("HR", "Andrej Plenković"),
        Member("IT", "Giorgia Meloni"),
        Member("CY", "Nikos Christodoulides"),
        Member("LV", "Evika Siliņa"),
        Member("LT", "Gitanas Nausėda"),
        Member("LU", "Luc Frieden"),
        Member("HU", "Viktor Orbán"),
        Member("MT", "Robert Abela"),
        Member("NL", "Dick Schoof"),
        Member("AT", "Christian Stocker"),
        Member("PL", "Donald Tusk"),
        Member("PT", "Luís Montenegro"),
        Member("RO", "Ilie Bolojan"),
        Member("SI", "Robert Golob"),
        Member("SK", "Robert Fico"),
        Member("FI", "Petteri Orpo"),
        Member("SE", "Ulf Kristersson"),
    ];

    /// <summary>They attend and do not vote (Art. 15(2) TEU, Art. 235(1) TFEU).</summary>
    public static readonly IReadOnlyList<DemoDelegation> Institutions =
    [
        new("COM", "European Commission", DelegationKind.Institution, "Ursula von der Leyen"),
        new("HRVP", "High Representative", DelegationKind.Institution, "Kaja Kallas"),
    ];

    public static readonly IReadOnlyList<DemoDelegation> Guests =
    [
        new("UA", "Ukraine", DelegationKind.Guest, "Volodymyr Zelenskyy"),
        new("UK", "United Kingdom", DelegationKind.Guest, "Keir Starmer"),
        new("NO", "Norway", DelegationKind.Guest, "Jonas Gahr Støre"),
        new("JP", "Japan", DelegationKind.Guest, "Shigeru Ishiba"),
        new("KR", "Republic of Korea", DelegationKind.Guest, "Choi Sang-mok"),
        new("TR", "Türkiye", DelegationKind.Guest, "Recep Tayyip Erdoğan"),
    ];

    public static IEnumerable<DemoDelegation> All => MemberStates.Concat(Institutions).Concat(Guests);

    /// <summary>A stance; <paramref name="Paragraph"/> is the paragraph of the item's draft a reservation applies to.</summary>
    public sealed record DemoStance(string Code, Stance Stance, ReservationKind? Reservation = null, string? ReservationText = null, string? Text = null, int? Paragraph = null);

    /// <summary>An agenda item; <paramref name="Statement"/> is the number and title reserved for its separate statement, if any.</summary>
    public sealed record DemoItem(
        string Title, string Description, DecisionRule Rule, ItemStatus Status, string[] Guests, string[] Paragraphs, DemoStance[] Exceptions,
        Stance Otherwise, (string Number, string Title)? Statement = null);

    public static readonly IReadOnlyList<DemoItem> Items =
    [
        new("Ukraine: strategic interests and the Union's negotiating position",
            "What the Union's interest in Ukraine's victory is, and a mandate for the High Representative to coordinate and speak for the Union in peace talks with Ukraine and the other parties.",
            DecisionRule.Unanimity, ItemStatus.UnderDiscussion, ["UA"],
            [
                "The European Council held an in-depth discussion on the latest developments in Russia's war of aggression against Ukraine, with the participation of President Zelenskyy.",
                "A just and lasting peace that respects Ukraine's independence, sovereignty and territorial integrity within its internationally recognised borders is in the Union's own interest and essential to the security of Europe as a whole.",
                "There can be no negotiations on Ukraine without Ukraine, and no negotiations that affect European security without Europe.",
                "The European Council mandates the High Representative to coordinate the Union's position and to speak for the Union in peace talks with Ukraine and the other parties, in close consultation with the member states.",
                "Any ceasefire or peace agreement must come with robust and credible security guarantees for Ukraine that help deter a renewed Russian aggression.",
            ],
            [
                new("HU", Stance.Oppose, Text: "Hungary will not join conclusions on Ukraine at this meeting. A ceasefire must come first, and the Union should open its own direct channel to Moscow."),
            ],
            Stance.Support,
            Statement: (UkraineStatementNumber, UkraineStatementTitle)),
        new("Security guarantees for Ukraine",
            "Welcome member states joining coalitions of the willing that give Ukraine security guarantees, and bring the United Kingdom, Norway, Japan, the Republic of Korea and Türkiye into the discussion.",
            DecisionRule.Consensus, ItemStatus.UnderDiscussion, ["UA", "UK", "NO", "JP", "KR", "TR"],
            [
                "The European Council welcomes the readiness of member states to join coalitions of the willing that give Ukraine security guarantees, each according to its competences and capabilities and in line with international law.",
                "Such guarantees respect the security and defence policy of certain member states and take into account the security and defence interests of all member states.",
                "The European Council invites the United Kingdom, Norway, Japan, the Republic of Korea and Türkiye to take part in the discussion and to coordinate their contributions with those of the Union and its member states.",
            ],
            [
                new("AT", Stance.SupportWithReservation, ReservationKind.General, "Subject to Austria's constitutional neutrality.", Paragraph: 1),
                new("IE", Stance.SupportWithReservation, ReservationKind.General, "Subject to Ireland's policy of military neutrality.", Paragraph: 1),
                new("MT", Stance.SupportWithReservation, ReservationKind.General, "Subject to Malta's constitutional neutrality.", Paragraph: 1),
                new("HU", Stance.NoPosition),
                new("SK", Stance.NoPosition),
                new("UK", Stance.Support, Text: "The United Kingdom is ready to lead a coalition of the willing, with troops on the ground and aircraft in the air, to uphold a peace agreement."),
            ],
            Stance.Support),
        new("Frozen Russian assets and sanctions",
            "About EUR 200 billion of Russian assets are frozen in European jurisdictions. Transfer the bulk to Ukraine or use it to buy weapons, so that it cannot be released back to Moscow in peace talks; ask the Commission for the legal basis; a new round of sanctions.",
            DecisionRule.Unanimity, ItemStatus.UnderDiscussion, [],
            [
                "Some EUR 200 billion of the Russian central bank's assets are immobilised in European jurisdictions. The extraordinary revenues they generate will not on their own meet Ukraine's needs.",
                "The European Council asks the Commission to set out without delay the legal basis for transferring the bulk of the immobilised assets to Ukraine, or for using them to buy military equipment for Ukraine, so that they cannot be released back to Russia in the course of peace negotiations.",
                "Russia's assets should remain immobilised until Russia ends its war of aggression against Ukraine and compensates it for the damage the war has caused.",
                "The European Council calls for a new package of sanctions, ending visa-free travel for holders of Russian diplomatic passports, restricting further the sale of critical components and cutting Russia's energy revenues.",
            ],
            [
                new("HU", Stance.Oppose, Text: "Hungary opposes any use of the immobilised assets and any new sanctions package before their effect on European economies has been assessed."),
                new("BE", Stance.SupportWithReservation, ReservationKind.Scrutiny, "The legal and financial risks for the central securities depository holding most of the assets must be examined first.", Paragraph: 2),
                new("SK", Stance.SupportWithReservation, ReservationKind.General, "Slovakia asks that energy-related sanctions spare supplies it cannot yet replace.", Paragraph: 4),
            ],
            Stance.Support),
        new("Military support to Ukraine",
            "Adopt the Commission's military support package and set benchmarks of aid per member state, in materiel or its value in money. Neutral states may give non-lethal, financial or humanitarian aid instead. Needs: ammunition, air defence, armoured vehicles.",
            DecisionRule.UnanimityWithConstructiveAbstention, ItemStatus.UnderDiscussion, [],
            [
                "The European Council endorses the Commission's military support package for Ukraine and calls for its swift adoption.",
                "Each member state is invited to contribute according to a benchmark in proportion to its economic weight, in materiel or in its equivalent value, with priority for ammunition, air defence systems and armoured vehicles.",
                "The specific character of the security and defence policy of certain member states is respected: such a member state may meet its benchmark through non-lethal, financial or humanitarian assistance.",
                "The European Council will review progress at its next meeting.",
            ],
            [
                new("HU", Stance.Oppose, Text: "Hungary will not contribute to lethal aid and does not accept benchmarks for it."),
                new("IE", Stance.AbstainConstructively, Text: "Ireland abstains constructively under Article 31(1) TEU: it will not block the package, is not bound to supply lethal aid, and will fund non-lethal and humanitarian assistance instead."),
            ],
            Stance.Support),
        new("European defence",
            "Raise defence spending towards 3.5% of GDP, some EUR 250 billion more a year; exempt defence spending from the deficit rules; borrow jointly as for the COVID-19 recovery; invest in Ukraine's defence industry, which has spare capacity.",
            DecisionRule.Consensus, ItemStatus.Agreed, [],
            [
                "Europe faces a clear and present danger on a scale not seen in the lifetime of most of its citizens. The European Union and its member states will therefore substantially increase their overall defence expenditure, strengthen their defence readiness and reduce their strategic dependencies.",
                "The European Council welcomes the Commission's intention to recommend activating the national escape clause of the Stability and Growth Pact, so that higher defence spending does not breach the deficit rules, with a view to moving towards 3.5% of gross domestic product, some EUR 250 billion more each year across the Union.",
                "It invites the Commission to propose new sources of funding for defence at Union level, including a new instrument lending up to EUR 150 billion to member states from joint borrowing, drawing on the experience of the recovery instrument created after the COVID-19 pandemic.",
                "Investment should go to the capabilities where European cooperation adds most value: air and missile defence, artillery, ammunition and missiles, drones and counter-drone systems, military mobility, cyber, artificial intelligence and electronic warfare.",
                "The European Council underlines the importance of bringing Ukraine's defence industry, which has significant unused production capacity, into the European defence technological and industrial base, and of investing in it directly.",
                "The European Council will return to these matters at its meeting of 20 and 21 March 2025.",
            ],
            [],
            Stance.Support),
    ];
}
