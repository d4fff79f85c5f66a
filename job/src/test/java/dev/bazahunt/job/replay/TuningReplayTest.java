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

    private static ReplayHarness.Replayed replay(Path input, HuntTuning tuning) throws Exception {
        return ReplayHarness.replay(List.of(input),
                new HuntSettings(Duration.ofMinutes(30), RevisionPolicy.FINAL, Duration.ZERO, tuning), 2, false,
                ReplayJob.RANGE_BYTES);
    }
}
