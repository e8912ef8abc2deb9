namespace MemorySync;

/// <summary>How usable one store is right now.</summary>
public enum StoreState
{
    /// <summary>Answering within its latency budget.</summary>
    Healthy = 0,

    /// <summary>Answering, but slowly or after recent failures.</summary>
    Degraded = 1,

    /// <summary>Not answering.</summary>
    Unhealthy = 2,
}
