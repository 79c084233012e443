// One container cluster at a time: two cores cannot run several three-node clusters side by side without turning
// timing-sensitive faults into noise, and every fixture would need its own subnet anyway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
