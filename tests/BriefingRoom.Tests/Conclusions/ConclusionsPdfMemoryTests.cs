using BriefingRoom.Conclusions.Pdf;

namespace BriefingRoom.Tests.Conclusions;

/// <summary>Alone in its collection: other tests allocating at the same time would blur the measure.</summary>
[CollectionDefinition(nameof(ConclusionsPdfMemoryTests), DisableParallelization = true)]
public class ConclusionsPdfMemoryCollection;

[Collection(nameof(ConclusionsPdfMemoryTests))]
public class ConclusionsPdfMemoryTests
{
    [Fact]
    public void RepeatedExportsDoNotGrowTheHeap()
    {
        var renderer = new PdfSharpConclusionsRenderer();
        var document = SampleConclusions.Generated(10);
        for (var i = 0; i < 5; i++) renderer.Render(document);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 30; i++) renderer.Render(document);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        // One export allocates megabytes; a leak of more than about 60 kB per export would show.
        Assert.True(after - before < 2_000_000, $"heap grew by {after - before:N0} bytes over 30 exports");
    }
}
