// Unit tests share nothing (no servers, no static state), so every class runs in parallel, one thread per core
// (MaxParallelThreads = 0 is xunit's "one per processor").
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 0)]
