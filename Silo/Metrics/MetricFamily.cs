using System.Globalization;
using System.Text;

namespace MemorySync.Silo.Metrics;

internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One exposed metric and its series (one per label set), aggregated from measurements as they arrive.</summary>
internal sealed class MetricFamily(string name, string help, MetricKind kind, double scale, bool cumulativeObservations, double[] bounds)
{
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string Name { get; } = name;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var scaled = value * scale;
        lock (_gate)
        {
            if (!_series.TryGetValue(labels, out var series))
            {
                series = new Series(bounds.Length);
                _series[labels] = series;
            }

            switch (kind)
            {
                case MetricKind.Histogram:
                    series.Count++;
                    series.Value += scaled;
                    for (var i = 0; i < bounds.Length; i++)
                    {
                        if (scaled <= bounds[i])
                        {
                            series.Buckets[i]++;
                        }
                    }

                    break;
                case MetricKind.Counter when !cumulativeObservations:
                    series.Value += scaled;
                    break;
                default:
                    // Gauges, and observable counters, which report their running total themselves.
                    series.Value = scaled;
                    break;
            }
        }
    }

    public void WriteTo(StringBuilder output)
    {
        lock (_gate)
        {
            if (_series.Count == 0)
            {
                return;
            }

            var exposed = kind == MetricKind.Counter ? Name + "_total" : Name;
            output.Append("# HELP ").Append(exposed).Append(' ').Append(PrometheusNames.EscapeHelp(help)).Append('\n');
            output.Append("# TYPE ").Append(exposed).Append(' ').Append(kind.ToString().ToLowerInvariant()).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            {
                if (kind != MetricKind.Histogram)
                {
                    Sample(output, exposed, labels, series.Value);
                    continue;
                }

                for (var i = 0; i < bounds.Length; i++)
                {
                    Sample(output, Name + "_bucket", Join(labels, $"le=\"{Number(bounds[i])}\""), series.Buckets[i]);
                }

                Sample(output, Name + "_bucket", Join(labels, "le=\"+Inf\""), series.Count);
                Sample(output, Name + "_sum", labels, series.Value);
                Sample(output, Name + "_count", labels, series.Count);
            }
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            pairs.Add($"{PrometheusNames.Sanitize(tag.Key)}=\"{PrometheusNames.EscapeLabelValue(value)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : $"{labels},{extra}";

    private static void Sample(StringBuilder output, string name, string labels, double value)
    {
        output.Append(name);
        if (labels.Length > 0)
        {
            output.Append('{').Append(labels).Append('}');
        }

        output.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Series(int bucketCount)
    {
        public double Value { get; set; }

        public long Count { get; set; }

        public long[] Buckets { get; } = new long[bucketCount];
    }
}
