package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.pipeline.HuntCounter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code bazahunt replay} as a user runs it: options, exit codes, files written, the summary. */
class ReplayCommandTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path temp;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return BazahuntCli.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesAlertsDeadLettersAndASummary() throws Exception {
        Path output = temp.resolve("out/alerts.jsonl");

        int code = run("replay", "--input", ReplayHarness.TESTDATA.resolve("telemetry").toString(),
                "--output", output.toString(), "--parallelism", "2", "--window", "30m");

        assertThat(code).isZero();
        assertThat(Files.readAllLines(output))
                .isEqualTo(Files.readAllLines(ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl")));
        // The pre-filter is on by default: the broken line without a needle (no DeviceId) is skipped
        // unparsed; the other malformed lines are dead-lettered, into part files beside the alerts.
        Path deadLetters = temp.resolve("out/alerts.jsonl.dead-letters");
        assertThat(ReplayHarness.partLines(deadLetters)).hasSize(4);
        try (var files = Files.list(temp.resolve("out"))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("no scratch or in-progress file is left").containsExactlyInAnyOrder("alerts.jsonl", "alerts.jsonl.dead-letters");
        }
        assertThat(err()).contains("DeviceFileEvents", "DeviceProcessEvents", "skipped (other tables)",
                "dead-lettered", "repaired rows", "base alerts", "correlated alerts", "events/s")
                .containsPattern("skipped unparsed\\s+[1-9][0-9,]* lines \\(pre-filter");
    }

    @Test
    void validateAllParsesEveryLineSoEveryBrokenLineIsDeadLettered() throws Exception {
        Path deadLetters = temp.resolve("dead");

        int code = run("replay", "--input",
                ReplayHarness.TESTDATA.resolve("telemetry/malformed/bad-lines.jsonl").toString(),
                "--output", "-", "--dead-letter", deadLetters.toString(), "--parallelism", "1", "--validate-all");

        assertThat(code).isZero();
        assertThat(ReplayHarness.partLines(deadLetters)).hasSize(5);
        assertThat(err()).containsPattern("skipped unparsed\\s+0 lines \\(every line parsed and validated: --validate-all");
    }

    @Test
    void byDefaultABrokenLineWithoutANeedleIsCountedAsSkippedNotDeadLettered() throws Exception {
        Path deadLetters = temp.resolve("dead");

        int code = run("replay", "--input",
                ReplayHarness.TESTDATA.resolve("telemetry/malformed/bad-lines.jsonl").toString(),
                "--output", "-", "--dead-letter", deadLetters.toString(), "--parallelism", "1");

        assertThat(code).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
        // Line 3 (no DeviceId) holds neither needle and looks like a whole object: skipped, and counted.
        assertThat(ReplayHarness.partLines(deadLetters)).hasSize(4);
        assertThat(err()).containsPattern("skipped unparsed\\s+1 lines \\(pre-filter");
    }

    @Test
    void outputDashWritesTheSortedAlertsToStdoutAndLeavesNoScratchFile() throws Exception {
        int code = run("replay", "--input", ReplayHarness.TESTDATA.resolve("telemetry").toString(),
                "--output", "-", "--dead-letter", temp.resolve("dead").toString(), "--parallelism", "2");

        assertThat(code).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(
                Files.readString(ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl"), StandardCharsets.UTF_8));
        assertThat(err()).containsPattern("alerts written to\\s+stdout");
    }

    @Test
    void aRerunWithLessParallelismLeavesNoStalePartFiles() throws Exception {
        Path output = temp.resolve("alerts.jsonl");
        Path deadLetters = temp.resolve("dead");
        String input = ReplayHarness.TESTDATA.resolve("telemetry").toString();
        Files.createDirectories(deadLetters);
        Files.writeString(deadLetters.resolve("part-00007.jsonl"), "{\"stale\":true}\n");
        Files.writeString(deadLetters.resolve("notes.txt"), "the user's own file\n");

        assertThat(run("replay", "--input", input, "--output", output.toString(), "--dead-letter",
                deadLetters.toString(), "--parallelism", "1")).isZero();

        // The pre-filter (default) skips the broken line without a needle; the other four are dead-lettered.
        assertThat(ReplayHarness.partLines(deadLetters)).hasSize(4).noneMatch(line -> line.contains("stale"));
        assertThat(deadLetters.resolve("notes.txt")).exists();
    }

    @Test
    void stdoutAndABadJobManagerAddressAreRefusedForAClusterRun() throws Exception {
        String input = ReplayHarness.TESTDATA.resolve("telemetry").toString();
        assertThat(run("replay", "--input", input, "--output", "-", "--jobmanager", "localhost:8081")).isEqualTo(2);
        assertThat(err()).contains("--output - needs the embedded cluster");
        assertThat(run("replay", "--input", input, "--output", temp.resolve("a.jsonl").toString(),
                "--jobmanager", "localhost")).isEqualTo(2);
        assertThat(err()).contains("--jobmanager needs HOST:PORT");
    }

    @Test
    void rulesSelectsASubsetOfThePackAndTheSeedAloneGivesTheSeedsAlerts() throws Exception {
        Path output = temp.resolve("seed/alerts.jsonl");
        assertThat(run("replay", "--input", ReplayHarness.TESTDATA.resolve("telemetry").toString(),
                "--output", output.toString(), "--rules", "f5ff5b00-a90e-40b8-b241-9427a8ec5189")).isZero();
        List<String> pack = Files.readAllLines(ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl"));
        // The seed rule alone: its base alerts and their correlated alerts, byte for byte as in the
        // pack's run; no other rule's alert, and no campaign incident (one stage per device).
        assertThat(Files.readAllLines(output)).isEqualTo(pack.stream()
                .filter(alert -> ruleOf(alert).equals("f5ff5b00-a90e-40b8-b241-9427a8ec5189")
                        || ruleOf(alert).equals("6115fe87-e990-4ade-b52f-b35ebea0864d"))
                .toList()).hasSize(8);
        assertThat(run("replay", "--input", ReplayHarness.TESTDATA.resolve("telemetry").toString(),
                "--output", temp.resolve("macro/alerts.jsonl").toString(),
                "--rules", "fa2c1c3a-18f8-4c83-8501-ea110873f99f,6fa3cf44-517f-4ce5-8727-948b0783b507")).isZero();
        assertThat(Files.readAllLines(temp.resolve("macro/alerts.jsonl"))).extracting(alert -> alert.substring(
                alert.indexOf("\"RuleName\""), alert.indexOf("\"Severity\""))).containsExactlyInAnyOrder(
                "\"RuleName\":\"Malicious Excel Delivery\",", "\"RuleName\":\"Excel Macro Execution\",",
                "\"RuleName\":\"BazaCall campaign incident\",");
    }

    /** The alert's own RuleId (the first one in the line; a campaign incident names others further on). */
    private static String ruleOf(String alert) {
        int start = alert.indexOf("\"RuleId\":\"") + "\"RuleId\":\"".length();
        return alert.substring(start, alert.indexOf('"', start));
    }

    @Test
    void anUnknownRuleIdExitsWithTwoAndListsTheRules() throws Exception {
        assertThat(run("replay", "--input", ReplayHarness.TESTDATA.resolve("telemetry").toString(), "--output", "-",
                "--rules", "f5ff5b00-a90e-40b8-b241-9427a8ec5189,no-such-rule")).isEqualTo(2);
        assertThat(err()).contains("--rules: 'no-such-rule' is not a rule that can be selected")
                .contains("54f12c74-fb8e-4871-a13f-4da835b319a7 (Bazacall Emails)");
    }

    @Test
    void unknownOptionExitsWithTwoAndNamesIt() throws Exception {
        assertThat(run("replay", "--input", "x", "--output", "-", "--windw", "5m")).isEqualTo(2);
        assertThat(err()).contains("unknown option '--windw'").contains("bazahunt replay --help");
    }

    @Test
    void unreadableInputPathExitsWithTwo() throws Exception {
        Path missing = temp.resolve("no-such-dir");
        assertThat(run("replay", "--input", missing.toString(), "--output", "-")).isEqualTo(2);
        assertThat(err()).contains("no such file or directory").contains(missing.toString());
    }

    @Test
    void badWindowAndParallelismAreRejected() throws Exception {
        Path input = ReplayHarness.TESTDATA.resolve("telemetry");
        assertThat(run("replay", "--input", input.toString(), "--output", "-", "--window", "thirty")).isEqualTo(2);
        assertThat(err()).contains("--window must be a duration");
        assertThat(run("replay", "--input", input.toString(), "--output", "-", "--parallelism", "0")).isEqualTo(2);
        assertThat(err()).contains("--parallelism must be a positive integer");
    }

    @Test
    void holdMetricsReachesEveryTaskAsAJobParameterBesideTheUsersOwn() throws Exception {
        Path input = ReplayHarness.TESTDATA.resolve("telemetry");
        ReplayCommand.ReplaySettings settings = ReplayCommand.settings(new String[] {"--input", input.toString(),
                "--output", temp.resolve("alerts.jsonl").toString(), "-D", "pipeline.global-job-parameters=team:soc",
                "--hold-metrics", "15s"});
        assertThat(settings.flinkConfig().get(PipelineOptions.GLOBAL_JOB_PARAMETERS))
                .containsEntry(HuntCounter.HOLD_PARAMETER, "15000").containsEntry("team", "soc");
        assertThat(run("replay", "--input", input.toString(), "--output", "-", "--hold-metrics", "soon")).isEqualTo(2);
        assertThat(err()).contains("--hold-metrics must be a duration");
        assertThat(run("replay", "--input", input.toString(), "--output", "-", "--hold-metrics", "3m")).isEqualTo(2);
        assertThat(err()).contains("--hold-metrics must be at most 2m");
    }

    @Test
    void theHardenedRuleRunsBehindThePrefilter() throws Exception {
        Path input = ReplayHarness.TESTDATA.resolve("telemetry");
        assertThat(run("replay", "--input", input.toString(), "--output", "-", "--dead-letter",
                temp.resolve("dead").toString(), "--hardened")).isEqualTo(0);
        assertThat(err()).containsPattern("skipped unparsed\\s+[1-9][0-9,]* lines \\(pre-filter");
    }

    @Test
    void aCsvDateOrderOtherThanMdyOrDmyIsRejected() throws Exception {
        Path input = ReplayHarness.TESTDATA.resolve("telemetry");
        assertThat(run("replay", "--input", input.toString(), "--output", "-", "--csv-date-order", "ymd")).isEqualTo(2);
        assertThat(err()).contains("--csv-date-order ymd: expected mdy or dmy");
    }

    @Test
    void aSecretGivenAsDashDIsRefusedWithExitTwoAndNeverEchoed() throws Exception {
        assertThat(run("replay", "--input", ReplayHarness.TESTDATA.resolve("telemetry").toString(), "--output", "-",
                "-Ds3.secret-key=wJalrXUtnFEMI")).isEqualTo(2);
        assertThat(err()).contains("-D s3.secret-key: credentials are not taken on the command line")
                .doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void anInputOnAFileSystemWithoutAPluginNamesTheSchemeAndTheFix() throws Exception {
        assertThat(run("replay", "--input", "gs://exports/defender/", "--output", "-")).isEqualTo(2);
        assertThat(err()).contains("--input gs://exports/defender/: no file system for scheme 'gs'", "plugins folder");
    }

    @Test
    void missingRequiredOptionAndUnknownCommandExitWithTwo() throws Exception {
        assertThat(run("replay", "--output", "-")).isEqualTo(2);
        assertThat(err()).contains("missing required option --input PATH");
        assertThat(run("hunt")).isEqualTo(2);
        assertThat(err()).contains("unknown command 'hunt'");
    }

    @Test
    void aMalformedExclusionsFileStopsTheJobBeforeItStartsAndNamesTheLine() throws Exception {
        Path exclusions = java.nio.file.Files.writeString(temp.resolve("bad.yaml"), """
                exclusions:
                  - name: Typo in the column
                    reason: testing validation
                    rules: [f5ff5b00-a90e-40b8-b241-9427a8ec5189]
                    conditions:
                      all:
                        - {column: InitiatingProcesFileName, operator: =~, value: certutil.exe}
                """);
        int code = run("replay", "--input", ReplayHarness.TESTDATA.resolve("telemetry").toString(),
                "--output", "-", "--exclusions", exclusions.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err()).contains("bad.yaml").contains("line 7").contains("InitiatingProcesFileName");
    }

    @Test
    void helpListsEveryOption() throws Exception {
        assertThat(run("replay", "--help")).isZero();
        String help = stdout.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--input PATH|URI", "--output FILE|URI|-", "--window DURATION", "--parallelism N",
                "--dead-letter DIR", "--exclusions FILE", "--hardened", "--suppress DURATION",
                "--exclusion-audit DIR", "--jobmanager HOST:PORT", "--validate-all", "--from TIME", "--until TIME",
                "--max-ingestion-delay DURATION", "-D key=value", "-h,--help")) {
            assertThat(help).contains(option);
        }
    }
}
