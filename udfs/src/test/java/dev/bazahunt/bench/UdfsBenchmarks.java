package dev.bazahunt.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the udfs micro-benchmarks with the GC profiler, so every result shows its allocation rate
 * ({@code gc.alloc.rate.norm}, bytes per operation). Run from the repository root:
 * {@code mvn -B -q -o -pl udfs test-compile exec:exec}. An argument narrows the benchmarks by regex.
 */
public final class UdfsBenchmarks {
    private UdfsBenchmarks() {}

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(args.length > 0 ? args[0] : UdfsBenchmarks.class.getPackageName() + "\\..*Benchmark")
                .addProfiler(GCProfiler.class)
                .forks(1)
                // As every JVM that runs the job (deploy/local/common.sh): the vector module, no index checks, the
                // scan's step loop out of line.
                .jvmArgsAppend("--add-modules=jdk.incubator.vector", "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0",
                        "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,dev.bazahunt.telemetry.VectorRawScan::nextFlag")
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .build();
        new Runner(options).run();
    }
}
