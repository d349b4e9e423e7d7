using BriefingRoom.Voting;

namespace BriefingRoom.Coalitions;

/// <summary>
/// How a coalition statement names its support, in the words of European Council texts ("Text firmly supported by
/// 26 Heads of State or Government", 6 March 2025): member states counted, guests named after them. The one place
/// this wording lives; the browser and the PDF export show it as given.
/// </summary>
public static class CoalitionWording
{
    /// <summary>Country names that take "the" in running English text.</summary>
    private static readonly string[] s_withArticle = ["United ", "Republic ", "Kingdom ", "Democratic ", "Federal ", "Holy See", "Netherlands", "Philippines", "Principality ", "Grand Duchy "];

    public static string Of(int memberStates, IEnumerable<string> guestNames)
    {
        var guests = DecisionWording.Names([.. guestNames.OrderBy(n => n, StringComparer.Ordinal).Select(WithArticle)]);
        var heads = memberStates == 1 ? "1 head of state or government" : $"{memberStates} heads of state or government";
        return (memberStates, guests.Length) switch
        {
            (0, 0) => "Not yet supported by any head of state or government",
            (0, _) => $"Firmly supported by {guests}",
            (_, 0) => $"Firmly supported by {heads}",
            _ => $"Firmly supported by {heads} and by {guests}",
        };
    }

    /// <summary>
    /// The sentence by which the conclusions refer to a statement published as a document of its own, as on
    /// 6 March 2025 (EUCO 6/25): "The text set out in document EUCO 10/25 was firmly supported by 26 Heads of State
    /// or Government." The capitals are those of the conclusions' own text.
    /// </summary>
    public static string CrossReference(string documentNumber, int memberStates, IEnumerable<string> guestNames)
    {
        var guests = DecisionWording.Names([.. guestNames.OrderBy(n => n, StringComparer.Ordinal).Select(WithArticle)]);
        var heads = memberStates == 1 ? "1 Head of State or Government" : $"{memberStates} Heads of State or Government";
        var text = $"The text set out in document {documentNumber}";
        return (memberStates, guests.Length) switch
        {
            (0, 0) => $"{text} has not yet been supported by any Head of State or Government.",
            (0, _) => $"{text} was firmly supported by {guests}.",
            (_, 0) => $"{text} was firmly supported by {heads}.",
            _ => $"{text} was firmly supported by {heads} and by {guests}.",
        };
    }

    public static string WithArticle(string name) =>
        s_withArticle.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) ? "the " + name : name;
}
