using System.Diagnostics.Metrics;
using System.Text;

namespace MemorySync.Silo.Metrics;

/// <summary>
/// Listens to MemorySync's and Orleans' meters and writes them in the Prometheus text format, each with help text,
/// in base units and snake_case, so that `promtool check metrics` accepts the page. Our own exposition rather than
/// the OpenTelemetry exporter, because that one passes Orleans' meters through as they are (no help text,
/// milliseconds, camelCase labels), which promtool rejects.
/// </summary>
internal sealed class PrometheusExposition : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] BytesBuckets = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];
    private static readonly double[] PlainBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, MetricFamily> _families = [];
    private readonly Lock _gate = new();

    public PrometheusExposition()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (IsExposed(instrument.Meter.Name))
            {
                var family = Describe(instrument);
                lock (_gate)
                {
                    _families[instrument] = family;
                }

                // The family rides along as the instrument's state, so a measurement needs no lookup and no shared lock.
                listener.EnableMeasurementEvents(instrument, family);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>The whole page, observable instruments read now.</summary>
    public string Write()
    {
        _listener.RecordObservableInstruments();
        var output = new StringBuilder(16 * 1024);
        List<MetricFamily> families;
        lock (_gate)
        {
            families = [.. _families.Values];
        }

        // Several instruments may map to one name (e.g. the same meter created twice): expose each name once.
        foreach (var family in families.DistinctBy(family => family.Name).OrderBy(family => family.Name, StringComparer.Ordinal))
        {
            family.WriteTo(output);
        }

        return output.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static bool IsExposed(string meterName) =>
        meterName.StartsWith("MemorySync", StringComparison.Ordinal) || meterName.StartsWith("Microsoft.Orleans", StringComparison.Ordinal);

    private static MetricFamily Describe(Instrument instrument)
    {
        var (name, scale) = PrometheusNames.For(instrument.Name, instrument.Unit);
        var kind = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => MetricKind.Counter,
            Histogram<long> or Histogram<int> or Histogram<double> or Histogram<float> => MetricKind.Histogram,
            _ => MetricKind.Gauge,
        };
        if (kind == MetricKind.Counter && name.EndsWith("_total", StringComparison.Ordinal))
        {
            name = name[..^"_total".Length];
        }

        var bounds = name.EndsWith("_seconds", StringComparison.Ordinal) ? SecondsBuckets
            : name.EndsWith("_bytes", StringComparison.Ordinal) ? BytesBuckets : PlainBuckets;
        var help = string.IsNullOrWhiteSpace(instrument.Description)
            ? $"{instrument.Meter.Name} instrument {instrument.Name}{(string.IsNullOrEmpty(instrument.Unit) ? string.Empty : $" ({instrument.Unit})")}."
            : instrument.Description;
        return new MetricFamily(name, help, kind, scale, instrument.IsObservable, kind == MetricKind.Histogram ? bounds : []);
    }
}
