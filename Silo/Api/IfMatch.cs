using System.Globalization;

namespace MemorySync.Silo.Api;

/// <summary>The version an <c>If-Match</c> header names: <c>"3"</c> (as the ETag gave it), <c>W/"3"</c> or <c>3</c>.</summary>
internal static class IfMatch
{
    public static long? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var value = header.Trim();
        value = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        value = value.Trim('"');
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 0
            ? version
            : throw ApiProblemException.BadInput("If-Match", $"'{header}' is not a version; send the ETag of a read, such as \"3\"");
    }

    public static string ETagOf(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
