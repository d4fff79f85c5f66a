package dev.bazahunt.job.stream;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Which checkpointing settings live mode sets, given the configuration it runs under. Under
 * {@code flink run} on a cluster whose configuration sets a checkpoint interval, the interval, the mode
 * and everything around them stay the cluster's, unless the command line gives an interval. When the
 * job owns checkpointing (an interval on the command line, or none configured anywhere, as on the
 * embedded cluster of {@code ./bazahunt stream}), it sets the interval and the mode (exactly-once, or
 * at-least-once for at-least-once delivery: no barrier alignment to wait for), and fills
 * in what the configuration leaves open: a timeout, a min pause, tolerable failures and retention on
 * cancellation. Max parallelism is always pinned unless configured: it fixes the key groups that state
 * is stored in, so a later rescale keeps the state. The network buffer timeout is short unless
 * configured (see {@link #DEFAULT_BUFFER_TIMEOUT}).
 */
public final class StreamCheckpointing {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_TOLERABLE_FAILURES = 3;
    public static final int DEFAULT_MAX_PARALLELISM = 128;
    /**
     * How long a network buffer may wait to fill before it is sent (Flink's default is 100 ms). Past
     * the pre-filter and the rules only matches and Excel children cross the network, a trickle, so
     * a short timeout costs no throughput and takes up to 100 ms off every base alert's path.
     */
    public static final Duration DEFAULT_BUFFER_TIMEOUT = Duration.ofMillis(5);

    private StreamCheckpointing() {}

    /** The options to apply on top of {@code existing}; keys absent from the result stay as they are. */
    public static Configuration overrides(ReadableConfig existing, StreamSettings settings) {
        Configuration owned = new Configuration();
        boolean clusterHasInterval = existing.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isPresent();
        if (settings.checkpointInterval() != null || !clusterHasInterval) {
            Duration interval = settings.checkpointInterval() != null ? settings.checkpointInterval() : DEFAULT_INTERVAL;
            owned.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
            // At-least-once output needs no barrier alignment, whose stalls hold up every alert behind them.
            owned.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    settings.delivery() == DeliveryGuarantee.AT_LEAST_ONCE
                            ? CheckpointingMode.AT_LEAST_ONCE : CheckpointingMode.EXACTLY_ONCE);
            setIfAbsent(existing, owned, CheckpointingOptions.CHECKPOINTING_TIMEOUT, DEFAULT_TIMEOUT);
            // At least half an interval of processing between two checkpoints, so slow ones never queue.
            setIfAbsent(existing, owned, CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, interval.dividedBy(2));
            setIfAbsent(existing, owned, CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, DEFAULT_TOLERABLE_FAILURES);
            setIfAbsent(existing, owned, CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        setIfAbsent(existing, owned, PipelineOptions.MAX_PARALLELISM, DEFAULT_MAX_PARALLELISM);
        setIfAbsent(existing, owned, ExecutionOptions.BUFFER_TIMEOUT, DEFAULT_BUFFER_TIMEOUT);
        if (settings.stateDir() != null) {
            StateDirectory state = new StateDirectory(settings.stateDir());
            owned.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, state.checkpoints());
            owned.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, state.savepoints());
            // The checkpoints are what a restart after a crash resumes from.
            owned.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (settings.checkpointDir() != null) {
            owned.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir());
        }
        return owned;
    }

    private static <T> void setIfAbsent(ReadableConfig existing, Configuration owned, ConfigOption<T> option, T value) {
        if (existing.getOptional(option).isEmpty()) {
            owned.set(option, value);
        }
    }
}
