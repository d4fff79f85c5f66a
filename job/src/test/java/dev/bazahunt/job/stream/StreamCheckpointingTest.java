package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live mode's checkpointing leaves a cluster's settings alone and fills in a safe set when it owns them. */
class StreamCheckpointingTest {
    @TempDir
    Path temp;

    private static StreamSettings settings(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", "127.0.0.1:9092", "--input-topic", "t",
                "--alerts-topic", "a", "--dead-letter-topic", "d"));
        args.addAll(Arrays.asList(extra));
        return StreamCommand.settings(args.toArray(String[]::new), Map.of());
    }

    @Test
    void aClusterThatConfiguresCheckpointingKeepsItsIntervalModeAndEverythingAroundThem() throws Exception {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMinutes(2));
        cluster.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.AT_LEAST_ONCE);
        Configuration owned = StreamCheckpointing.overrides(cluster, settings());
        assertThat(owned.toMap()).containsOnlyKeys(PipelineOptions.MAX_PARALLELISM.key(),
                org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT.key());
        assertThat(owned.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
        assertThat(owned.get(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void withoutAClusterSettingTheJobOwnsCheckpointingAndSetsTimeoutPauseFailuresAndRetention() throws Exception {
        Configuration owned = StreamCheckpointing.overrides(new Configuration(), settings());
        assertThat(owned.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(owned.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE)).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(owned.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(owned.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS)).isEqualTo(Duration.ofSeconds(15));
        assertThat(owned.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(3);
        assertThat(owned.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(owned.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
    }

    @Test
    void atLeastOnceDeliveryCheckpointsWithoutBarrierAlignment() throws Exception {
        assertThat(StreamCheckpointing.overrides(new Configuration(), settings("--delivery", "at-least-once"))
                .get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE)).isEqualTo(CheckpointingMode.AT_LEAST_ONCE);
    }

    @Test
    void anIntervalOnTheCommandLineWinsButTheClustersOtherChoicesStay() throws Exception {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMinutes(2));
        cluster.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(3));
        cluster.set(PipelineOptions.MAX_PARALLELISM, 512);
        Configuration owned = StreamCheckpointing.overrides(cluster, settings("--checkpoint-interval", "5s"));
        assertThat(owned.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(owned.toMap()).doesNotContainKeys(CheckpointingOptions.CHECKPOINTING_TIMEOUT.key(),
                PipelineOptions.MAX_PARALLELISM.key());
        assertThat(owned.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS)).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void aStateDirHoldsTheCheckpointsAndSavepointsOnAnyFlinkFileSystem() throws Exception {
        Configuration owned = StreamCheckpointing.overrides(new Configuration(),
                settings("--state-dir", "s3://bucket/bazahunt"));
        assertThat(owned.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("s3://bucket/bazahunt/checkpoints");
        assertThat(owned.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).isEqualTo("s3://bucket/bazahunt/savepoints");
    }

    @Test
    void theNewestCompleteSavepointOrCheckpointIsWhatAStartResumesFrom() throws Exception {
        StateDirectory state = new StateDirectory(temp.toUri().toString());
        assertThat(state.newestRestorePoint()).isNull();
        Path savepoint = metadata(temp.resolve("savepoints/savepoint-1a2b3c-0123456789ab"), 1_000_000L);
        Path checkpoint = metadata(temp.resolve("checkpoints/4f1e0c7d/chk-12"), 2_000_000L);
        Files.createDirectories(temp.resolve("checkpoints/4f1e0c7d/chk-13")); // in progress: no _metadata yet
        Files.createDirectories(temp.resolve("checkpoints/4f1e0c7d/shared"));
        assertThat(Path.of(java.net.URI.create(state.newestRestorePoint()))).isEqualTo(checkpoint);
        Files.setLastModifiedTime(savepoint.resolve("_metadata"), java.nio.file.attribute.FileTime.fromMillis(3_000_000L));
        assertThat(Path.of(java.net.URI.create(state.newestRestorePoint()))).isEqualTo(savepoint);
    }

    private static Path metadata(Path dir, long modifiedMillis) throws Exception {
        Files.createDirectories(dir);
        Path file = Files.writeString(dir.resolve("_metadata"), "x");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(modifiedMillis));
        return dir;
    }
}
