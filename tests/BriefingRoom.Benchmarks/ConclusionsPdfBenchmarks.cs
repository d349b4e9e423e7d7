using BenchmarkDotNet.Attributes;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Tests.Conclusions;

namespace BriefingRoom.Benchmarks;

/// <summary>Whole exports, layout and PDF writing, of realistic conclusions of about 50 and 500 pages.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ConclusionsPdfBenchmarks
{
    private readonly PdfSharpConclusionsRenderer _renderer = new();
    private readonly ConclusionsLayoutEngine _layout = new();
    private ConclusionsDocument _document = SampleConclusions.Demo();

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
    public int RenderPdf() => _renderer.Render(_document).Length;

    [Benchmark]
    public int LayoutOnly() => _layout.Layout(_document).Pages.Count;
}
