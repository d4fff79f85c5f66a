package dev.bazahunt.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.replay.ReplayHarness;
import dev.bazahunt.job.replay.TelemetryFileFormat;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.testing.Await;
import dev.bazahunt.job.testing.LocalFlinkCluster;
import dev.bazahunt.job.testing.PrometheusSamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
     * Counters as Prometheus sees them, while a replay runs. A bounded task's metrics vanish when it
     * finishes, so the replay reads a named pipe that the test holds open: the reading task has counted
     * every line written and waits, alive, until the test closes the pipe, so its counters can be checked
     * exactly. The file reader hands lines over in whole batches (or at the end of a split), so the test
     * writes whole batches, every line parsed (--validate-all): device A's Event Hubs batches, the
     * malformed lines, and broken lines to fill the batch.
     */
    @Test
    @Order(5)
    void prometheusScrapesTheHuntsCountersFromTheTaskManagersDuringAReplay() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(TELEMETRY.resolve("eventhubs/defender-hub-2021-07-20.jsonl")));
        lines.addAll(Files.readAllLines(TELEMETRY.resolve("malformed/bad-lines.jsonl")));
        for (int filler = 0; lines.size() < TelemetryFileFormat.BATCH_LINES; filler++) {
            lines.add("not json, filler line " + filler);
        }
        Path telemetry = temp.resolve("metrics-input/as-a-file.jsonl");
        Files.createDirectories(telemetry.getParent());
        Files.write(telemetry, lines, StandardCharsets.UTF_8);
        Path fifo = telemetry.resolveSibling("held-open.jsonl");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path output = temp.resolve("metrics/alerts.jsonl");

        String jobId = cluster.submit(jar, List.of("replay", "--input", fifo.toString(), "--output", output.toString(),
                "--validate-all", "--parallelism", "1"));
        // Opening a pipe for writing waits for its reader: the job's file reader on a TaskManager.
        CompletableFuture<OutputStream> writer = CompletableFuture.supplyAsync(() -> {
            try {
                OutputStream out = Files.newOutputStream(fifo);
                out.write(Files.readAllBytes(telemetry));
                out.flush();
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        OutputStream pipe = writer.get(60, TimeUnit.SECONDS);
        Map<String, Long> scraped;
        try {
            try {
                Await.until("every line counted by the reporter", Duration.ofSeconds(60),
                        () -> scrapeHunt().get(HuntCounter.INPUT_UNITS) == lines.size());
            } catch (AssertionError timeout) {
                throw new AssertionError(timeout.getMessage() + "; the reporters served: " + huntLines(1) + " / "
                        + huntLines(2) + "; job " + cluster.get("/jobs/" + jobId).path("state"), timeout);
            }
            scraped = scrapeHunt();
            assertThat(cluster.jobState(jobId)).isEqualTo("RUNNING");
        } finally {
            pipe.close();
        }
        assertThat(cluster.awaitTermination(jobId, JOB_TIMEOUT)).isEqualTo("FINISHED");

        // Device A's Event Hubs batches (its download rows, Excel children and other rows) and the malformed
        // lines: the same counts as the same file replayed embedded, and every line read.
        assertThat(scraped).containsEntry(HuntCounter.INPUT_UNITS, (long) lines.size());
        assertThat(scraped.get(HuntCounter.MATCHED_ROWS)).isPositive();
        assertThat(scraped.get(HuntCounter.DEAD_LETTERED)).isPositive();
        ReplayHarness.Replayed embedded = ReplayHarness.replay(List.of(telemetry), Duration.ofMinutes(30), 1, false);
        scraped.forEach((name, value) -> assertThat(value).as(name).isEqualTo(embedded.summary().count(name)));
        // The metrics and the job's accumulators are fed by the same increments.
        JsonNode accumulators = cluster.get("/jobs/" + jobId + "/accumulators").path("user-task-accumulators");
        Map<String, Long> accumulated = new java.util.HashMap<>();
        accumulators.forEach(node -> accumulated.put(node.path("name").asText(), Long.parseLong(node.path("value").asText())));
        scraped.forEach((name, value) -> assertThat(accumulated).as(name).containsEntry(name, value));
        assertThat(Files.readAllLines(output)).isNotEmpty().isEqualTo(embedded.alerts());
    }

    private static String huntLines(int taskManager) {
        try {
            return cluster.scrapeTaskManager(taskManager).lines().filter(line -> line.contains("bazahunt_"))
                    .filter(line -> !line.startsWith("#")).map(line -> line.replaceAll("\\{.*job_name=\"([^\"]*)\".*\\}", "{$1}"))
                    .toList().toString();
        } catch (Exception e) {
            return "taskmanager-" + taskManager + ": " + e;
        }
    }

    /**
     * The source stage's counters of the running replay, summed over the TaskManagers' endpoints. The
     * reporter writes label values with '_' for blanks: the job "bazahunt replay" is "bazahunt_replay".
     */
    private static Map<String, Long> scrapeHunt() throws Exception {
        PrometheusSamples samples = PrometheusSamples.parse(cluster.scrapeTaskManager(1), cluster.scrapeTaskManager(2));
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String name : List.of(HuntCounter.INPUT_UNITS, HuntCounter.RECORDS_IN_PREFIX + "DeviceFileEvents",
                HuntCounter.RECORDS_IN_PREFIX + "DeviceProcessEvents", HuntCounter.SKIPPED, HuntCounter.DEAD_LETTERED,
                HuntCounter.MATCHED_ROWS, HuntCounter.EXCEL_CHILDREN)) {
            counts.put(name, samples.sum(PrometheusSamples.huntMetric(name), "job_name", "bazahunt_replay"));
        }
        return counts;
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
        Path input = temp.resolve("dirty/broken-export.jsonl");
        Files.createDirectories(input.getParent());
        try (var out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 0; i < badLines; i++) {
                // Cut off after the key: malformed JSON, each line a dead letter with its excerpt.
                out.write("{\"Timestamp\":\"2021-07-20T14:02:58.1034567Z\",\"DeviceId\":\"d-" + i + "\",\"ReportId\":\n");
            }
        }
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
        long letters = 0;
        long bytes = 0;
        try (var parts = Files.list(temp.resolve("dirty/alerts.jsonl.dead-letters"))) {
            for (Path part : parts.toList()) {
                bytes += Files.size(part);
                try (var lines = Files.lines(part)) {
                    letters += lines.count();
                }
            }
        }
        assertThat(letters).isEqualTo(badLines);
        assertThat(bytes).as("more dead-letter bytes than the client's heap").isGreaterThan(96L << 20);
        assertThat(Files.readAllLines(output)).isEmpty();
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
