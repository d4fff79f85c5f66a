package dev.bazahunt.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.generate.ExpectedCounts;
import dev.bazahunt.rules.RuleIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bazahunt bench} through the CLI at a small size: the figures of so short a run say little, but
 * the command generates both datasets, runs every contender on them, checks every run's alerts and
 * prints its whole report. Small sizes still plant a chain in each dataset, so the alert check bites.
 */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aSmallBenchRunsEveryContenderAndItsAlertsAreTheGeneratorsExpected() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BazahuntCli.run(new String[] {"bench", "--events", "4000", "--files", "2", "--work-dir", temp.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        System.out.println(report); // to the test report directory
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

        assertThat(report).startsWith("bazahunt bench: 1,000 and 4,000 events").contains("2 files, storage lines");
        boolean ripgrep = BenchCommand.installed("rg");
        List<String> contenders = ripgrep
                ? List.of("grep -c -i urlcache", "rg -c -i urlcache", "naive job, p=2 (--validate-all)",
                        "bazahunt, p=1 (default options)", "bazahunt, p=2 (default options)")
                : List.of("grep -c -i urlcache", "naive job, p=2 (--validate-all)", "bazahunt, p=1 (default options)",
                        "bazahunt, p=2 (default options)");
        for (String contender : contenders) {
            assertThat(report).as(contender).containsPattern("(?m)^" + java.util.regex.Pattern.quote(contender)
                    + "\\s+\\d+\\.\\d\\ds\\s+\\d+\\.\\d\\ds\\s+\\S+\\s+\\S+$");
        }
        // So short a run may be too noisy for a steady rate; then the bench says so instead of ratios.
        if (report.contains("no ratios: ")) {
            assertThat(report).contains("the machine was too busy for a steady rate").doesNotContain("R = ");
        } else {
            assertThat(report).contains("R = bazahunt events/s / grep lines/s, default options:  p=1 ",
                    "speed-up = bazahunt p=2 / naive p=2:", "scan limit (the reader's pass over bytes in memory; ",
                    ripgrep ? "ripgrep: rg reads " : "ripgrep: not installed, not measured");
        }
        assertThat(report).containsPattern("Load average \\(1, 5, 15 min\\) before: .*, after: .*, on \\d+ cores\\.");
        assertThat(report).contains("The jobs run on one embedded cluster that stays up, as a session cluster does");
        assertThat(report).containsPattern("JIT compiler threads during bazahunt p=2.s 10 timed runs \\(\\d+\\.\\d s\\): \\d+\\.\\d s of CPU\\.");

        // Each dataset's last run (bazahunt at p=2) left its alerts: the generator's expected.json, by rule.
        for (int events : List.of(1_000, 4_000)) {
            Path dataset = temp.resolve("storage-" + events + "-events-2-files");
            ExpectedCounts expected = ExpectedCounts.read(dataset.resolve("expected.json"));
            assertThat(expected.chains()).as("chains in %d events", events).isEqualTo(1);
            Map<String, Long> byKind = alertsByKind(dataset.resolve("replay-output/alerts.jsonl"));
            assertThat(byKind).as("alerts of %d events", events).isEqualTo(Map.of(
                    "base", expected.baseAlerts(), "correlated", expected.correlatedAlerts(),
                    "campaign incident", expected.campaignIncidents()));
        }
    }

    private static Map<String, Long> alertsByKind(Path alerts) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : Files.readAllLines(alerts, StandardCharsets.UTF_8)) {
            String rule = JSON.readTree(line).path("RuleId").asText();
            String kind = rule.equals(RuleIds.BAZACALL_CORRELATION) ? "correlated"
                    : rule.equals(RuleIds.BAZACALL_CAMPAIGN_INCIDENT) ? "campaign incident" : "base";
            counts.merge(kind, 1L, Long::sum);
        }
        return counts;
    }
}
