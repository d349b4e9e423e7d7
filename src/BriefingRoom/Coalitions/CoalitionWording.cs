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

    public static string WithArticle(string name) =>
        s_withArticle.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) ? "the " + name : name;
}
