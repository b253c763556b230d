using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tributary.Engine;
using Tributary.Host.Configuration;

namespace Tributary.Host.Composition;

/// <summary>
/// The process's OpenTelemetry providers. Tracing always runs, so every delivery attempt carries the trace it went out in (the
/// correlation id the record trace shows); traces and metrics leave the process only when an OTLP endpoint is configured
/// (<c>telemetry.otlp.endpoint</c>, or the standard OTEL_EXPORTER_OTLP_ENDPOINT). Dispose flushes what is still buffered.
/// </summary>
public sealed class TelemetryProviders : IDisposable
{
    /// <summary>The <c>service.name</c> of everything Tributary exports.</summary>
    public const string ServiceName = "tributary";

    /// <summary>The standard variable the OTLP exporter reads itself when the config names no endpoint.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private readonly TracerProvider _tracing;
    private readonly MeterProvider? _metrics;

    private TelemetryProviders(TracerProvider tracing, MeterProvider? metrics)
    {
        _tracing = tracing;
        _metrics = metrics;
    }

    /// <summary>True when traces and metrics are exported over OTLP.</summary>
    public bool Exporting => _metrics is not null;

    public static TelemetryProviders Start(TributaryConfig config, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var settings = config.Telemetry;
        var exporting = settings.OtlpEndpoint is not null || environment(EndpointVariable) is { Length: > 0 };
        var tracing = Sdk.CreateTracerProviderBuilder().ConfigureResource(r => Describe(r, config)).AddSource(Telemetry.Name);
        if (!exporting)
        {
            return new TelemetryProviders(tracing.Build(), null);
        }

        tracing.AddOtlpExporter(o => Target(o, settings, "v1/traces"));
        var metrics = Sdk.CreateMeterProviderBuilder().ConfigureResource(r => Describe(r, config)).AddMeter(Telemetry.Name)
            .AddOtlpExporter((o, reader) =>
            {
                Target(o, settings, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.OtlpInterval.TotalMilliseconds;
            })
            .Build();
        return new TelemetryProviders(tracing.Build(), metrics);
    }

    private static void Describe(ResourceBuilder resource, TributaryConfig config) =>
        resource.AddService(ServiceName).AddAttributes([new("tributary.pipeline", config.PipelineName)]);

    private static void Target(OtlpExporterOptions options, TelemetryConfig settings, string signalPath)
    {
        if (settings.OtlpEndpoint is not { } endpoint)
        {
            // The exporter read OTEL_EXPORTER_OTLP_* itself (and adds the signal's path for http/protobuf).
            return;
        }

        options.Protocol = settings.OtlpProtocol == TelemetryConfig.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        // An endpoint set in code is used as given: over HTTP the signal's path goes on the collector's base address.
        options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(new Uri(endpoint.ToString().TrimEnd('/') + "/"), signalPath)
            : endpoint;
    }

    public void Dispose()
    {
        _tracing.Dispose();
        _metrics?.Dispose();
    }
}
