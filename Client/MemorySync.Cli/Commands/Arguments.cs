using System.Globalization;

namespace MemorySync.Cli.Commands;

/// <summary>Parsing of values the command line carries as text.</summary>
internal static class Arguments
{
    /// <summary>"0.1,0.2,..." as floats; the silo checks the dimension and finiteness.</summary>
    public static float[]? Embedding(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new CliInputException($"--embedding: value {i} ('{parts[i]}') is not a number");
            }
        }

        return values;
    }
}
