package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.testing.AlertRevisions;
import dev.bazahunt.job.testing.KafkaTestClient;
import dev.bazahunt.job.testing.LocalKafkaBroker;
import dev.bazahunt.job.testing.TestdataRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a stop-with-savepoint and restart, then across a crashed task manager and a
 * restart from the last checkpoint, while data flows: the committed alerts still equal the golden set,
 * and no (AlertId, Revision) is written twice.
 */
class KafkaExactlyOnceRestartTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(KafkaStreamTest.fastHeartbeats()).build());

    @TempDir
    Path temp;

    @Test
    void savepointRestartAndTaskManagerCrashLoseNothingAndDuplicateNothing(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.get();
        KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "telemetry-" + run;
        String alerts = "alerts-" + run;
        String deadLetters = "dead-letters-" + run;
        broker.createTopics(2, input, alerts, deadLetters);

        List<String[]> messages = eventHubsMessagesInEventTimeOrder();
        List<String[]> firstHalf = messages.subList(0, messages.size() / 2);
        List<String[]> secondHalf = messages.subList(messages.size() / 2, messages.size());

        JobClient first = start(broker, input, alerts, deadLetters, null);
        client.produce(input, firstHalf, null);
        client.readCommittedUntil(alerts, Duration.ZERO, Duration.ofSeconds(60), committed -> !committed.isEmpty());
        String savepoint = first.stopWithSavepoint(false, temp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();

        JobClient second = start(broker, input, alerts, deadLetters, savepoint);
        try {
            client.produce(input, secondHalf, null);
            int committedBefore = client.readCommitted(alerts, Duration.ofSeconds(1)).size();
            client.readCommittedUntil(alerts, Duration.ZERO, Duration.ofSeconds(60),
                    committed -> committed.size() > committedBefore);
            // Crash the only task manager; the job restarts from its last checkpoint on a new one.
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();
            TestdataRows.produceClockRowsADayLater(client, input, 2); // every window closes
            Map<String, String> golden = AlertRevisions.golden();
            List<String> committed = client.readCommittedUntil(alerts, Duration.ofSeconds(3), Duration.ofSeconds(120),
                    sofar -> AlertRevisions.latest(values(sofar)).equals(golden)).stream()
                    .map(KafkaTestClient.Message::value).toList();

            AlertRevisions.assertEachRevisionWrittenOnce(committed);
            assertThat(AlertRevisions.latest(committed)).isEqualTo(golden);
        } finally {
            second.cancel().get();
        }
    }

    private static List<String> values(List<KafkaTestClient.Message> messages) {
        return messages.stream().map(KafkaTestClient.Message::value).toList();
    }

    private JobClient start(LocalKafkaBroker broker, String input, String alerts, String deadLetters, String savepoint)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", broker.bootstrapServers(), "--input-topic", input,
                "--alerts-topic", alerts, "--dead-letter-topic", deadLetters, "--group-id", "test-" + input,
                "--starting-offsets", "earliest", "--delivery", "exactly-once", "--checkpoint-interval", "500ms",
                "--idleness", "1s", "--parallelism", "2",
                "--checkpoint-dir", temp.resolve("checkpoints").toUri().toString()));
        if (savepoint != null) {
            args.addAll(List.of("--from-savepoint", savepoint));
        }
        StreamSettings settings = StreamCommand.settings(args.toArray(String[]::new), Map.of());
        StreamExecutionEnvironment env = KafkaHuntJob.environment(settings);
        KafkaHuntJob.build(env, settings);
        return env.executeAsync("bazahunt stream restart test");
    }

    private static List<String[]> eventHubsMessagesInEventTimeOrder() throws Exception {
        List<TestdataRows.Row> rows = TestdataRows.inEventTimeOrder(TestdataRows.wellFormedRows());
        List<String[]> messages = new ArrayList<>();
        for (TestdataRows.Row row : rows) {
            messages.add(new String[] {row.deviceId(), TestdataRows.eventHubsMessage(List.of(row))});
        }
        return messages;
    }
}
