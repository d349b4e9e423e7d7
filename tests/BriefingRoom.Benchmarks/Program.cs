using BenchmarkDotNet.Running;
using BriefingRoom.Benchmarks;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Tests.Conclusions;

// "--sample FILE" writes the demo meeting's conclusions, for looking at the design (docs/images).
if (args is ["--sample", var path])
{
    File.WriteAllBytes(path, new PdfSharpConclusionsRenderer().Render(SampleConclusions.Demo()));
    Console.WriteLine($"wrote {path}");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ConclusionsPdfBenchmarks).Assembly).Run(args);
