// The cluster (5 nodes + Prometheus + Alertmanager) and the demo smoke test (5 more nodes) each keep a 2-core CI
// machine busy; run them one after the other rather than competing for CPU.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
