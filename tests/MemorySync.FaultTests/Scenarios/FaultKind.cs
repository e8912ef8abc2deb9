namespace MemorySync.FaultTests.Scenarios;

/// <summary>The faults the suite injects while the workload runs.</summary>
public enum FaultKind
{
    /// <summary>Redis killed (SIGKILL) and started again with its append-only file.</summary>
    RedisRestarted,

    /// <summary>Redis killed and started again empty, as after FLUSHALL: working memory and membership are gone.</summary>
    RedisFlushed,

    /// <summary>Redis frozen (SIGSTOP) and thawed (SIGCONT): open connections that answer nothing, as in a partition.</summary>
    RedisPaused,

    /// <summary>PostgreSQL stopped the hard way (immediate shutdown, as a crash) and started again.</summary>
    PostgresRestarted,

    /// <summary>PostgreSQL and all its backends frozen (SIGSTOP) and thawed (SIGCONT): commits hang instead of failing.</summary>
    PostgresPaused,

    /// <summary>One silo killed (SIGKILL) in the middle of batches, then started again.</summary>
    SiloKilled,

    /// <summary>One silo restarted with a failpoint and killed by it right after PostgreSQL committed an eventual write.</summary>
    SiloCrashedAfterCommit,

    /// <summary>As <see cref="SiloCrashedAfterCommit"/>, once Redis took the version and before FAISS did.</summary>
    SiloCrashedAfterRedis,

    /// <summary>As <see cref="SiloCrashedAfterCommit"/>, once both secondary stores took it and before its bookkeeping.</summary>
    SiloCrashedBeforeCompletion,

    /// <summary>As <see cref="SiloCrashedAfterCommit"/>, in a strict write: FAISS and Redis took it, PostgreSQL not yet committed.</summary>
    SiloCrashedInStrictBeforeCommit,

    /// <summary>As <see cref="SiloCrashedAfterCommit"/>, in a strict write: PostgreSQL committed, bookkeeping not written.</summary>
    SiloCrashedInStrictAfterCommit,

    /// <summary>
    /// One silo frozen (SIGSTOP) and thawed (SIGCONT), as in a long GC pause or a stalled VM; frozen past the liveness
    /// window it is declared dead meanwhile, stops by itself when it runs again, and is started again.
    /// </summary>
    SiloPaused,

    /// <summary>
    /// One silo frozen (SIGSTOP) until the outbox has purged every row completed before it froze (longer than
    /// <c>Outbox:RetainCompleted</c>), then thawed: it finds itself declared dead, stops and is started again.
    /// </summary>
    SiloPausedPastRetention,

    /// <summary>
    /// A guest silo's wall clock steps 10 minutes ahead while it serves (libfaketime), as when a machine's time sync
    /// corrects a drifted clock at once, and steps back at the end. Needs a guest silo (<see cref="Cluster.FaultCluster.StartGuestSiloAsync"/>).
    /// </summary>
    SiloClockAhead,

    /// <summary>A guest silo's wall clock steps 10 minutes behind while it serves, as <see cref="SiloClockAhead"/>.</summary>
    SiloClockBehind,

    /// <summary>Every silo killed, every index snapshot deleted, the silos started: the index is rebuilt from PostgreSQL.</summary>
    SnapshotDeleted,

    /// <summary>
    /// Silo 0 and silo 1 cut off from each other, both ways, while both still reach PostgreSQL and Redis (and their
    /// clients reach both); healed after. Needs a cluster on a <see cref="Cluster.NetworkFabric"/>.
    /// </summary>
    SilosPartitioned,

    /// <summary>
    /// Every packet silo 0 sends to silo 1 dropped, while silo 1's still reach silo 0 (a one-way partition); healed
    /// after. Needs a cluster on a <see cref="Cluster.NetworkFabric"/>.
    /// </summary>
    SilosPartitionedOneWay,

    /// <summary>
    /// The harness's clients cut off from the last silo's gateway, both ways, while that silo still reaches the servers
    /// and the other silo; healed after. Needs a cluster on a <see cref="Cluster.NetworkFabric"/>.
    /// </summary>
    ClientCutFromGateway,
}
