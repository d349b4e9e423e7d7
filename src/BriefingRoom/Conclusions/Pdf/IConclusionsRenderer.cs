namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// Turns conclusions into a PDF. The only seam the rest of the app sees, so that the engine
/// behind it (our layout over PDFsharp today) can be swapped, e.g. for QuestPDF.
/// Implementations are deterministic (same document, same bytes) and safe to call concurrently.
/// </summary>
public interface IConclusionsRenderer
{
    byte[] Render(ConclusionsDocument document);
}
