namespace BriefingRoom.Conclusions.Pdf;

/// <summary>
/// Turns conclusions into a PDF. The only seam the rest of the app sees, so that the engine
/// behind it (our layout over PDFsharp today) can be swapped, e.g. for QuestPDF.
/// Implementations are deterministic (same document and copy, same bytes) and safe to call concurrently.
/// </summary>
public interface IConclusionsRenderer
{
    /// <summary>The document as a PDF; with a <paramref name="copy"/>, that recipient's copy (watermark and identifier) of it.</summary>
    byte[] Render(ConclusionsDocument document, DocumentCopy? copy = null);
}
