using BriefingRoom.Drafting.Ot;

namespace BriefingRoom.Tests.Infrastructure;

/// <summary>
/// Typists in convergence tests insert unique [marks], so that a lost or doubled keystroke shows. A mark must never
/// be split by another typist's insertion, so insertions go just outside any mark.
/// </summary>
public static class Marks
{
    public static void InsertOutsideMarks(this RoomClient client, string documentId, int at, string mark) => client.Edit(documentId, text =>
    {
        var i = OutsideMarks(text, Math.Min(at, text.Length));
        return TextOperation.Builder().Retain(i).Insert(mark).Retain(text.Length - i).Build();
    });

    private static int OutsideMarks(string text, int at)
    {
        var open = at == 0 ? -1 : text.LastIndexOf('[', at - 1);
        var close = at == 0 ? -1 : text.LastIndexOf(']', at - 1);
        return open > close ? text.IndexOf(']', at) + 1 : at;
    }
}
