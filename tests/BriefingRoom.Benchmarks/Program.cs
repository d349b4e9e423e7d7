using BenchmarkDotNet.Running;
using BriefingRoom.Benchmarks;
using BriefingRoom.Conclusions.Pdf;
using BriefingRoom.Tests.Conclusions;

// "--sample FILE.pdf" writes the demo meeting's conclusions as one recipient's copy, and beside it the separate
// statement and the Word file, for looking at the design (docs/images).
if (args is ["--sample", var path])
{
    var renderer = new PdfSharpConclusionsRenderer();
    var copy = SampleConclusions.Copy();
    var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path));
    File.WriteAllBytes(path, renderer.Render(SampleConclusions.Demo(), copy));
    File.WriteAllBytes(stem + "-statement.pdf", renderer.Render(SampleConclusions.Statement(), copy));
    File.WriteAllBytes(stem + ".docx", new BriefingRoom.Conclusions.Word.OpenXmlConclusionsWriter().Write(SampleConclusions.Demo(), copy));
    Console.WriteLine($"wrote {path}, {stem}-statement.pdf and {stem}.docx");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ConclusionsPdfBenchmarks).Assembly).Run(args);
