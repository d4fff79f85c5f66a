package dev.bazahunt.job.bench;

import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntPipeline;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Weighs the live hunt's keyed state per device with open correlation windows, by heap after GC.
 *
 * <p>The hunt runs in STREAMING mode on the heap state backend in this JVM, fed by
 * {@link OpenWindowTelemetry}. While its source pauses with every window open, and again after event
 * time has passed them all, this probe weighs the state two ways:
 * <ul>
 *   <li>the heap: it forces full GCs and reads the used heap. These are live Java objects (CEP's
 *       buffered events and NFA partial matches, the alert function's rows and evidence, timers), what
 *       the heap state backend holds;
 *   <li>a savepoint: it takes one in Flink's canonical format and adds up its files. These are the
 *       serialized bytes, what a checkpoint stores and what the RocksDB state backend (the one
 *       {@code deploy/k8s} configures) keeps per key.
 * </ul>
 * It runs twice, with {@code devices / 10} and {@code devices} devices, and divides the difference by
 * the extra devices, so the MiniCluster's own heap and the savepoint's metadata cancel out.
 */
final class StateSizeProbe {
    private static final long SETTLE_MILLIS = 3_000;

    private StateSizeProbe() {}

    record Weights(long openBytes, long closedBytes, long openSavepointBytes, long closedSavepointBytes) {}

    static void run(int devices, PrintStream out, PrintStream log) throws Exception {
        int few = Math.max(1, devices / 10);
        log.printf("state probe: %,d devices ...%n", few);
        Weights small = weigh(few);
        log.printf("state probe: %,d devices ...%n", devices);
        Weights large = weigh(devices);
        double extra = devices - few;
        out.printf("bazahunt state probe (STREAMING, heap state backend, heap after GC, difference of %,d and %,d devices)%n",
                few, devices);
        out.printf("  used heap, %,9d devices: %,15d bytes with windows open, %,15d after they closed%n",
                few, small.openBytes(), small.closedBytes());
        out.printf("  used heap, %,9d devices: %,15d bytes with windows open, %,15d after they closed%n",
                devices, large.openBytes(), large.closedBytes());
        out.printf("  savepoint,   %,9d devices: %,15d bytes with windows open, %,15d after they closed%n",
                few, small.openSavepointBytes(), small.closedSavepointBytes());
        out.printf("  savepoint,   %,9d devices: %,15d bytes with windows open, %,15d after they closed%n",
                devices, large.openSavepointBytes(), large.closedSavepointBytes());
        out.printf("  per active device, windows open:   %,8d bytes of heap, %,8d bytes serialized (target < 2,048)%n",
                Math.round((large.openBytes() - small.openBytes()) / extra),
                Math.round((large.openSavepointBytes() - small.openSavepointBytes()) / extra));
        out.printf("  per device, after windows closed:  %,8d bytes of heap, %,8d bytes serialized%n",
                Math.round((large.closedBytes() - small.closedBytes()) / extra),
                Math.round((large.closedSavepointBytes() - small.closedSavepointBytes()) / extra));
    }

    private static Weights weigh(int devices) throws Exception {
        OpenWindowTelemetry.windowsOpen = new CountDownLatch(1);
        OpenWindowTelemetry.weighedOpen = new CountDownLatch(1);
        OpenWindowTelemetry.windowsClosed = new CountDownLatch(1);

        Configuration config = new Configuration();
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        config.set(PipelineOptions.GENERIC_TYPES, false); // as the real jobs: a Kryo fallback fails here too
        Path savepoints = Files.createTempDirectory("bazahunt-state-probe");
        // Savepoints go to files, as in production; the JobManager's heap storage caps state at 5 MB.
        config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, savepoints.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);
        // Endless: after the rows, the numbers only tick while the probe weighs; it cancels the job.
        var telemetry = env.fromSequence(0, Long.MAX_VALUE)
                .flatMap(new OpenWindowTelemetry(devices))
                .assignTimestampsAndWatermarks(watermarkOnEveryRow());
        HuntOutputs outputs = HuntPipeline.attach(telemetry,
                new HuntSettings(HuntSettings.DEFAULT_WINDOW, RevisionPolicy.EVERY_CHANGE));
        outputs.alerts().sinkTo(new DiscardingSink<>());
        outputs.deadLetters().sinkTo(new DiscardingSink<>());

        JobClient job = env.executeAsync("bazahunt state probe");
        try {
            OpenWindowTelemetry.windowsOpen.await();
            long open = usedHeapAfterSettling();
            long openSavepoint = savepointBytes(job, savepoints.resolve("open"));
            OpenWindowTelemetry.weighedOpen.countDown();
            OpenWindowTelemetry.windowsClosed.await();
            long closed = usedHeapAfterSettling();
            long closedSavepoint = savepointBytes(job, savepoints.resolve("closed"));
            return new Weights(open, closed, openSavepoint, closedSavepoint);
        } finally {
            job.cancel().get();
            deleteRecursively(savepoints);
        }
    }

    /** Takes a canonical savepoint and returns the size of all its files. */
    private static long savepointBytes(JobClient job, Path directory) throws Exception {
        String location = job.triggerSavepoint(directory.toUri().toString(), SavepointFormatType.CANONICAL).get();
        Path root = location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Emits a watermark with each row, not on a timer: the source pauses on the task thread, where a
     * periodic watermark could not fire, and the probe needs the clock row's watermark to go out.
     */
    private static WatermarkStrategy<TelemetryRecord> watermarkOnEveryRow() {
        return WatermarkStrategy.<TelemetryRecord>forGenerator(context -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(TelemetryRecord record, long timestamp, WatermarkOutput output) {
                if (timestamp != Long.MIN_VALUE) {
                    output.emitWatermark(new Watermark(timestamp - 1));
                }
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }).withTimestampAssigner((record, previous) -> record.eventTimeMillis());
    }

    /** Lets the downstream tasks drain their buffers, then forces full GCs and reads the used heap. */
    private static long usedHeapAfterSettling() throws InterruptedException {
        Thread.sleep(SETTLE_MILLIS);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
