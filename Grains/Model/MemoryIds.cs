namespace MemorySync.Model;

/// <summary>
/// The id charset: ASCII letters, digits and <c>. _ : -</c>. Safe as a Redis key part, a SQL value, a file name and a
/// URL segment, with nothing to escape anywhere.
/// </summary>
internal static class MemoryIds
{
    public const string Charset = "A-Z a-z 0-9 . _ : -";

    public static bool IsValid(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value) && value.Length <= maxLength && value.All(IsAllowed);

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';
}
