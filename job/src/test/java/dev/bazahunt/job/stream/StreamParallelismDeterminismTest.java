package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.replay.ReplayHarness;
import dev.bazahunt.job.testing.AlertRevisions;
import dev.bazahunt.job.testing.BazaCallFleetTelemetry;
import dev.bazahunt.job.testing.KafkaTestClient;
import dev.bazahunt.job.testing.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same fleet telemetry, read from Kafka to its end ({@code --bounded}) at parallelism 1, 2 and 4,
 * gives the same alerts: exactly the planted chains' AlertIds (computed from README's recipe, not by the
 * job's code), each holding the evidence planted for it, with the same final content as a replay of
 * the same messages.
 */
class StreamParallelismDeterminismTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    private static final int CHAINS = 6;

    @TempDir
    Path temp;

    @Test
    void parallelismOneTwoAndFourGiveTheSameAlerts() throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.get();
        KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "fleet-" + run;
        broker.createTopics(4, input);
        BazaCallFleetTelemetry fleet = new BazaCallFleetTelemetry(7L, 20_000, 300, CHAINS,
                Instant.parse("2021-07-20T08:00:00Z"), Duration.ofHours(2));
        client.producePaced(input, fleet.messages().stream()
                .map(message -> new String[] {message.deviceId(), message.body()}).toList(), 1_000_000);

        Map<String, String> atOne = alertsAtParallelism(broker, client, input, 1);
        Map<String, String> planted = BazaCallFleetTelemetry.downloadsAndCorrelations(atOne);
        assertThat(planted.keySet()).hasSize(2 * CHAINS).isEqualTo(fleet.expectedAlertIds());
        assertThat(BazaCallFleetTelemetry.ExpectedAlert.of(planted)).isEqualTo(fleet.expectedAlerts());
        // The rest of the pack runs too: each chain's "&& copy" of certutil is an Excel Macro Execution hit,
        // and each chain's device gets one campaign incident; the benign fleet raises nothing.
        assertThat(BazaCallFleetTelemetry.alertsPerRule(atOne)).isEqualTo(fleet.expectedAlertsPerRule());
        Path file = temp.resolve("fleet.jsonl");
        Files.write(file, fleet.messages().stream().map(BazaCallFleetTelemetry.Message::body).toList());
        assertThat(atOne).as("live equals replay for rows in event-time order")
                .isEqualTo(AlertRevisions.latest(ReplayHarness.replay(List.of(file), Duration.ofMinutes(30), 2).alerts()));
        assertThat(alertsAtParallelism(broker, client, input, 2)).isEqualTo(atOne);
        assertThat(alertsAtParallelism(broker, client, input, 4)).isEqualTo(atOne);
    }

    private static Map<String, String> alertsAtParallelism(LocalKafkaBroker broker, KafkaTestClient client, String input,
            int parallelism) throws Exception {
        String alerts = input + "-alerts-p" + parallelism;
        broker.createTopics(2, alerts, alerts + "-dead-letters");
        StreamSettings settings = StreamCommand.settings(new String[] {
                "--bootstrap-servers", broker.bootstrapServers(), "--input-topic", input, "--alerts-topic", alerts,
                "--dead-letter-topic", alerts + "-dead-letters", "--group-id", alerts, "--starting-offsets", "earliest",
                "--bounded", "--checkpoint-interval", "1s", "--idleness", "1s",
                "--parallelism", String.valueOf(parallelism)}, Map.of());
        StreamExecutionEnvironment env = KafkaHuntJob.environment(settings);
        KafkaHuntJob.build(env, settings);
        env.execute("bazahunt stream at parallelism " + parallelism);
        List<String> committed = client.readCommitted(alerts, Duration.ofSeconds(2)).stream()
                .map(KafkaTestClient.Message::value).toList();
        AlertRevisions.assertEachRevisionWrittenOnce(committed);
        return AlertRevisions.latest(committed);
    }
}
