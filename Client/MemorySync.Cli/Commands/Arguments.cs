using System.CommandLine.Parsing;
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

    /// <summary>
    /// A strategy by its name only. The default enum parsing also takes a number ("7", naming no strategy) and a
    /// comma-separated list of names, combined bit by bit into whichever strategy the sum happens to be.
    /// </summary>
    public static ConflictStrategy? StrategyName(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        var name = Enum.GetNames<ConflictStrategy>().FirstOrDefault(candidate => string.Equals(candidate, token, StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            result.AddError($"--strategy: '{token}' is not one of {string.Join(", ", Enum.GetNames<ConflictStrategy>())}");
            return null;
        }

        return Enum.Parse<ConflictStrategy>(name);
    }
}
