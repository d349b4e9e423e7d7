using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using BriefingRoom.Meetings;
using BriefingRoom.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BriefingRoom.Conclusions;

public enum TraceVerdict
{
    /// <summary>The file is, byte for byte, a copy this meeting issued.</summary>
    Authentic,

    /// <summary>The file carries a copy's identifier but is not that copy's bytes: changed since it was issued.</summary>
    Altered,

    /// <summary>A pasted identifier names a copy; without the file nothing can be said about its bytes.</summary>
    Identified,

    /// <summary>Nothing in it leads to a copy issued in this meeting.</summary>
    Unknown,
}

/// <summary>
/// What the app says about a leaked file or identifier: the verdict in words, and the copy it leads to, if any.
/// <paramref name="Copies"/> is every copy of this meeting the file leads to, in the order their identifiers are found
/// (a file put together from several copies carries several); <paramref name="Copy"/> is the first of them.
/// </summary>
public sealed record TraceResultDto(TraceVerdict Verdict, string Message, string? FileSha256, IReadOnlyList<string> IdentifiersFound, ExportedCopyDto? Copy, IReadOnlyList<ExportedCopyDto> Copies)
{
    /// <summary>
    /// For an authentic or identified copy: whether its document, exported now for the same recipient, would print
    /// exactly its text (true), or the text has changed since (false); null when that cannot be said (see
    /// <see cref="ConclusionsService.PrintsTheSameTodayAsync"/>) or for any other verdict.
    /// </summary>
    public bool? SameTextToday { get; init; }
}

/// <summary>
/// Whose copy was it? Only an exact SHA-256 match makes a file an authentic copy: a file that carries a copy's
/// identifier but not its bytes was changed after it was issued (edited, re-saved, or made to look like someone
/// else's), and is reported as such, naming the copy the identifier points to as a lead, not as proof.
/// </summary>
public sealed class CopyTraceService(Data.BriefingDb db, ExportGate gate, ConclusionsService conclusions, IOptions<BriefingOptions> options)
{
    /// <summary>A leaked copy is a few hundred kilobytes; this leaves room for one re-saved with images.</summary>
    public const int MaxUpload = 20 * 1024 * 1024;

    /// <summary>
    /// Reading a Word file's parts, or a PDF's streams (<see cref="PdfStreamBudget"/>), stops here, so that a crafted
    /// file cannot make the server inflate gigabytes.
    /// </summary>
    private const long MaxInflated = 64 * 1024 * 1024;

    public async Task<Outcome<IReadOnlyList<ExportedCopyDto>>> CopiesAsync(MeetingAccess access, CancellationToken ct)
    {
        if (!access.CanExport)
        {
            return new ForbiddenRefusal("Only the secretariat and the chair see the copies issued.");
        }

        var copies = await db.ExportedCopies.AsNoTracking().Where(c => c.MeetingId == access.MeetingId).ToListAsync(ct);
        return Outcome<IReadOnlyList<ExportedCopyDto>>.From([.. copies.OrderByDescending(c => c.IssuedAt).ThenBy(c => c.Id, StringComparer.Ordinal).Select(ExportedCopyDto.From)]);
    }

    public async Task<Outcome<TraceResultDto>> TraceFileAsync(MeetingAccess access, byte[] file, CancellationToken ct)
    {
        if (!access.CanExport)
        {
            return new ForbiddenRefusal("Only the secretariat and the chair trace copies.");
        }

        if (file.Length == 0)
        {
            return new InvalidRefusal("file", "Send the file itself (a PDF or a Word file) as the body of the request.");
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        var exact = await db.ExportedCopies.AsNoTracking().FirstOrDefaultAsync(c => c.MeetingId == access.MeetingId && c.CopySha256 == sha256, ct);
        if (exact is not null)
        {
            var today = await conclusions.PrintsTheSameTodayAsync(access, exact, ct);
            return new TraceResultDto(TraceVerdict.Authentic,
                $"This is the copy of {Describe(exact)} issued to {Recipient(exact)} on {When(exact)}, exported by {exact.ExportedByName}. "
                + "It is byte for byte the file that was issued (SHA-256 " + sha256 + ")." + Today(exact, today),
                sha256, [exact.Id], ExportedCopyDto.From(exact), [ExportedCopyDto.From(exact)]) { SameTextToday = today };
        }

        // Reading an unknown file's text costs CPU like an export does: it waits for the same slots.
        if (!await gate.EnterAsync(options.Value.ExportQueueTimeout, ct))
        {
            return new BusyRefusal("Other exports are running; try again in a few seconds.", options.Value.ExportQueueTimeout);
        }

        IReadOnlyList<string> found;
        bool cutShort;
        try
        {
            (found, cutShort) = await Task.Run(() => IdentifiersIn(file), ct);
        }
        finally
        {
            gate.Exit();
        }

        var candidates = await db.ExportedCopies.AsNoTracking().Where(c => c.MeetingId == access.MeetingId && found.Contains(c.Id)).ToListAsync(ct);
        var copies = found.Select(id => candidates.FirstOrDefault(c => c.Id == id)).OfType<ExportedCopy>().ToList();
        var unread = cutShort
            ? string.Create(CultureInfo.InvariantCulture, $" Its contents unpack to more than {MaxInflated / (1024 * 1024)} MB, more than a trace reads: past that, only its bytes as they are were searched.")
            : "";
        if (copies.Count == 1)
        {
            var copy = copies[0];
            return new TraceResultDto(TraceVerdict.Altered,
                $"Not an authentic copy. The file carries the identifier of the copy of {Describe(copy)} issued to {Recipient(copy)} on {When(copy)}, "
                + "but its bytes are not those of that copy (or of any copy issued in this meeting): it was changed after it was issued. "
                + "The identifier is a lead to that copy, not proof: whoever changed the file may have put it there." + unread,
                sha256, found, ExportedCopyDto.From(copy), [ExportedCopyDto.From(copy)]);
        }

        if (copies.Count > 1)
        {
            // Pages of several copies put together: each recipient is a lead, and naming only one would hide the others.
            var named = string.Join("; ", copies.Select(c => $"the copy of {Describe(c)} issued to {Recipient(c)} on {When(c)} ({c.Id})"));
            return new TraceResultDto(TraceVerdict.Altered,
                $"Not an authentic copy. The file carries the identifiers of {copies.Count} copies: {named}. "
                + "Its bytes are not those of any copy issued in this meeting: it was changed after they were issued, or put together from them. "
                + "The identifiers are leads to those copies, not proof: whoever changed the file may have put them there." + unread,
                sha256, found, ExportedCopyDto.From(copies[0]), [.. copies.Select(ExportedCopyDto.From)]);
        }

        return new TraceResultDto(TraceVerdict.Unknown,
            found.Count > 0
                ? $"No copy issued in this meeting matches this file. It carries {NoCopysIdentifiers(found)}.{unread}"
                : $"No copy issued in this meeting matches this file, and it carries no copy identifier.{unread}",
            sha256, found, null, []);
    }

    /// <summary>
    /// Identifiers of no copy of this meeting, as the message names them: one in full, many counted with the first few.
    /// The answer's list gives them all; a crafted file can carry a million.
    /// </summary>
    private const int IdentifiersNamed = 3;

    private static string NoCopysIdentifiers(IReadOnlyList<string> found) => found.Count switch
    {
        1 => $"{found[0]}, which is not the identifier of a copy of this meeting",
        <= IdentifiersNamed => $"{Api.RequestValidation.FewOf(found, IdentifiersNamed)}, none of them a copy of this meeting's",
        _ => string.Create(CultureInfo.InvariantCulture,
            $"{found.Count:N0} copy identifiers ({Api.RequestValidation.FewOf(found, IdentifiersNamed)}), none of them a copy of this meeting's"),
    };

    public async Task<Outcome<TraceResultDto>> TraceIdentifierAsync(MeetingAccess access, string? identifier, CancellationToken ct)
    {
        if (!access.CanExport)
        {
            return new ForbiddenRefusal("Only the secretariat and the chair trace copies.");
        }

        if (CopyIdentifiers.Normalize(identifier) is not { } id)
        {
            return new InvalidRefusal("identifier", "A copy identifier reads like BR-7K2Q-M9XD-3F8A-ZP4W: \"BR-\" and four groups of four letters or digits.");
        }

        var copy = await db.ExportedCopies.AsNoTracking().FirstOrDefaultAsync(c => c.MeetingId == access.MeetingId && c.Id == id, ct);
        if (copy is null)
        {
            return new TraceResultDto(TraceVerdict.Unknown, $"{id} is not the identifier of a copy issued in this meeting.", null, [id], null, []);
        }

        var today = await conclusions.PrintsTheSameTodayAsync(access, copy, ct);
        return new TraceResultDto(TraceVerdict.Identified,
            $"{id} is the identifier of the copy of {Describe(copy)} issued to {Recipient(copy)} on {When(copy)}, exported by {copy.ExportedByName}. "
            + "Upload the file itself to check that it is that copy unchanged." + Today(copy, today),
            null, [id], ExportedCopyDto.From(copy), [ExportedCopyDto.From(copy)]) { SameTextToday = today };
    }

    /// <summary>Whether the copy is still the current text, in words; nothing when that cannot be said.</summary>
    private static string Today(ExportedCopy copy, bool? same)
    {
        var (what, have) = copy.Document == ExportedDocument.Conclusions ? ("the conclusions", "have") : ("the statement", "has");
        return same switch
        {
            true => $" Its text is still the current one: exported now for the same recipient, {what} would print exactly this text.",
            false => $" Its text is no longer the current one: {what} {have} changed since this copy was issued, and exported now would print a different text.",
            null => "",
        };
    }

    /// <summary>
    /// The copy identifiers a file carries: in a PDF's text (the invisible line on every page) and its document
    /// information, in a Word file's parts (custom properties, hidden text). A file that cannot be read as either is
    /// still searched as bytes. <c>CutShort</c>: its contents unpack to more than <see cref="MaxInflated"/>, and were read
    /// no further.
    /// </summary>
    public static (IReadOnlyList<string> Found, bool CutShort) IdentifiersIn(byte[] file)
    {
        var found = new List<string>();
        var cutShort = false;
        if (file.AsSpan().StartsWith("%PDF"u8))
        {
            var budget = new PdfStreamBudget(MaxInflated);
            try
            {
                using var pdf = UglyToad.PdfPig.PdfDocument.Open(file, new UglyToad.PdfPig.ParsingOptions { FilterProvider = budget });
                foreach (var page in pdf.GetPages())
                {
                    found.AddRange(CopyIdentifiers.In(page.Text));
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A damaged or crafted PDF: what its bytes show is all there is to go on.
            }

            cutShort = budget.Exceeded;
        }
        else if (file.AsSpan().StartsWith("PK"u8))
        {
            cutShort = !InPackage(file, found);
        }

        found.AddRange(CopyIdentifiers.In(Encoding.Latin1.GetString(file)));
        return ([.. found.Distinct(StringComparer.Ordinal)], cutShort);
    }

    /// <summary>Adds the identifiers in a Word file's parts to <paramref name="found"/>; false when it stopped at <see cref="MaxInflated"/>.</summary>
    private static bool InPackage(byte[] file, List<string> found)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
            long inflated = 0;
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)))
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                var buffer = new char[81920];
                var text = new StringBuilder();
                int read;
                while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
                {
                    inflated += read;
                    if (inflated > MaxInflated)
                    {
                        return false;
                    }

                    text.Append(buffer, 0, read);
                }

                found.AddRange(CopyIdentifiers.In(text.ToString()));
            }
        }
        catch (InvalidDataException)
        {
            // Not a readable archive after all.
        }

        return true;
    }

    private static string Describe(ExportedCopy c) =>
        $"{c.DocumentNumber} ({(c.Document == ExportedDocument.Conclusions ? "conclusions" : "statement")}, {(c.Format == ExportFormat.Pdf ? "PDF" : "Word")})";

    private static string Recipient(ExportedCopy c) => $"{c.RecipientName} ({c.RecipientDelegation})";

    private static string When(ExportedCopy c) => c.IssuedAt.UtcDateTime.ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
