namespace MemorySync;

/// <summary>
/// One partition of memory ids (key: partition number, 0..Consistency:Partitions-1). A reminder sweeps the partition
/// across PostgreSQL, Redis and FAISS and repairs what differs; operators can also check and repair on demand.
/// </summary>
public interface IConsistencyGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Compares the partition's memories in the three stores now and returns, per memory that differs, the stores that
    /// are missing it, behind, corrupt or holding an orphan (the seed's <c>check_consistency()</c>). Repairs nothing.
    /// </summary>
    [ResponseTimeout("00:30:00")]
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> CheckAsync();

    /// <summary>
    /// Brings each listed store of each listed memory to what PostgreSQL holds, through the memory's own grain, and
    /// says per memory whether it worked (the seed's <c>repair_inconsistencies()</c>). Each repair is recorded.
    /// </summary>
    [ResponseTimeout("00:30:00")]
    Task<IReadOnlyDictionary<string, bool>> RepairAsync(IReadOnlyDictionary<string, IReadOnlyList<string>> inconsistencies);

    /// <summary>Starts a sweep now unless one is running (then it goes on); returns where the partition stands.</summary>
    Task<SweepStatus> SweepNowAsync();

    /// <summary>
    /// Reminder ticks start no sweep for this long (zero resumes them); sweeps asked for with <see cref="SweepNowAsync"/>
    /// still run. For maintenance and for measuring sweeps without the reminders' own ones in between.
    /// </summary>
    Task PauseRemindersAsync(TimeSpan duration);

    /// <summary>Where the partition's sweep stands, and how the last finished one went.</summary>
    Task<SweepStatus> GetStatusAsync();

    /// <summary>Registers the partition's sweep reminder if it has none (silo start-up calls it for every partition).</summary>
    Task EnsureScheduledAsync();
}
