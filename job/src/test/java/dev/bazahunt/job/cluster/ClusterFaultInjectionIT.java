package dev.bazahunt.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazahunt.job.replay.ReplayHarness;
import dev.bazahunt.job.testing.AlertRevisions;
import dev.bazahunt.job.testing.Await;
import dev.bazahunt.job.testing.BazaCallFleetTelemetry;
import dev.bazahunt.job.testing.KafkaTestClient;
import dev.bazahunt.job.testing.LocalFlinkCluster;
import dev.bazahunt.job.testing.LocalKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar on a standalone Flink cluster (JobManager and TaskManagers as separate JVMs,
 * started by deploy/local/flink-cluster.sh) while a TaskManager JVM is killed with {@code kill -9} three
 * times mid-stream and replaced. Exactly-once must hold across every crash: the read_committed alerts
 * topic ends with exactly the planted chains' alerts, each holding all the evidence planted for it and
 * the same content as a replay of the same messages without faults, and no (AlertId, Revision) is
 * written twice. The cluster's logs stay under target/cluster-fault-injection/.
 *
 * <p>An integration test (failsafe, after {@code package}): it needs job/target/*-shaded.jar.
 */
class ClusterFaultInjectionIT {
    private static final int ROWS = 200_000;
    private static final int CHAINS = 12;
    private static final int KILLS = 3;
    /** Paced so that every kill lands while data still flows. */
    private static final Duration FEED_DURATION = Duration.ofSeconds(150);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void killedTaskManagersLoseNoAlertAndDuplicateNoRevision() throws Exception {
        long testStarted = System.nanoTime();
        Path jar = LocalFlinkCluster.shadedJobJar();
        LocalKafkaBroker broker = LocalKafkaBroker.get();
        KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "defender-" + run;
        String alerts = "alerts-" + run;
        broker.createTopics(2, input, alerts, "dead-letters-" + run);
        BazaCallFleetTelemetry fleet = new BazaCallFleetTelemetry(20210720L, ROWS, 2_000, CHAINS,
                Instant.parse("2021-07-20T08:00:00Z"), Duration.ofHours(6));
        List<String[]> messages = fleet.messages().stream()
                .map(message -> new String[] {message.deviceId(), message.body()}).toList();
        Path work = Files.createTempDirectory(
                Files.createDirectories(Path.of("target", "cluster-fault-injection").toAbsolutePath()), "run-");
        Map<String, String> withoutFaults = replayWithoutFaults(fleet, work.resolve("fleet.jsonl"));

        try (LocalFlinkCluster cluster = LocalFlinkCluster.start(work.resolve("flink"), 2)) {
            String jobId = cluster.submit(jar, List.of("stream",
                    "--bootstrap-servers", broker.bootstrapServers(), "--input-topic", input,
                    "--alerts-topic", alerts, "--dead-letter-topic", "dead-letters-" + run, "--group-id", "it-" + run,
                    "--starting-offsets", "earliest", "--delivery", "exactly-once", "--checkpoint-interval", "2s",
                    "--idleness", "1s", "--parallelism", "2"));
            Await.until("the job runs", Duration.ofSeconds(90), () -> cluster.fullyRunning(jobId));
            System.out.printf("%.0f s: cluster started and job %s running%n", (System.nanoTime() - testStarted) / 1e9, jobId);

            int rate = (int) (messages.size() / FEED_DURATION.toSeconds());
            CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
                try {
                    client.producePaced(input, messages, rate);
                } catch (Exception e) {
                    throw new IllegalStateException("feeding the input topic failed", e);
                }
            });

            List<Duration> recoveries = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                // Two checkpoints complete between crashes, so each recovery restores from a fresh one.
                long checkpoints = cluster.completedCheckpoints(jobId);
                Await.until("two more checkpoints", Duration.ofSeconds(90),
                        () -> cluster.completedCheckpoints(jobId) >= checkpoints + 2);
                int victim = taskManagerRunningTheSource(cluster, jobId);
                long restoresBefore = cluster.restores(jobId);

                long killedAt = System.nanoTime();
                cluster.killTaskManager(victim);
                CompletableFuture<Integer> replacement = CompletableFuture.supplyAsync(() -> {
                    try {
                        return cluster.startTaskManager();
                    } catch (Exception e) {
                        throw new IllegalStateException("starting a replacement TaskManager failed", e);
                    }
                });
                Await.until("recovery from kill " + kill, RECOVERY_TIMEOUT,
                        () -> cluster.restores(jobId) > restoresBefore && cluster.fullyRunning(jobId));
                Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
                recoveries.add(recovery);
                int replacedBy = replacement.join();
                System.out.printf("%.0f s: kill %d: taskmanager-%d killed, running again after %.1f s, replaced by taskmanager-%d%n",
                        (killedAt - testStarted) / 1e9, kill, victim, recovery.toMillis() / 1000.0, replacedBy);
            }
            boolean killsDuringFeed = !feed.isDone();
            feed.join();
            long feedEnded = System.nanoTime();
            // A row a day later on each partition moves event time past every correlation window.
            for (int partition = 0; partition < 2; partition++) {
                client.produce(input, List.<String[]>of(new String[] {"clock",
                        fleet.clockMessage("clock-device-" + partition).body()}), partition);
            }

            List<String> committed = client.readCommittedUntil(alerts, Duration.ofSeconds(5), Duration.ofSeconds(180),
                    sofar -> AlertRevisions.latest(values(sofar)).keySet().equals(fleet.expectedAlertIds())).stream()
                    .map(KafkaTestClient.Message::value).toList();
            long alertsRead = System.nanoTime();
            long consumedMessages = broker.committedMessages("it-" + run);
            cluster.cancel(jobId);

            System.out.printf("fault injection: %d rows in %d Event Hubs messages, %d kills, recovery times %s s,"
                            + " %d alert revisions committed for %d alerts, %d messages consumed (committed offsets),"
                            + " alerts complete %.0f s after the feed ended, %.0f s in all%n",
                    fleet.rowCount(), messages.size(), KILLS,
                    recoveries.stream().map(d -> String.format("%.1f", d.toMillis() / 1000.0)).toList(),
                    committed.size(), fleet.expectedAlertIds().size(), consumedMessages,
                    (alertsRead - feedEnded) / 1e9, (System.nanoTime() - testStarted) / 1e9);

            assertThat(killsDuringFeed).as("every kill happened while the input was still being fed").isTrue();
            assertThat(recoveries).hasSize(KILLS);
            AlertRevisions.assertEachRevisionWrittenOnce(committed);
            Map<String, String> latest = AlertRevisions.latest(committed);
            assertThat(BazaCallFleetTelemetry.alertsPerRule(latest))
                    .as("per chain its download, correlation, Excel Macro Execution hit and campaign incident")
                    .isEqualTo(fleet.expectedAlertsPerRule());
            Map<String, String> planted = BazaCallFleetTelemetry.downloadsAndCorrelations(latest);
            assertThat(planted.keySet())
                    .as("one base and one correlated alert per planted chain, none lost, none extra")
                    .hasSize(2 * CHAINS)
                    .isEqualTo(fleet.expectedAlertIds());
            assertThat(BazaCallFleetTelemetry.ExpectedAlert.of(planted))
                    .as("every alert holds all the rows, files and Excel children planted for it")
                    .isEqualTo(fleet.expectedAlerts());
            assertThat(latest).as("the last revisions equal a replay of the same messages without faults")
                    .isEqualTo(withoutFaults);
        }
        // Passed: the cluster's blobs and jar copies (200 MB) go; its logs stay.
        deleteRecursively(work.resolve("flink/tmp"));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The same messages through replay (BATCH, in this JVM): the alerts a run without crashes gives. */
    private static Map<String, String> replayWithoutFaults(BazaCallFleetTelemetry fleet, Path file) throws Exception {
        Files.write(file, fleet.messages().stream().map(BazaCallFleetTelemetry.Message::body).toList());
        try {
            return AlertRevisions.latest(ReplayHarness.replay(List.of(file), Duration.ofMinutes(30), 2, false).alerts());
        } finally {
            Files.delete(file); // 140 MB; the logs are what a failed run needs
        }
    }

    /** The TaskManager running a source subtask: killing it certainly fails the job over. */
    private static int taskManagerRunningTheSource(LocalFlinkCluster cluster, String jobId) throws Exception {
        String sourceVertex = cluster.get("/jobs/" + jobId).path("vertices").get(0).path("id").asText();
        JsonNode taskManagers = cluster.get("/jobs/" + jobId + "/vertices/" + sourceVertex + "/taskmanagers")
                .path("taskmanagers");
        String resourceId = taskManagers.get(0).path("taskmanager-id").asText();
        assertThat(resourceId).as("TaskManagers are named by flink-cluster.sh").startsWith("taskmanager-");
        return Integer.parseInt(resourceId.substring("taskmanager-".length()));
    }

    private static List<String> values(List<KafkaTestClient.Message> messages) {
        return messages.stream().map(KafkaTestClient.Message::value).toList();
    }
}
