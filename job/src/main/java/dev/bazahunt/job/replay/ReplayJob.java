package dev.bazahunt.job.replay;

import dev.bazahunt.job.cli.ClusterAddress;
import dev.bazahunt.job.pipeline.DeadLetterJson;
import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntPipeline;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.HuntWatermarks;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.telemetry.CsvDateOrder;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.operators.Order;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
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

    static final int REPLAY_RESTART_ATTEMPTS = 2;

    private ReplayJob() {}

    /**
     * An environment for replay: BATCH, and no silent Kryo fallback for any record type. With a
     * {@code jobManager} (HOST:PORT of a session cluster's REST endpoint) the job is submitted there,
     * together with the job jar; otherwise it runs where the CLI runs: embedded in this JVM, or on the
     * cluster of {@code flink run} and of the REST jar API.
     *
     * @param parallelism 0 for the cluster's default (embedded: the number of cores)
     */
    public static StreamExecutionEnvironment environment(int parallelism, ClusterAddress jobManager) {
        return environment(parallelism, jobManager, new Configuration());
    }

    /** The same, on top of the command's Flink configuration ({@code -D} options and config file). */
    public static StreamExecutionEnvironment environment(int parallelism, ClusterAddress jobManager,
            Configuration flinkConfig) {
        Configuration config = new Configuration(flinkConfig);
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        // A bounded job whose failure is mostly deterministic (an unwritable output, a vanished input): retry
        // twice for a lost TaskManager, then fail with the cause, rather than the long exponential back-off a
        // session cluster configures for its streaming jobs.
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, REPLAY_RESTART_ATTEMPTS);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = jobManager == null
                ? StreamExecutionEnvironment.getExecutionEnvironment(config)
                : StreamExecutionEnvironment.createRemoteEnvironment(jobManager.host(), jobManager.port(), config,
                        JobJar.locate());
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        } else if (env instanceof LocalStreamEnvironment) {
            env.setParallelism(Runtime.getRuntime().availableProcessors());
        }
        return env;
    }

    /**
     * Attaches the replay's own sinks. Alerts are few: they are gathered at parallelism 1, sorted there
     * (Flink's sort-partition operator, which spills to disk rather than growing the heap) and written to
     * one file in that order, so the same input gives the same bytes. Dead letters and audit lines can be
     * millions in a dirty month: each subtask streams its own part file.
     */
    public static void writeOutputs(HuntOutputs outputs, ReplayDestinations destinations) {
        outputs.alerts()
                .map(ReplayOutput::of).returns(TypeInformation.of(ReplayOutput.class))
                .name("alert json").uid("replay-alert-output")
                .fullWindowPartition()
                .sortPartition(output -> output.sortKey, Order.ASCENDING)
                .setParallelism(1).name("sort alerts").uid("replay-sort-alerts")
                .map(output -> output.json).returns(Types.STRING).setParallelism(1)
                .name("alert lines").uid("replay-alert-lines")
                .sinkTo(JsonLinesSink.singleFile(destinations.alerts())).setParallelism(1)
                .name("alerts file").uid("replay-alerts-file");
        outputs.deadLetters()
                .map(DeadLetterJson::write).returns(Types.STRING)
                .name("dead letter json").uid("replay-dead-letter-output")
                .sinkTo(JsonLinesSink.partFiles(destinations.deadLetters()))
                .name("dead-letter part files").uid("replay-dead-letter-files");
        if (destinations.exclusionAudit() != null) {
            outputs.exclusionAudit()
                    .sinkTo(JsonLinesSink.partFiles(destinations.exclusionAudit()))
                    .name("exclusion-audit part files").uid("replay-audit-files");
        }
    }

    /**
     * @param prefilter drop lines that cannot matter in the file reader, before they are parsed (see
     *     {@link TelemetryFileFormat}); false parses every line, as a naive job would
     * @param rangeBytes uncompressed files larger than this are read in ranges of about this size, in parallel
     */
    public static HuntOutputs build(StreamExecutionEnvironment env, List<Path> files, HuntSettings settings,
            boolean prefilter, long rangeBytes) {
        return build(env, files, settings, prefilter, rangeBytes, CsvDateOrder.MDY);
    }

    /** @param csvDateOrder how CSV exports' numeric dates are read when a file does not settle it */
    public static HuntOutputs build(StreamExecutionEnvironment env, List<Path> files, HuntSettings settings,
            boolean prefilter, long rangeBytes, CsvDateOrder csvDateOrder) {
        Path[] paths = files.toArray(Path[]::new);
        FileSource<SourceLine> source = FileSource.forBulkFileFormat(new TelemetryFileFormat(
                        TelemetryFileFormat.DEFAULT_MAX_LINE_BYTES, prefilter, csvDateOrder, settings.tuning().extraPrefilterNeedles()), paths)
                .setFileEnumerator(() -> new ByteRangeEnumerator(rangeBytes))
                .build();
        DataStream<TelemetryRecord> telemetry = env
                .fromSource(new SplitAheadFileSource(source), WatermarkStrategy.noWatermarks(), "telemetry files")
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
