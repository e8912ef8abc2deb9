namespace MemorySync.Configuration;

/// <summary>How pending outbox rows are retried (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>How often each silo looks for due rows.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows claimed per poll.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>The writer's own head start: a new row is not retried before this, since the write itself is applying it.</summary>
    public TimeSpan WriterGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed attempts after which a row is dead-lettered (kept, status "dead", shown by stats and /health).</summary>
    public int MaxRetries { get; set; } = 10;

    /// <summary>The delay after the first failed attempt; each further failure doubles it, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Each delay is spread by up to this fraction either way, so many rows that failed together do not retry together.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>
    /// How long a row stays after its store applied it (status done), for the record; older ones are deleted, so the
    /// outbox holds what is pending plus this much history instead of a row for every write ever made. Zero keeps them all.
    /// </summary>
    public TimeSpan RetainCompleted { get; set; } = TimeSpan.FromHours(1);
}
