namespace MemorySync.Configuration;

/// <summary>The Redis connection (section <c>Redis</c>; environment <c>MEMSYNC_Redis__*</c>).</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string such as <c>127.0.0.1:6390</c>. Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Prefix of every key MemorySync writes, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "memsync";
}
