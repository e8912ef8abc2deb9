using System.Globalization;

namespace MemorySync.Cli.Commands;

/// <summary>Durations as people type them: <c>90s</c>, <c>15m</c>, <c>12h</c>, <c>30d</c>, <c>2w</c>.</summary>
internal static class Durations
{
    public static TimeSpan Parse(string option, string text)
    {
        var unit = text.Length > 1 ? text[^1] : '\0';
        if (long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 && count <= 100_000)
        {
            switch (unit)
            {
                case 's': return TimeSpan.FromSeconds(count);
                case 'm': return TimeSpan.FromMinutes(count);
                case 'h': return TimeSpan.FromHours(count);
                case 'd': return TimeSpan.FromDays(count);
                case 'w': return TimeSpan.FromDays(7 * count);
            }
        }

        throw new CliInputException($"{option}: '{text}' is not a duration such as 90s, 15m, 12h, 30d or 2w");
    }
}
