using System.Text;

namespace MemorySync.Cli;

/// <summary>
/// Finds a command-line argument that is not valid UTF-8. .NET decodes the arguments before Main sees them and puts
/// U+FFFD in place of every bad byte, so such an argument would be stored as a different text than the caller sent,
/// without a word. Linux keeps the bytes as they were given in /proc/self/cmdline; elsewhere there is nothing to check.
/// </summary>
internal static class InvalidUtf8Arguments
{
    /// <summary>What is wrong with the first bad argument, or null when every argument is valid UTF-8.</summary>
    public static string? Describe()
    {
        const string CommandLine = "/proc/self/cmdline";
        if (!File.Exists(CommandLine))
        {
            return null;
        }

        var arguments = File.ReadAllBytes(CommandLine).AsSpan().TrimEnd((byte)0);
        var previous = string.Empty;
        foreach (var range in arguments.Split((byte)0))
        {
            var argument = arguments[range];
            if (!StrictUtf8Lines.TryDecode(argument, out var text, out var problem))
            {
                // Named by its option when it is an option's value, else shown (U+FFFD in place of the bad bytes).
                var which = previous.StartsWith("--", StringComparison.Ordinal) ? $"the value of {previous}" : $"the argument '{Shorten(argument)}'";
                return $"{which} is {problem}";
            }

            previous = text;
        }

        return null;
    }

    private static string Shorten(ReadOnlySpan<byte> argument)
    {
        var text = Encoding.UTF8.GetString(argument);
        return text.Length <= 60 ? text : text[..60] + "…";
    }
}
