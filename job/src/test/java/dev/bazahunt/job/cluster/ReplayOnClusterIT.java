package dev.bazahunt.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.replay.ReplayHarness;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.testing.Await;
import dev.bazahunt.job.testing.LocalFlinkCluster;
import dev.bazahunt.job.testing.BazaCallFleetTelemetry;
import dev.bazahunt.job.testing.PrometheusSamples;
import dev.bazahunt.job.testing.PrometheusWatch;
import dev.bazahunt.telemetry.DefenderTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay on a real standalone session cluster (deploy/local/flink-cluster.sh: a JobManager and two
 * TaskManager JVMs), submitted each way a user can: {@code replay --jobmanager}, the REST jar API and
 * {@code flink run}. The job writes its own output, so every way gives the golden file's bytes; a failing
 * replay fails only its job, and a bad command line only its submission: the cluster stays up.
 *
 * <p>An integration test (failsafe, after {@code package}): it ships job/target/*-shaded.jar.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayOnClusterIT {
    private static final Path TELEMETRY = ReplayHarness.TESTDATA.resolve("telemetry").toAbsolutePath();
    private static final Path GOLDEN = ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl");
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static LocalFlinkCluster cluster;
    private static Path jar;

    @BeforeAll
    static void startCluster() throws Exception {
        jar = LocalFlinkCluster.shadedJobJar();
        cluster = LocalFlinkCluster.start(temp.resolve("flink"), 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Run(int code, String stdout, String stderr) {}

    /** {@code ./bazahunt replay --jobmanager …} as the launcher runs it: this JVM is the client. */
    private static Run replayWithJobManager(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--jobmanager", cluster.jobManagerAddress()));
        args.addAll(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String previous = System.setProperty("bazahunt.job.jar", jar.toString());
        try {
            int code = BazahuntCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            if (previous == null) {
                System.clearProperty("bazahunt.job.jar");
            } else {
                System.setProperty("bazahunt.job.jar", previous);
            }
        }
    }

    @Test
    @Order(1)
    void replayWithJobManagerRunsOnTheClusterAndTheJobWritesTheGoldenBytes() throws Exception {
        Path output = temp.resolve("jobmanager/alerts.jsonl");

        Run run = replayWithJobManager("--input", TELEMETRY.toString(), "--output", output.toString(),
                "--parallelism", "2");

        assertThat(run.code()).as(run.stderr()).isZero();
        assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(GOLDEN));
        // The default pre-filter skips the broken line without a needle; the other four are dead-lettered.
        int deadLetters = ReplayHarness.partLines(temp.resolve("jobmanager/alerts.jsonl.dead-letters")).size();
        assertThat(deadLetters).isPositive();
        // The summary comes from the job's accumulators, fetched from the cluster.
        assertThat(run.stderr()).contains("bazahunt replay finished")
                .containsPattern("dead-lettered\\s+" + deadLetters + " -> ");
        assertThat(cluster.get("/jobs/overview").toString()).contains("bazahunt replay");
    }

    @Test
    @Order(2)
    void theRestJarApiAndFlinkRunGiveTheSameBytes() throws Exception {
        Path viaRest = temp.resolve("rest/alerts.jsonl");
        String jobId = cluster.submit(jar, List.of("replay", "--input", TELEMETRY.toString(),
                "--output", viaRest.toString()));
        assertThat(cluster.awaitTermination(jobId, JOB_TIMEOUT)).isEqualTo("FINISHED");
        assertThat(Files.readAllBytes(viaRest)).isEqualTo(Files.readAllBytes(GOLDEN));

        Path viaCli = temp.resolve("cli/alerts.jsonl");
        String output = cluster.flinkCli(List.of("run", "-m", cluster.jobManagerAddress(), "-c",
                BazahuntCli.class.getName(), jar.toString(), "replay", "--input", TELEMETRY.toString(),
                "--output", viaCli.toString(), "--parallelism", "2"));
        Matcher submitted = Pattern.compile("JobID ([0-9a-f]{32})").matcher(output);
        assertThat(submitted.find()).as(output).isTrue();
        // Attached, flink run returns when the job has ended, as ./bazahunt does: the file is complete.
        assertThat(cluster.awaitTermination(submitted.group(1), JOB_TIMEOUT)).isEqualTo("FINISHED");
        assertThat(Files.readAllBytes(viaCli)).isEqualTo(Files.readAllBytes(GOLDEN));
    }

    @Test
    @Order(3)
    void aFailingReplayFailsItsJobWithTheCauseAndLeavesTheClusterUp() throws Exception {
        // No process can create a directory under /proc: the alerts sink fails on a TaskManager.
        String unwritable = "/proc/bazahunt-replay/alerts.jsonl";

        Run run = replayWithJobManager("--input", TELEMETRY.toString(), "--output", unwritable,
                "--dead-letter", temp.resolve("failing-dead-letters").toString());

        assertThat(run.code()).as(run.stderr()).isEqualTo(1);
        Matcher failed = Pattern.compile("job ([0-9a-f]{32}) failed: (.*)").matcher(run.stderr());
        assertThat(failed.find()).as(run.stderr()).isTrue();
        assertThat(failed.group(2)).contains("bazahunt-replay");
        String jobId = failed.group(1);
        assertThat(cluster.awaitTermination(jobId, JOB_TIMEOUT)).isEqualTo("FAILED");
        assertThat(cluster.get("/jobs/" + jobId + "/exceptions").toString()).contains("/proc/bazahunt-replay");

        assertThat(cluster.get("/overview").path("taskmanagers").asInt()).isEqualTo(2);
        assertThat(cluster.status()).contains("jobmanager (pid").contains("taskmanager-1 (pid")
                .contains("taskmanager-2 (pid").contains("2 taskmanager(s) registered")
                .containsPattern("job " + jobId + " FAILED");
    }

    @Test
    @Order(4)
    void aBadCommandLineThroughTheRestJarApiIsRefusedAndTheJobManagerStaysUp() throws Exception {
        // Before, main called System.exit(2) here, inside the JobManager, and the session cluster was gone.
        assertThatThrownBy(() -> cluster.submit(jar, List.of("replay", "--output", temp.resolve("x.jsonl").toString())))
                .hasMessageContaining("missing required option --input");

        assertThat(cluster.get("/overview").path("taskmanagers").asInt()).isEqualTo(2);
        Path output = temp.resolve("after-refusal/alerts.jsonl");
        String jobId = cluster.submit(jar, List.of("replay", "--input", TELEMETRY.toString(), "--output", output.toString()));
        assertThat(cluster.awaitTermination(jobId, JOB_TIMEOUT)).isEqualTo("FINISHED");
        assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(GOLDEN));
    }

    /**
     * Counters as Prometheus sees them, scraped every 200 ms from both TaskManagers while a replay of a
     * generated fleet runs. In BATCH mode each stage (reading and routing, correlation, alerts, campaign
     * incidents, suppression) runs after the one before has ended, and Flink drops a task's metrics when
     * it ends: {@code --hold-metrics} keeps them on the reporter after the stage's input ended, so the
     * last value scraped of every subtask's series is its final one. Those must be what the fleet is
     * known to hold: every line read, the pack's alerts per planted chain, nothing late or from the future,
     * and the same counts as the job's accumulators and as the same file replayed embedded.
     */
    @Test
    @Order(5)
    void prometheusScrapesEveryHuntCounterWithItsFinalValueDuringAReplay() throws Exception {
        int chains = 4;
        BazaCallFleetTelemetry fleet = new BazaCallFleetTelemetry(20211201L, 20_000, 400, chains,
                Instant.parse("2021-07-20T08:00:00Z"), Duration.ofHours(6));
        List<String> lines = new ArrayList<>(fleet.messages().stream().map(BazaCallFleetTelemetry.Message::body).toList());
        List<String> badLines = Files.readAllLines(TELEMETRY.resolve("malformed/bad-lines.jsonl"));
        lines.addAll(lines.size() / 2, badLines);
        Path telemetry = Files.createDirectories(temp.resolve("metrics-input")).resolve("fleet.jsonl");
        Files.write(telemetry, lines, StandardCharsets.UTF_8);
        Path output = temp.resolve("metrics/alerts.jsonl");

        String jobId;
        Map<String, Long> scraped = new TreeMap<>();
        Set<String> seenNames;
        try (PrometheusWatch watch = PrometheusWatch.start(
                List.of(() -> cluster.scrapeTaskManager(1), () -> cluster.scrapeTaskManager(2)), Duration.ofMillis(200))) {
            jobId = cluster.submit(jar, List.of("replay", "--input", telemetry.toString(), "--output", output.toString(),
                    "--parallelism", "2", "--suppress", "1h", "--hold-metrics", "5s"));
            assertThat(cluster.awaitTermination(jobId, JOB_TIMEOUT)).isEqualTo("FINISHED");
            assertThat(watch.scrapes()).as("scrapes answered; failures: %s", watch.failures()).isGreaterThan(20);
            List<String> unseen = new ArrayList<>();
            for (String counter : huntCounters()) {
                Long value = watch.lastValue(PrometheusSamples.huntMetric(counter), "job_id", jobId);
                if (value == null) {
                    unseen.add(counter);
                } else {
                    scraped.put(counter, value);
                }
            }
            assertThat(unseen).as("counters never scraped while their stage ran (longest gap between scrapes of one "
                    + "TaskManager: %s; failures: %s; seen: %s)", watch.longestGap(), watch.failures(), scraped).isEmpty();
            seenNames = watch.names();
            System.out.printf("metrics IT: %d scrapes (longest gap %s), %d lines; final values scraped: %s; lag metrics seen: %s%n",
                    watch.scrapes(), watch.longestGap(), lines.size(), scraped, seenNames.stream()
                            .filter(name -> name.contains("Lag") || name.contains("pending")).toList());
        }

        // What the fleet is known to hold: every line read, the pack's alerts for each planted chain
        // (the download and Excel Macro Execution base alerts, the correlation, the campaign incident),
        // nothing late (BATCH sorts by event time) and nothing from the future (replay has no wall clock).
        Map<String, Integer> perRule = fleet.expectedAlertsPerRule();
        assertThat(scraped).containsEntry(HuntCounter.INPUT_UNITS, (long) lines.size())
                .containsEntry(HuntCounter.BASE_ALERTS, 2L * chains)
                .containsEntry(HuntCounter.CORRELATED_ALERTS, (long) chains)
                .containsEntry(HuntCounter.CAMPAIGN_INCIDENTS, (long) chains)
                .containsEntry(HuntCounter.ALERT_REVISIONS, 4L * chains)
                .containsEntry(HuntCounter.SUPPRESSED, 0L)
                .containsEntry(HuntCounter.LATE, 0L)
                .containsEntry(HuntCounter.FUTURE_RECORDS, 0L);
        assertThat(perRule.values()).containsOnly(chains);
        List<String> alerts = Files.readAllLines(output);
        assertThat(BazaCallFleetTelemetry.alertsPerRule(alertsById(alerts))).isEqualTo(perRule);
        assertThat(scraped.get(HuntCounter.DEAD_LETTERED)).isPositive()
                .isEqualTo(ReplayHarness.partLines(temp.resolve("metrics/alerts.jsonl.dead-letters")).size());
        assertThat(scraped.get(HuntCounter.PREFILTER_SKIPPED)).isPositive();
        assertThat(scraped.get(HuntCounter.MATCHED_ROWS)).isPositive();
        assertThat(scraped.get(HuntCounter.EXCEL_CHILDREN)).isPositive();
        // The same file replayed embedded counts the same, and the job's accumulators (fed by the same
        // increments) agree with what the reporter served.
        ReplayHarness.Replayed embedded = ReplayHarness.replay(List.of(telemetry), Duration.ofMinutes(30), 2, true);
        JsonNode accumulators = cluster.get("/jobs/" + jobId + "/accumulators").path("user-task-accumulators");
        Map<String, Long> accumulated = new java.util.HashMap<>();
        accumulators.forEach(node -> accumulated.put(node.path("name").asText(), Long.parseLong(node.path("value").asText())));
        scraped.forEach((name, value) -> {
            if (METRIC_ONLY.contains(name)) {
                return; // counted inside CEP, whose functions may not add accumulators
            }
            assertThat(value).as("%s, embedded", name).isEqualTo(embedded.summary().count(name));
            assertThat(accumulated.getOrDefault(name, 0L)).as("%s, accumulated", name).isEqualTo(value);
        });
        assertThat(scraped.get(HuntCounter.LINKS)).as("CEP's links of downloads to Excel children").isPositive();
        assertThat(alerts).isEqualTo(embedded.alerts());
        // The dashboard charts the names the reporter really exports (live mode's deserializer counts its
        // source counters under names of their own: StreamMetricsOnClusterIT).
        assertThat(seenNames).containsAll(GrafanaDashboardTest.chartedHuntMetrics().stream()
                        .filter(name -> !name.startsWith(PrometheusSamples.LIVE_SOURCE_METRIC_PREFIX)).toList())
                .contains("flink_taskmanager_job_task_operator_currentEmitEventTimeLag");
    }

    private static final Set<String> METRIC_ONLY = Set.of(HuntCounter.LINKS, HuntCounter.CAMPAIGN_EMAIL_JOINS);

    /** The counters every replay with --suppress registers, with a recordsIn counter per hunted table. */
    private static List<String> huntCounters() {
        List<String> counters = new ArrayList<>(List.of(HuntCounter.INPUT_UNITS, HuntCounter.PREFILTER_SKIPPED,
                HuntCounter.SKIPPED, HuntCounter.DEAD_LETTERED, HuntCounter.REPAIRED_ROWS, HuntCounter.MATCHED_ROWS,
                HuntCounter.EXCLUDED, HuntCounter.EXCEL_CHILDREN, HuntCounter.EXCEL_CHILDREN_OMITTED, HuntCounter.LINKS,
                HuntCounter.LATE, HuntCounter.FUTURE_RECORDS, HuntCounter.BASE_ALERTS, HuntCounter.CORRELATED_ALERTS,
                HuntCounter.ALERT_REVISIONS, HuntCounter.SUPPRESSED, HuntCounter.CAMPAIGN_HITS,
                HuntCounter.CAMPAIGN_EMAIL_JOINS, HuntCounter.CAMPAIGN_INCIDENTS));
        for (DefenderTable table : DefenderTable.hunted()) {
            counters.add(HuntCounter.RECORDS_IN_PREFIX + table.tableName());
        }
        return counters;
    }

    private static Map<String, String> alertsById(List<String> alerts) throws IOException {
        Map<String, String> byId = new TreeMap<>();
        for (String alert : alerts) {
            byId.put(JSON.readTree(alert).path("AlertId").asText(), alert);
        }
        return byId;
    }

    /**
     * A dirty month: far more dead letters than the client's heap could hold. The client runs in its own
     * JVM with a 96 MB heap, as {@code ./bazahunt} starts it; before, it collected every dead letter and
     * would run out of memory here. The job streams them to part files instead.
     */
    @Test
    @Order(6)
    void millionsOfBytesOfDeadLettersNeverReachTheClient() throws Exception {
        int badLines = 600_000;
        Path input = brokenLines(temp.resolve("dirty/broken-export.jsonl"), badLines, "");
        Path output = temp.resolve("dirty/alerts.jsonl");
        Path log = temp.resolve("dirty/client.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-Dbazahunt.job.jar=" + jar, "-cp", System.getProperty("java.class.path")));
        // The module flags Flink's client needs on JDK 17, as this JVM got them.
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-opens") || arg.startsWith("--add-exports")).forEach(command::add);
        command.addAll(List.of(dev.bazahunt.job.BazahuntLauncher.class.getName(), "replay",
                "--jobmanager", cluster.jobManagerAddress(), "--input", input.toString(), "--output", output.toString(),
                "--validate-all", "--parallelism", "2"));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(client.waitFor(5, TimeUnit.MINUTES)).as("the client ends").isTrue();

        String clientLog = Files.readString(log);
        assertThat(client.exitValue()).as(clientLog).isZero();
        assertThat(clientLog).containsPattern("dead-lettered\\s+" + String.format("%,d", badLines));
        long[] letters = partFileLinesAndBytes(temp.resolve("dirty/alerts.jsonl.dead-letters"));
        assertThat(letters[0]).isEqualTo(badLines);
        assertThat(letters[1]).as("more dead-letter bytes than the client's heap").isGreaterThan(96L << 20);
        assertThat(Files.readAllLines(output)).isEmpty();
    }

    /**
     * The TaskManagers' side of a dirty month: a cluster of its own whose two TaskManagers have a 96 MB
     * heap each (64 MB framework, 32 MB task heap) replays broken lines whose dead letters outweigh both
     * heaps together, so at least one TaskManager wrote more dead letters than its heap could hold. It
     * finishes and writes every one; the heap used, scraped every 200 ms, is reported beside them.
     */
    @Test
    @Order(7)
    void taskManagersWithA96MbHeapWriteMoreDeadLettersThanBothHeapsHold() throws Exception {
        int badLines = 320_000;
        // Each dead letter carries a 512-character excerpt of its line.
        Path input = brokenLines(temp.resolve("dirty-tm/broken-export.jsonl"), badLines, "x".repeat(440));
        Path output = temp.resolve("dirty-tm/alerts.jsonl");
        String heapUsed = "flink_taskmanager_Status_JVM_Memory_Heap_Used";
        String heapMax = "flink_taskmanager_Status_JVM_Memory_Heap_Max";
        Map<String, Double> used;
        Map<String, Double> max;
        long started = System.nanoTime();
        try (LocalFlinkCluster small = LocalFlinkCluster.start(temp.resolve("small-heap-flink"), 2, List.of(
                "-D", "taskmanager.memory.framework.heap.size=64m", "-D", "taskmanager.memory.task.heap.size=32m"), Map.of());
                PrometheusWatch watch = PrometheusWatch.start(
                        List.of(() -> small.scrapeTaskManager(1), () -> small.scrapeTaskManager(2)), Duration.ofMillis(200))) {
            String jobId = small.submit(jar, List.of("replay", "--input", input.toString(), "--output", output.toString(),
                    "--validate-all", "--parallelism", "2"));
            assertThat(small.awaitTermination(jobId, Duration.ofMinutes(5))).isEqualTo("FINISHED");
            used = watch.highest(heapUsed, "tm_id");
            max = watch.highest(heapMax, "tm_id");
        }
        long[] letters = partFileLinesAndBytes(temp.resolve("dirty-tm/alerts.jsonl.dead-letters"));
        System.out.printf("TaskManager heap: %,d dead letters, %,d bytes, in %.0f s; heap max %s, highest heap used %s%n",
                letters[0], letters[1], (System.nanoTime() - started) / 1e9, max, used);
        assertThat(max).hasSize(2).allSatisfy((tm, bytes) -> assertThat(bytes).isLessThanOrEqualTo(100.0 * (1 << 20)));
        assertThat(letters[0]).isEqualTo(badLines);
        assertThat(letters[1]).as("more dead-letter bytes than both TaskManagers' heaps")
                .isGreaterThan(Math.round(max.values().stream().mapToDouble(Double::doubleValue).sum()));
        assertThat(Files.readAllLines(output)).isEmpty();
    }

    /**
     * {@code count} lines of JSON cut off after a key, each a dead letter with its excerpt; {@code padding}
     * lengthens each line (in a ProcessCommandLine) when not empty.
     */
    private static Path brokenLines(Path file, int count, String padding) throws IOException {
        Files.createDirectories(file.getParent());
        String field = padding.isEmpty() ? "" : "\"ProcessCommandLine\":\"" + padding + "\",";
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                out.write("{\"Timestamp\":\"2021-07-20T14:02:58.1034567Z\",\"DeviceId\":\"d-" + i + "\"," + field
                        + "\"ReportId\":\n");
            }
        }
        return file;
    }

    /** The lines and bytes of every part file in a directory. */
    private static long[] partFileLinesAndBytes(Path directory) throws IOException {
        long letters = 0;
        long bytes = 0;
        try (var parts = Files.list(directory)) {
            for (Path part : parts.toList()) {
                bytes += Files.size(part);
                try (var lines = Files.lines(part)) {
                    letters += lines.count();
                }
            }
        }
        return new long[] {letters, bytes};
    }

    @Test
    @Order(99)
    void statusTellsTheTaskManagersThatOutliveTheirJobManager() throws Exception {
        long jobManagerPid = Long.parseLong(Files.readString(temp.resolve("flink/pids/jobmanager.pid")).strip());
        ProcessHandle.of(jobManagerPid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(jobManagerPid).ifPresent(process -> process.onExit().join());

        assertThatThrownBy(cluster::status).as("status fails without a JobManager")
                .hasMessageContaining("jobmanager: not running")
                .hasMessageContaining("taskmanager-1 (pid").hasMessageContaining("without a JobManager")
                .hasMessageContaining("taskmanager-2 (pid");
    }
}
