using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Proposals;

/// <summary>
/// Where a proposal stands in its text: the span [<see cref="From"/>, <see cref="To"/>) and whether all it held was
/// deleted. <see cref="Map"/> carries it through one operation; wwwroot/js/proposal-spans.js does exactly the same
/// (tests/vectors/proposal-span-vectors.json keeps the two equal).
///
/// Text inserted at the span's edges stays outside it: at the start it goes before the span, at the end after it,
/// so a proposal never swallows words it did not propose to change. An empty span (a proposal to insert, or a span
/// whose text was deleted) is a point, and text inserted exactly there goes before it, unless it replaces the words right
/// after the point (they were after it, and so is their replacement). A span that was not empty and
/// becomes empty had all its text deleted: it is <see cref="Deleted"/> from then on, whatever is typed there later.
/// </summary>
public readonly record struct ProposalSpan(int From, int To, bool Deleted)
{
    public bool IsPoint => From == To;

    public ProposalSpan Map(TextOperation operation)
    {
        if (From == To)
        {
            // Words replaced (or deleted) right after the point were after it: their replacement stays after it too.
            var at = operation.TransformIndex(From, DeletesAt(operation, From) ? CaretAffinity.Before : CaretAffinity.After);
            return new(at, at, Deleted);
        }

        var from = operation.TransformIndex(From, CaretAffinity.After);
        var to = Math.Max(from, operation.TransformIndex(To, CaretAffinity.Before));
        return new(from, to, from == to);
    }

    /// <summary>Whether <paramref name="operation"/> deletes the character that starts at <paramref name="index"/>.</summary>
    private static bool DeletesAt(TextOperation operation, int index)
    {
        var at = 0;
        foreach (var component in operation.Components)
        {
            if (at > index)
            {
                return false;
            }

            if (component.IsDelete && index < at + component.Length)
            {
                return true;
            }

            if (!component.IsInsert)
            {
                at += component.Length;
            }
        }

        return false;
    }
}
