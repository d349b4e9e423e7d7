namespace BriefingRoom.Data;

/// <summary>Upper bounds on stored text, shared by the schema and by request validation so that the two never disagree.</summary>
public static class Limits
{
    public const int Code = 8;
    public const int ShortText = 200;
    public const int Title = 300;
    public const int Reason = 2_000;
    public const int Description = 10_000;
    /// <summary>A draft or a position text: generous for conclusions, small enough to keep a snapshot quick.</summary>
    public const int Text = 200_000;
    /// <summary>A population table as an administrator loads it: 27 rows and comments, with room to spare.</summary>
    public const int PopulationTableText = 100_000;
    /// <summary>
    /// Items on one meeting's agenda: a Council's list of A items with room to spare. Each is a live text in the meeting's
    /// memory and in every room snapshot.
    /// </summary>
    public const int AgendaItems = 200;
}
