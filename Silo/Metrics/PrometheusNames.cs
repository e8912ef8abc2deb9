using System.Text;

namespace MemorySync.Silo.Metrics;

/// <summary>
/// OpenTelemetry instrument names and units in Prometheus' conventions: snake_case, base units (seconds, bytes) with
/// the unit as a suffix, counters ending in _total.
/// </summary>
internal static class PrometheusNames
{
    /// <summary>The metric's base name and the factor that turns a measurement into that base unit.</summary>
    public static (string Name, double Scale) For(string instrumentName, string? unit)
    {
        var name = Sanitize(instrumentName);
        var (suffix, scale) = unit switch
        {
            "s" => ("_seconds", 1.0),
            "ms" => ("_seconds", 0.001),
            "us" or "μs" => ("_seconds", 0.000001),
            "By" or "bytes" or "byte" => ("_bytes", 1.0),
            "MB" or "megabytes" => ("_bytes", 1024.0 * 1024.0),
            "KB" or "kilobytes" => ("_bytes", 1024.0),
            "%" or "percent" => ("_percent", 1.0),
            _ => (string.Empty, 1.0),
        };
        foreach (var written in new[] { "_milliseconds", "_megabytes", "_kilobytes" })
        {
            if (name.EndsWith(written, StringComparison.Ordinal))
            {
                name = name[..^written.Length];
            }
        }

        return (name.EndsWith(suffix, StringComparison.Ordinal) ? name : name + suffix, scale);
    }

    /// <summary>snake_case of any name: camelCase split, everything but [a-z0-9_] made an underscore.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0 && (char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1])))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '_');
            }
        }

        var result = builder.ToString();
        while (result.Contains("__", StringComparison.Ordinal))
        {
            result = result.Replace("__", "_", StringComparison.Ordinal);
        }

        result = result.Trim('_');
        return result.Length > 0 && char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }

    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
