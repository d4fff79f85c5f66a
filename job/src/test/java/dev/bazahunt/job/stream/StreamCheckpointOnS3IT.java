package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.storage.FileSystems;
import dev.bazahunt.job.testing.AlertRevisions;
import dev.bazahunt.job.testing.KafkaTestClient;
import dev.bazahunt.job.testing.LauncherProcess;
import dev.bazahunt.job.testing.LocalKafkaBroker;
import dev.bazahunt.job.testing.LocalObjectStore;
import dev.bazahunt.job.testing.TestdataRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live mode checkpoints to {@code s3://} (s3proxy, through the shipped S3 plugin) and restores from
 * that checkpoint: the hunt cancelled after its first checkpoint and resumed from it on s3:// still
 * commits exactly the golden alerts, each revision once.
 */
class StreamCheckpointOnS3IT {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(KafkaStreamTest.fastHeartbeats()).build());
    private static final String BUCKET = "bazahunt-state";

    private static LocalObjectStore store;

    @BeforeAll
    static void startObjectStore() throws Exception {
        store = LocalObjectStore.start(Path.of("target/objectstore-stream-it").toAbsolutePath(), false);
        store.makeBucket(BUCKET);
        // The embedded cluster's TaskManagers share this JVM's file systems. The keys go straight into the
        // configuration here because this JVM's environment cannot be set; the CLI takes them from its own.
        Configuration s3 = new Configuration();
        s3.setString("s3.endpoint", store.s3Endpoint());
        s3.setString("s3.path.style.access", "true");
        s3.setString("s3.access-key", LocalObjectStore.ACCESS_KEY);
        s3.setString("s3.secret-key", LocalObjectStore.SECRET_KEY);
        FileSystems.initialize(s3, LauncherProcess.PLUGINS);
    }

    @AfterAll
    static void stopObjectStore() {
        FileSystem.initialize(new Configuration(), null);
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aCheckpointOnS3IsWhereTheHuntResumesFrom() throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.get();
        KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "telemetry-" + run;
        String alerts = "alerts-" + run;
        broker.createTopics(2, input, alerts, "dead-letters-" + run);
        List<String[]> messages = TestdataRows.oneRowMessagesInEventTimeOrder();
        String checkpoints = "s3://" + BUCKET + "/checkpoints/" + run;

        JobClient first = start(broker, input, alerts, run, checkpoints, null);
        client.produce(input, messages.subList(0, messages.size() / 2), null);
        Path checkpoint = awaitCompletedCheckpoint(run, Duration.ofSeconds(60));
        first.cancel().get();

        String restorePoint = "s3://" + BUCKET + "/" + store.objectFile(BUCKET, "").relativize(checkpoint)
                .toString().replace('\\', '/');
        JobClient second = start(broker, input, alerts, run, checkpoints, restorePoint);
        try {
            client.produce(input, messages.subList(messages.size() / 2, messages.size()), null);
            TestdataRows.produceClockRowsADayLater(client, input, 2); // every window closes
            Map<String, String> golden = AlertRevisions.golden();
            List<String> committed = client.readCommittedUntil(alerts, Duration.ofSeconds(3), Duration.ofSeconds(120),
                    sofar -> AlertRevisions.latest(sofar.stream().map(KafkaTestClient.Message::value).toList())
                            .equals(golden)).stream().map(KafkaTestClient.Message::value).toList();
            AlertRevisions.assertEachRevisionWrittenOnce(committed);
            assertThat(AlertRevisions.latest(committed)).isEqualTo(golden);
        } finally {
            second.cancel().get();
        }
    }

    private static JobClient start(LocalKafkaBroker broker, String input, String alerts, String run, String checkpoints,
            String restoreFrom) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", broker.bootstrapServers(),
                "--input-topic", input, "--alerts-topic", alerts, "--dead-letter-topic", "dead-letters-" + run,
                "--group-id", "s3-" + run, "--starting-offsets", "earliest", "--delivery", "exactly-once",
                "--checkpoint-interval", "1s", "--idleness", "1s", "--parallelism", "2", "--checkpoint-dir", checkpoints));
        if (restoreFrom != null) {
            args.addAll(List.of("--from-savepoint", restoreFrom));
        }
        StreamSettings settings = StreamCommand.settings(args.toArray(String[]::new), Map.of());
        StreamExecutionEnvironment env = KafkaHuntJob.environment(settings);
        KafkaHuntJob.build(env, settings);
        return env.executeAsync("bazahunt stream on s3 checkpoints");
    }

    /** The first checkpoint whose metadata s3proxy holds: a completed checkpoint, retained on cancel. */
    private static Path awaitCompletedCheckpoint(String run, Duration timeout) throws Exception {
        Path root = store.objectFile(BUCKET, "checkpoints/" + run);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    Optional<Path> metadata = walk.filter(p -> p.getFileName().toString().equals("_metadata")).findFirst();
                    if (metadata.isPresent()) {
                        return metadata.get().getParent();
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no completed checkpoint under s3://" + BUCKET + "/checkpoints/" + run);
    }
}
