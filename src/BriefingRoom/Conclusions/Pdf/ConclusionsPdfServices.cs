namespace BriefingRoom.Conclusions.Pdf;

public static class ConclusionsPdfServices
{
    /// <summary>
    /// Registers the conclusions renderer for Program.cs (<c>builder.Services.AddConclusionsPdf()</c>).
    /// One instance serves all requests: it holds no per-render state. Limiting how many exports
    /// run at once is the caller's business.
    /// </summary>
    public static IServiceCollection AddConclusionsPdf(this IServiceCollection services)
    {
        services.AddSingleton<IConclusionsRenderer>(_ => new PdfSharpConclusionsRenderer());
        return services;
    }
}
