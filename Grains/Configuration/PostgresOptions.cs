namespace MemorySync.Configuration;

/// <summary>The PostgreSQL connection (section <c>Postgres</c>; environment <c>MEMSYNC_Postgres__*</c>).</summary>
public sealed class PostgresOptions
{
    public const string SectionName = "Postgres";

    /// <summary>An Npgsql connection string. Required. Never logged: it carries the password.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Connections kept open when idle.</summary>
    public int MinPoolSize { get; set; } = 2;

    /// <summary>Upper bound on open connections from this process.</summary>
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>
    /// Connections that commit memory writes in groups: each takes every write queued while it was busy and commits
    /// them in one transaction (one WAL flush for many grains).
    /// </summary>
    public int GroupCommitConnections { get; set; } = 4;

    /// <summary>Most writes one group commit takes.</summary>
    public int GroupCommitMaxStatements { get; set; } = 128;

    /// <summary>
    /// Most writes waiting for a group commit. A writer that finds the queue full waits for room, up to
    /// <see cref="CommandTimeoutSeconds"/>, then fails with a retryable TimeoutException: a slow PostgreSQL slows writers
    /// down instead of growing the queue without bound.
    /// </summary>
    public int GroupCommitMaxQueued { get; set; } = 4096;

    /// <summary>Seconds before a command is abandoned.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Longest a strict write's transaction may wait, open and idle, for FAISS and Redis to take the write (it holds the
    /// memory's row lock meanwhile). Past it PostgreSQL ends the session and rolls the transaction back
    /// (<c>idle_in_transaction_session_timeout</c>), so a silo that froze or stalled in the middle of a strict write keeps
    /// that memory unwritable for this long at most, not until its process goes away. Above the longest the other stores
    /// may legitimately take: a grain call's response timeout to the index shard plus Redis' timeout.
    /// </summary>
    public int StrictTransactionIdleSeconds { get; set; } = 60;

    /// <summary>Seconds after which a pooled connection is closed and replaced (0: never).</summary>
    public int ConnectionLifetimeSeconds { get; set; } = 600;
}
