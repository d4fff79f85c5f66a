package dev.bazahunt.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.testing.TestdataRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ./bazahunt} as a user types it: the exit codes (0 done, 2 a bad command line, 1 a failed job)
 * and the message for each mistake, and {@code generate} and {@code bench} end to end at small sizes.
 */
class BazahuntCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENTINEL = TestdataRows.TESTDATA.resolve("telemetry/sentinel").toString();

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    private ByteArrayOutputStream stdout;
    private ByteArrayOutputStream stderr;

    @BeforeEach
    void streams() {
        stdout = new ByteArrayOutputStream();
        stderr = new ByteArrayOutputStream();
    }

    private int run(String... args) throws Exception {
        return BazahuntCli.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentsPrintsTheCommandsOnStderrAndExitsWithTwo() throws Exception {
        assertThat(run()).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("Usage: bazahunt <command> [OPTIONS]")
                .contains("replay", "stream", "generate", "bench", "bench-latency");
    }

    @Test
    void helpPrintsTheCommandsOnStdoutAndExitsWithZero() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out()).startsWith("Usage: bazahunt <command> [OPTIONS]");
        assertThat(err()).isEmpty();
    }

    static Stream<Arguments> badReplayCommandLines() throws Exception {
        Path directory = Files.createDirectories(shared.resolve("out-dir"));
        Path missing = shared.resolve("no-such-exclusions.yaml");
        return Stream.of(
                Arguments.of(List.of("replay", "--input", SENTINEL, "alerts.jsonl", "--output", "-"),
                        "unexpected argument 'alerts.jsonl'"),
                Arguments.of(List.of("replay", "--input", SENTINEL, "--output", "-", "--validate-all=yes"),
                        "option '--validate-all' takes no value"),
                Arguments.of(List.of("replay", "--input", SENTINEL, "--output", "-", "--window"),
                        "option '--window' needs a value: --window DURATION"),
                Arguments.of(List.of("replay", "--input", SENTINEL, "--window", "--output", "-"),
                        "option '--window' needs a value: --window DURATION"),
                Arguments.of(List.of("replay", "--input", SENTINEL, "--output", "-", "--window", "5m", "--window=10m"),
                        "option '--window' given more than once"),
                Arguments.of(List.of("replay", "--input", SENTINEL, "--output", directory.toString()),
                        "--output " + directory + " is a directory; give a file or -"),
                Arguments.of(List.of("replay", "--input", SENTINEL, "--output", "-", "--exclusions", missing.toString()),
                        "--exclusions " + missing + ": no such readable file"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badReplayCommandLines")
    void aBadCommandLineExitsWithTwoAndSaysWhatIsWrong(List<String> args, String message) throws Exception {
        assertThat(run(args.toArray(String[]::new))).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("bazahunt replay: " + message + System.lineSeparator()
                + "Run 'bazahunt replay --help' for usage." + System.lineSeparator());
    }

    @Test
    void aJobThatFailsExitsWithOneAndNamesTheCause() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("results"), "a file, not a directory");
        String output = notADirectory.resolve("alerts.jsonl").toString();

        assertThat(run("replay", "--input", SENTINEL, "--output", output, "--parallelism", "1")).isEqualTo(1);
        assertThat(err()).containsPattern("bazahunt replay: job [0-9a-f]{32} failed: ")
                .contains(notADirectory.toString());
    }

    @Test
    void aCommandThatThrowsExitsWithOneThroughTheLauncherAndPrintsTheCause() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("telemetry-file"), "a file, not a directory");
        int code = BazahuntCli.runReportingFailures(new String[] {"generate", "--events", "100", "--devices", "10",
            "--chains", "1", "--format", "flat", "--output", notADirectory.resolve("gen").toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(err()).startsWith("bazahunt: failed: ").contains(notADirectory.toString());
    }

    /** generate writes telemetry and its expected counts; replaying that telemetry gives exactly those. */
    @Test
    void generatedTelemetryReplaysToTheCountsGenerateWrote() throws Exception {
        Path out = temp.resolve("generated");
        assertThat(run("generate", "--events", "3000", "--devices", "40", "--chains", "3", "--format", "storage",
                "--files", "2", "--output", out.toString(), "--seed", "7")).isZero();
        // Base alerts of the whole pack: per chain the renamed certutil's download and Excel's macro.
        assertThat(err()).contains("bazahunt generate: 3,000 rows", "over 2 files", "(6 base, 3 correlated alerts)");
        List<Path> files;
        try (Stream<Path> listing = Files.list(out.resolve("telemetry"))) {
            files = listing.sorted().toList();
        }
        assertThat(files).hasSize(2);
        JsonNode expected = JSON.readTree(out.resolve("expected.json").toFile());
        assertThat(expected.get("events").asInt()).isEqualTo(3000);
        assertThat(expected.get("chains").asInt()).isEqualTo(3);

        Path alerts = temp.resolve("alerts.jsonl");
        streams();
        assertThat(run("replay", "--input", out.resolve("telemetry").toString(), "--output", alerts.toString(),
                "--parallelism", "2")).isZero();
        List<String> ruleIds = new ArrayList<>();
        for (String line : Files.readAllLines(alerts)) {
            ruleIds.add(JSON.readTree(line).get("RuleId").asText());
        }
        assertThat(ruleIds.stream().filter("f5ff5b00-a90e-40b8-b241-9427a8ec5189"::equals).count()).isEqualTo(3);
        assertThat(ruleIds.stream().filter("fa2c1c3a-18f8-4c83-8501-ea110873f99f"::equals).count()).isEqualTo(3);
        assertThat(6L).isEqualTo(expected.get("baseAlerts").asLong());
        assertThat(ruleIds.stream().filter("6115fe87-e990-4ade-b52f-b35ebea0864d"::equals).count())
                .isEqualTo(expected.get("correlatedAlerts").asLong()).isEqualTo(3);
    }

    @Test
    void theSameSeedGeneratesTheSameBytes() throws Exception {
        for (String name : List.of("a", "b")) {
            assertThat(run("generate", "--events", "500", "--devices", "20", "--chains", "1", "--format", "eventhubs",
                    "--output", temp.resolve(name).toString(), "--seed", "11")).isZero();
        }
        try (Stream<Path> a = Files.list(temp.resolve("a/telemetry")); Stream<Path> b = Files.list(temp.resolve("b/telemetry"))) {
            List<Path> first = a.sorted().toList();
            List<Path> second = b.sorted().toList();
            assertThat(first).hasSameSizeAs(second).isNotEmpty();
            for (int i = 0; i < first.size(); i++) {
                assertThat(Files.readAllBytes(first.get(i))).isEqualTo(Files.readAllBytes(second.get(i)));
            }
        }
    }

    @Test
    void badGenerateAndBenchOptionsExitWithTwo() throws Exception {
        assertThat(run("generate", "--events", "100", "--format", "csv", "--output", temp.toString())).isEqualTo(2);
        assertThat(err()).contains("bazahunt generate: --format must be eventhubs, storage or flat, got 'csv'");
        streams();
        assertThat(run("bench", "--events", "23")).isEqualTo(2);
        assertThat(err()).startsWith("bazahunt bench: --events must be at least 24, so that the small dataset (N/4)"
                + " holds a chain");
    }

    /** The state probe through the CLI at a small size: serialized state grows with the open windows. */
    @Test
    void benchWeighsTheStateOfDevicesWithOpenWindows() throws Exception {
        assertThat(run("bench", "--state-devices", "20")).isZero();
        assertThat(out()).contains("bazahunt state probe", "per active device, windows open:",
                "per device, after windows closed:");
        Matcher savepoints = Pattern.compile("savepoint,\\s+([\\d,]+) devices:\\s+([\\d,]+) bytes with windows open,"
                + "\\s+([\\d,]+) after they closed").matcher(out());
        List<long[]> rows = new ArrayList<>();
        while (savepoints.find()) {
            rows.add(new long[] {number(savepoints.group(1)), number(savepoints.group(2)), number(savepoints.group(3))});
        }
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)[0]).isEqualTo(2);
        assertThat(rows.get(1)[0]).isEqualTo(20);
        assertThat(rows.get(1)[1]).as("20 devices' open windows weigh more than 2 devices'").isGreaterThan(rows.get(0)[1]);
        assertThat(rows.get(1)[2]).as("state once the windows closed").isLessThan(rows.get(1)[1]);
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
