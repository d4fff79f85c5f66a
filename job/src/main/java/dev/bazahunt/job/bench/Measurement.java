package dev.bazahunt.job.bench;

/**
 * One contender timed on the small and the large dataset. The steady-state rate subtracts the two,
 * so fixed costs (MiniCluster start, job deployment, JIT warm-up of the first batches, process start
 * for grep) cancel: rate = (N2 - N1) / (t2 - t1).
 */
record Measurement(String name, long smallUnits, double smallSeconds, long largeUnits, double largeSeconds) {
    double steadyRate() {
        return (largeUnits - smallUnits) / (largeSeconds - smallSeconds);
    }

    double endToEndRate() {
        return largeUnits / largeSeconds;
    }
}
