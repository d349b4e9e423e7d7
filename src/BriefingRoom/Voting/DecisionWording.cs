using System.Globalization;

namespace BriefingRoom.Voting;

/// <summary>The plain English the decision rules speak in. Invariant culture, so that tests and exports read the same everywhere.</summary>
internal static class DecisionWording
{
    public static string Names(IReadOnlyList<string> names, int atMost = int.MaxValue)
    {
        if (names.Count > atMost)
        {
            return string.Join(", ", names.Take(atMost)) + $" and {names.Count - atMost} others";
        }
        return names.Count switch
        {
            0 => "",
            1 => names[0],
            _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
        };
    }

    public static string Percent(long part, long whole) =>
        whole == 0 ? "0.00%" : DisplayPercent(part, whole).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// For a side that falls short of a threshold: truncated, not rounded, so that 64.999% reads 64.99% and a
    /// side one person short never reads as reaching the threshold it misses.
    /// </summary>
    public static string PercentShort(long part, long whole) =>
        whole == 0 ? "0.00%" : (Math.Truncate(part * 10_000m / whole) / 100m).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>Rounded to two decimals for display. Decisions never use this figure: they compare integers.</summary>
    public static decimal DisplayPercent(long part, long whole) =>
        Math.Round(part * 100m / whole, 2, MidpointRounding.AwayFromZero);

    /// <summary>A whole number grouped in threes by spaces, as the Council writes populations: 451 028 881.</summary>
    public static string People(long value) =>
        value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', ' ');

    public static string MemberStatesCount(int count) => count == 1 ? "1 member state" : $"{count} member states";

    public static string Outcome(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Adopted => "adopted",
        DecisionOutcome.NotAdopted => "not adopted",
        DecisionOutcome.Pending => "pending",
        _ => "no decision",
    };

    /// <summary>"abstains" for one subject, "abstain" for several.</summary>
    public static string Verb(Stance to, bool plural, Stance from) => (to, plural) switch
    {
        (Stance.Support or Stance.SupportWithReservation, false) => "supports",
        (Stance.Support or Stance.SupportWithReservation, true) => "support",
        (Stance.Abstain, _) when from == Stance.AbstainConstructively =>
            (plural ? "abstain" : "abstains") + " without a formal declaration",
        (Stance.Abstain, false) => "abstains",
        (Stance.Abstain, true) => "abstain",
        (Stance.AbstainConstructively, false) => "abstains constructively",
        (Stance.AbstainConstructively, true) => "abstain constructively",
        (Stance.Oppose, false) => "opposes",
        (Stance.Oppose, true) => "oppose",
        (Stance.NotTakingPart, false) => "does not take part",
        (Stance.NotTakingPart, true) => "do not take part",
        (_, false) => "has not yet said",
        (_, true) => "have not yet said",
    };

    /// <summary>"Germany and France support and Hungary abstains", grouping the changes by what they change to, in order.</summary>
    public static string Changes(IReadOnlyList<StanceChange> changes)
    {
        var groups = changes
            .GroupBy(c => (c.To, FromConstructive: c.To == Stance.Abstain && c.From == Stance.AbstainConstructively))
            .Select(g => $"{Names([.. g.Select(c => c.Name)])} {Verb(g.Key.To, g.Count() > 1, g.First().From)}")
            .ToList();
        return Names(groups);
    }

    public static string Reservation(ReservationKind kind) => kind switch
    {
        ReservationKind.Scrutiny => "a scrutiny reservation",
        ReservationKind.Parliamentary => "a parliamentary reservation",
        _ => "a general reservation",
    };
}
