// Hangfire keeps some process-wide state, and the machine has two cores: test classes run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
