using OpenTelemetry.Metrics;

namespace BriefingRoom.Hosting;

public static class TelemetrySetup
{
    /// <summary>
    /// Metrics through OpenTelemetry: the app's own meter, ASP.NET Core's (requests, Kestrel, SignalR) and the
    /// runtime's. Exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; readable locally with dotnet-counters.
    /// </summary>
    public static IServiceCollection AddBriefingTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<BriefingMetrics>();
        var otel = services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(BriefingMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation();
            if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                metrics.AddOtlpExporter();
            }
        });
        return services;
    }
}
