// Every test runs a cluster of node processes; on a small machine they must not compete for the CPU.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
