using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace BriefingRoom.Voting;

/// <summary>A member state of the Union: its two-letter code (EL for Greece, as the Council writes it) and its English name.</summary>
public sealed record MemberState(string Code, string Name);

/// <summary>The 27 member states in the Council's protocol order. It seeds the database and is the order lists are shown in.</summary>
public static class MemberStates
{
    public static readonly ImmutableArray<MemberState> All =
    [
        new("BE", "Belgium"),
        new("BG", "Bulgaria"),
        new("CZ", "Czechia"),
        new("DK", "Denmark"),
        new("DE", "Germany"),
        new("EE", "Estonia"),
        new("IE", "Ireland"),
        new("EL", "Greece"),
        new("ES", "Spain"),
        new("FR", "France"),
        new("HR", "Croatia"),
        new("IT", "Italy"),
        new("CY", "Cyprus"),
        new("LV", "Latvia"),
        new("LT", "Lithuania"),
        new("LU", "Luxembourg"),
        new("HU", "Hungary"),
        new("MT", "Malta"),
        new("NL", "Netherlands"),
        new("AT", "Austria"),
        new("PL", "Poland"),
        new("PT", "Portugal"),
        new("RO", "Romania"),
        new("SI", "Slovenia"),
        new("SK", "Slovakia"),
        new("FI", "Finland"),
        new("SE", "Sweden"),
    ];

    private static readonly FrozenDictionary<string, int> s_protocolIndex =
        All.Select((state, index) => (state.Code, index)).ToFrozenDictionary(p => p.Code, p => p.index, StringComparer.Ordinal);

    public static int Count => All.Length;

    public static bool TryGet(string code, [NotNullWhen(true)] out MemberState? state)
    {
        if (s_protocolIndex.TryGetValue(code, out var index))
        {
            state = All[index];
            return true;
        }
        state = null;
        return false;
    }

    public static bool IsMemberState(string code) => s_protocolIndex.ContainsKey(code);

    /// <summary>The English name of a member state code.</summary>
    /// <exception cref="ArgumentException">The code is not one of the 27.</exception>
    public static string NameOf(string code) =>
        TryGet(code, out var state) ? state.Name : throw new ArgumentException($"'{code}' is not a member state code.", nameof(code));

    /// <summary>Position in protocol order, for sorting; unknown codes sort last.</summary>
    internal static int ProtocolIndex(string code) => s_protocolIndex.TryGetValue(code, out var index) ? index : int.MaxValue;
}
