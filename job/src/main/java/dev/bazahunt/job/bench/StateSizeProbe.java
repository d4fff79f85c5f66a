package dev.bazahunt.job.bench;

import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntPipeline;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Weighs the live hunt's keyed state per device with open correlation windows, by heap after GC.
 *
 * <p>The hunt runs in STREAMING mode on the heap state backend in this JVM, fed by
 * {@link OpenWindowTelemetry}. While its source pauses with every window open, and again after event
 * time has passed them all, this probe forces full GCs and reads the used heap. It runs twice, with
 * {@code devices / 10} and {@code devices} devices, and divides the difference by the extra devices, so
 * the MiniCluster's own heap cancels out. Heap bytes are live Java objects (CEP's buffered events and
 * NFA partial matches, the alert function's rows and evidence, timers); serialized state in a
 * checkpoint is smaller.
 */
final class StateSizeProbe {
    private static final long SETTLE_MILLIS = 3_000;

    private StateSizeProbe() {}

    record Weights(long openBytes, long closedBytes) {}

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
        out.printf("  per active device, windows open:   %,8.0f bytes (target < 2,048)%n",
                (large.openBytes() - small.openBytes()) / extra);
        out.printf("  per device, after windows closed:  %,8.0f bytes%n",
                (large.closedBytes() - small.closedBytes()) / extra);
    }

    private static Weights weigh(int devices) throws Exception {
        OpenWindowTelemetry.windowsOpen = new CountDownLatch(1);
        OpenWindowTelemetry.weighedOpen = new CountDownLatch(1);
        OpenWindowTelemetry.windowsClosed = new CountDownLatch(1);
        OpenWindowTelemetry.weighedClosed = new CountDownLatch(1);

        Configuration config = new Configuration();
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        config.set(PipelineOptions.GENERIC_TYPES, false); // as the real jobs: a Kryo fallback fails here too
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);
        var telemetry = env.fromSequence(0, OpenWindowTelemetry.sequenceEnd(devices) - 1)
                .flatMap(new OpenWindowTelemetry(devices))
                .assignTimestampsAndWatermarks(watermarkOnEveryRow());
        HuntOutputs outputs = HuntPipeline.attach(telemetry,
                new HuntSettings(HuntSettings.DEFAULT_WINDOW, RevisionPolicy.EVERY_CHANGE));
        outputs.alerts().sinkTo(new DiscardingSink<>());
        outputs.deadLetters().sinkTo(new DiscardingSink<>());

        JobClient job = env.executeAsync("bazahunt state probe");
        OpenWindowTelemetry.windowsOpen.await();
        long open = usedHeapAfterSettling();
        OpenWindowTelemetry.weighedOpen.countDown();
        OpenWindowTelemetry.windowsClosed.await();
        long closed = usedHeapAfterSettling();
        OpenWindowTelemetry.weighedClosed.countDown();
        job.getJobExecutionResult().get();
        return new Weights(open, closed);
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
