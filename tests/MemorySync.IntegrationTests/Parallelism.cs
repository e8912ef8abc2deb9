// Each test class is a collection of its own unless it joins a shared fixture's (a silo process, a two-silo cluster),
// and two collections run at a time: every collection brings its own silos, database and Redis key prefix, so any two
// can run side by side, and on the two cores these suites run on, a third would only queue and stretch the deadlines
// the tests wait with. The tests of one collection run one after another.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 2)]
