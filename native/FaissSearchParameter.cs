using System.Globalization;

namespace MemorySync.Faiss;

/// <summary>One search-time parameter of a FAISS index, such as <c>nprobe</c> = 16.</summary>
public sealed record FaissSearchParameter(string Name, double Value)
{
    /// <summary>
    /// Reads parameters written the way FAISS's ParameterSpace writes them: <c>name=value</c>, several separated by
    /// commas (<c>nprobe=16</c>). An empty text is no parameter. A malformed part throws a <see cref="FormatException"/>
    /// that quotes it; whether the index has such a parameter is FAISS's to say when it is set.
    /// </summary>
    public static IReadOnlyList<FaissSearchParameter> ParseList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var parameters = new List<FaissSearchParameter>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].Length == 0 ||
                !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new FormatException($"'{part}' is not name=number (for example nprobe=16)");
            }

            parameters.Add(new FaissSearchParameter(pair[0], value));
        }

        return parameters;
    }
}
