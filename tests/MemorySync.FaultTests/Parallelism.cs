// The fault scenarios, the partitions, the bad-input properties, the import across a killed silo and the soak are one
// collection (FaultClusterCollection) and run one after another: a fault injected by one would be another's noise,
// and a measured outage must not include another scenario's load. Beside it run only the checker's own unit tests,
// two at a time.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 2)]
