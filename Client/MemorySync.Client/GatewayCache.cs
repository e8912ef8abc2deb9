namespace MemorySync.Client;

/// <summary>
/// The last gateway list a client read from Redis, one gateway address a line. It holds addresses only, never a
/// login, so it needs no protection beyond the folder it lives in.
/// </summary>
internal sealed class GatewayCache(string path)
{
    public string Path { get; } = path;

    public IReadOnlyList<Uri> Load()
    {
        try
        {
            return [.. File.ReadAllLines(Path).Where(line => Uri.TryCreate(line, UriKind.Absolute, out _)).Select(line => new Uri(line))];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public void Save(IEnumerable<Uri> gateways)
    {
        var lines = gateways.Select(gateway => gateway.ToString()).Order(StringComparer.Ordinal).ToList();
        try
        {
            if (File.Exists(Path) && File.ReadAllLines(Path).SequenceEqual(lines))
            {
                return;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            // Written aside and renamed, so a process reading it never sees half a list.
            var staging = $"{Path}.{Environment.ProcessId}.tmp";
            File.WriteAllLines(staging, lines);
            File.Move(staging, Path, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written costs only the fallback; the live list still works.
        }
    }
}
