using BenchmarkDotNet.Attributes;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Tests.Conclusions;

namespace BriefingRoom.Benchmarks;

/// <summary>
/// Whole exports, layout and PDF writing, of realistic conclusions of about 50 and 500 pages, each as the app exports
/// it: one recipient's copy (watermark and identifier on every page), with a footnote in every item.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ConclusionsPdfBenchmarks
{
    private readonly PdfSharpConclusionsRenderer _renderer = new();
    private readonly ConclusionsLayoutEngine _layout = new();
    private ConclusionsDocument _document = SampleConclusions.Demo();
    private readonly DocumentCopy _copy = SampleConclusions.Copy();

    [Params(50, 500)]
    public int Pages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _document = SampleConclusions.Generated(Pages);
        var laidOut = _layout.Layout(_document).Pages.Count;
        Console.WriteLine($"// {Pages}-page document lays out on {laidOut} pages");
    }

    [Benchmark]
    public int RenderPdf() => _renderer.Render(_document, _copy).Length;

    [Benchmark]
    public int LayoutOnly() => _layout.Layout(_document).Pages.Count;
}
