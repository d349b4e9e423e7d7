using System.IO.Compression;
using System.Runtime.InteropServices;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace BriefingRoom.Conclusions;

/// <summary>
/// The filters PdfPig decodes an uploaded PDF's streams with when a copy is traced, on a budget of bytes for the whole
/// file. A stream's decoded size is known before it is decoded (a Flate stream is inflated once into nothing, counting;
/// LZW and run-length streams are bounded by their length times the most either can expand), and a stream that would
/// take the file past the budget is not decoded: PdfPig stops with <see cref="PdfStreamBudgetExceededException"/>, and
/// the trace goes on with the file's bytes. Without it, a 1 MB upload of compressed zeros took 12 s and left the process
/// 2.6 GB larger; a legal 20 MB one could ask for 20 GB. Image filters are not decoded: reading a page's text needs none.
/// </summary>
internal sealed class PdfStreamBudget(long budget) : IFilterProvider
{
    /// <summary>Most bytes an LZW code of at least 9 bits can stand for (a 4,096-entry table's longest string).</summary>
    private const long LzwMostPerByte = 4096 * 8 / 9 + 1;

    /// <summary>A run-length stream's most: 128 copies of a byte for every two bytes.</summary>
    private const long RunLengthMostPerByte = 64;

    private long _left = budget;

    public bool Exceeded { get; private set; }

    public IReadOnlyList<IFilter> GetFilters(DictionaryToken dictionary) => Budgeted(DefaultFilterProvider.Instance.GetFilters(dictionary));

    public IReadOnlyList<IFilter> GetNamedFilters(IReadOnlyList<NameToken> names) => Budgeted(DefaultFilterProvider.Instance.GetNamedFilters(names));

    public IReadOnlyList<IFilter> GetAllFilters() => Budgeted(DefaultFilterProvider.Instance.GetAllFilters());

    private IFilter[] Budgeted(IReadOnlyList<IFilter> filters) => [.. filters.Select(f => (IFilter)new Counted(f, this))];

    /// <summary>Takes <paramref name="bytes"/> from what is left, or stops the document's reading.</summary>
    private void Spend(long bytes)
    {
        if (bytes > _left)
        {
            Exceeded = true;
            throw new PdfStreamBudgetExceededException();
        }

        _left -= bytes;
    }

    /// <summary>How many bytes a Flate stream inflates to, read into a scratch buffer and dropped; at most one past what is left.</summary>
    private long Inflated(Memory<byte> input)
    {
        var counted = Count(new ZLibStream(Readable(input), CompressionMode.Decompress));
        // Some writers leave out the two-byte zlib header; PdfPig reads those too.
        return counted > 0 ? counted : Count(new DeflateStream(Readable(input), CompressionMode.Decompress));
    }

    private static MemoryStream Readable(Memory<byte> input) =>
        MemoryMarshal.TryGetArray<byte>(input, out var bytes)
            ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
            : new MemoryStream(input.ToArray(), writable: false);

    private long Count(Stream inflating)
    {
        var scratch = new byte[81920];
        long total = 0;
        try
        {
            using (inflating)
            {
                int read;
                while ((read = inflating.Read(scratch)) > 0)
                {
                    total += read;
                    if (total > _left)
                    {
                        break;
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            // Damaged past this point: what came out before is what a lenient reader gets.
        }

        return total;
    }

    private sealed class Counted(IFilter inner, PdfStreamBudget budget) : IFilter
    {
        public bool IsSupported => inner.IsSupported;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
        {
            switch (inner)
            {
                case FlateFilter:
                    budget.Spend(budget.Inflated(input));
                    break;
                case LzwFilter:
                    budget.Spend(input.Length * LzwMostPerByte);
                    break;
                case RunLengthFilter:
                    budget.Spend(input.Length * RunLengthMostPerByte);
                    break;
                case Ascii85Filter or AsciiHexDecodeFilter:
                    // Never longer than what they decode.
                    budget.Spend(input.Length);
                    break;
                default:
                    // Images (fax, JBIG2, JPEG): no page's text needs them, and their size is whatever the stream claims.
                    throw new PdfStreamBudgetExceededException();
            }

            return inner.Decode(input, streamDictionary, filterProvider, filterIndex);
        }
    }
}

/// <summary>An uploaded PDF's streams decode to more than a trace reads.</summary>
internal sealed class PdfStreamBudgetExceededException() : Exception("The PDF's streams decode to more than a trace reads.");
