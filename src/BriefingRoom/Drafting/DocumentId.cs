using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BriefingRoom.Drafting;

public enum DocumentKind
{
    Draft,
    Position,
}

/// <summary>
/// Names a co-edited text: an item's draft conclusions ("draft:12") or a delegation's position text
/// ("position:12:HU"). Clients and the server use the same strings.
/// </summary>
public readonly record struct DocumentId(DocumentKind Kind, int ItemId, string? DelegationCode)
{
    public static DocumentId Draft(int itemId) => new(DocumentKind.Draft, itemId, null);
    public static DocumentId Position(int itemId, string delegationCode) => new(DocumentKind.Position, itemId, delegationCode);

    public override string ToString() => Kind == DocumentKind.Draft
        ? string.Create(CultureInfo.InvariantCulture, $"draft:{ItemId}")
        : string.Create(CultureInfo.InvariantCulture, $"position:{ItemId}:{DelegationCode}");

    /// <summary>The one spelling of a text named another way ("position:1:fr"), or null when it names none.</summary>
    public static string? Spelling(string? text) =>
        text?.Split(':') is ["position", var item, var code] && TryParse($"position:{item}:{code.ToUpperInvariant()}", out var id) ? id.ToString() : null;

    public static bool TryParse(string? text, [NotNullWhen(true)] out DocumentId? id)
    {
        id = null;
        var parts = text?.Split(':');
        // Only the one spelling the server gives ("draft:1", never "draft:01"): the acknowledgement and the events name
        // the text as ToString does, and a client must find in them the id it sent.
        if (parts is null || parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var itemId) || itemId <= 0
            || parts[1] != itemId.ToString(CultureInfo.InvariantCulture))
        {
            return false;
        }

        switch (parts[0])
        {
            case "draft" when parts.Length == 2:
                id = Draft(itemId);
                return true;
            case "position" when parts.Length == 3 && parts[2].Length is > 0 and <= Data.Limits.Code && parts[2].All(char.IsAsciiLetterUpper):
                id = Position(itemId, parts[2]);
                return true;
            default:
                return false;
        }
    }
}

/// <summary>A co-edited text as of one revision.</summary>
public sealed record TextDocumentDto(string Id, string Text, int Revision);
