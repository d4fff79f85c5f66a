package dev.bazahunt.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.replay.ReplayHarness;
import dev.bazahunt.job.testing.LocalFlinkCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        assertThat(ReplayHarness.partLines(temp.resolve("jobmanager/alerts.jsonl.dead-letters"))).hasSize(4);
        // The summary comes from the job's accumulators, fetched from the cluster.
        assertThat(run.stderr()).containsPattern("base alerts\\s+4").containsPattern("correlated alerts\\s+4")
                .containsPattern("dead-lettered\\s+4");
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
        assertThat(cluster.jobState(submitted.group(1))).isEqualTo("FINISHED");
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
        assertThat(cluster.jobState(jobId)).isEqualTo("FAILED");
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
