namespace MemorySync.Security;

/// <summary>How the caller of a grain call is told apart: a client outside the cluster, or the cluster itself.</summary>
internal static class ClientIds
{
    // Orleans names the silo's own client (behind the HTTP API and MCP) "hosted-<silo address>".
    private const string HostedPrefix = "hosted-";

    /// <summary>
    /// The id of the external client that made a call (observer suffix removed), or null when the caller is inside
    /// the cluster: a grain, a system target or the silo's hosted client.
    /// </summary>
    public static string? ExternalClientOf(GrainId? source)
    {
        if (source is not { } caller || !caller.IsClient())
        {
            return null;
        }

        var key = caller.Key.ToString();
        // A client's observers are "<client key>+<observer>"; they speak for the client.
        var separator = key.IndexOf('+', StringComparison.Ordinal);
        var clientKey = separator < 0 ? key : key[..separator];
        return clientKey.StartsWith(HostedPrefix, StringComparison.Ordinal) ? null : $"{caller.Type}/{clientKey}";
    }

    /// <summary>The id a client announced in its connection preamble, or null when it is not an external client's id.</summary>
    public static string? AnnouncedClient(GrainId announced) => ExternalClientOf(announced);
}
