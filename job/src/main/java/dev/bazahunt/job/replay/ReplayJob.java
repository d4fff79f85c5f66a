package dev.bazahunt.job.replay;

import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntPipeline;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.HuntWatermarks;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Replay of exported history: bounded files through the shared hunt pipeline, in BATCH mode.
 *
 * <p>Why BATCH: exports are not sorted (one container per table, rows hours apart). In BATCH mode
 * Flink sorts each keyed input by key and timestamp before CEP and the alert function see it, so the
 * result is exactly that of a time-sorted run whatever the order of rows and files and whatever the
 * parallelism, nothing is late, and timers fire at the end of each key. STREAMING with a watermark
 * bound either drops out-of-order rows as late (small bound) or buffers a day of telemetry (large).
 */
public final class ReplayJob {
    /**
     * Files beyond this size are read in ranges by several readers. Big enough that a range's start-up
     * (open, seek, the cut first line) costs nothing against its reading, small enough to spread a
     * month's export over every slot.
     */
    static final long RANGE_BYTES = 64L << 20;

    private ReplayJob() {}

    /** An environment for replay: BATCH, and no silent Kryo fallback for any record type. */
    public static StreamExecutionEnvironment environment(int parallelism) {
        Configuration config = new Configuration();
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        return env;
    }

    /**
     * @param prefilter drop lines that cannot matter in the file reader, before they are parsed (see
     *     {@link TelemetryFileFormat}); false parses every line, as a naive job would
     * @param rangeBytes uncompressed files larger than this are read in ranges of about this size, in parallel
     */
    public static HuntOutputs build(StreamExecutionEnvironment env, List<Path> files, HuntSettings settings,
            boolean prefilter, long rangeBytes) {
        org.apache.flink.core.fs.Path[] paths = files.stream()
                .map(file -> new org.apache.flink.core.fs.Path(file.toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
        FileSource<SourceLine> source = FileSource.forBulkFileFormat(new TelemetryFileFormat(prefilter), paths)
                .setFileEnumerator(() -> new ByteRangeEnumerator(rangeBytes))
                .build();
        DataStream<TelemetryRecord> telemetry = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "telemetry files")
                .uid("telemetry-files")
                .flatMap(new ParseSourceLines())
                .name("parse defender records")
                .uid("parse-lines")
                // In BATCH mode only the timestamps matter; the bound and idleness are unused.
                .assignTimestampsAndWatermarks(HuntWatermarks.forTelemetry(Duration.ZERO, Duration.ofMinutes(1)))
                .name("event time from Timestamp")
                .uid("event-time");
        return HuntPipeline.attach(telemetry, settings);
    }
}
