package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.HuntTuning;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import dev.bazahunt.job.testing.TestRows;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.tuning.ExclusionSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exclusions are scoped by rule: naming the base rule removes the base alert and keeps the correlated
 * one; naming the correlation rule removes that one; naming both removes both.
 */
class ExclusionScopeTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2021-07-20T14:02:58.103456700Z");

    @TempDir
    Path temp;

    private static String exclusions(String... rules) {
        return """
                exclusions:
                  - name: Lab device
                    reason: The malware lab detonates BazaCall samples on this device.
                    rules: [%s]
                    conditions:
                      all:
                        - {column: DeviceId, operator: ==, value: %s}
                """.formatted(String.join(", ", rules), TestRows.DEVICE);
    }

    private List<String> rulesAlerted(String exclusionsYaml, List<String> audit) throws Exception {
        Path input = Files.write(temp.resolve("rows-" + System.nanoTime() + ".jsonl"), List.of(
                TestRows.line(TestRows.excelChild(TestRows.DEVICE, T.minus(Duration.ofMinutes(1)), 101, 6001, "cmd.exe",
                        "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe x8k2.exe")),
                TestRows.line(TestRows.download(TestRows.DEVICE, T, 100)),
                TestRows.line(TestRows.excelChild(TestRows.DEVICE, T.plus(Duration.ofMinutes(5)), 102, 6002, "rundll32.exe",
                        "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut"))), StandardCharsets.UTF_8);
        // The seed rule alone: the scoping under test is between the base rule and the correlation rule.
        HuntTuning tuning = new HuntTuning(exclusionsYaml == null ? null : ExclusionSet.parse(exclusionsYaml, "lab.yaml"),
                false, null, List.of(RuleIds.CERTUTIL_DOWNLOAD));
        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(input),
                new HuntSettings(Duration.ofMinutes(30), RevisionPolicy.FINAL, Duration.ZERO, tuning), 2, false,
                ReplayJob.RANGE_BYTES);
        List<String> rules = new ArrayList<>();
        for (String alert : result.alerts()) {
            JsonNode node = JSON.readTree(alert);
            rules.add(node.get("RuleId").asText());
            if (node.has("Evidence")) {
                assertThat(node.get("Evidence")).hasSize(2);
            }
        }
        for (String line : result.exclusionAudit()) {
            audit.add(JSON.readTree(line).get("RuleId").asText());
        }
        return rules;
    }

    @Test
    void withoutExclusionsBothAlertsFire() throws Exception {
        List<String> audit = new ArrayList<>();
        assertThat(rulesAlerted(null, audit))
                .containsExactlyInAnyOrder(RuleIds.CERTUTIL_DOWNLOAD, RuleIds.BAZACALL_CORRELATION);
    }

    @Test
    void anExclusionOfTheBaseRuleOnlyKeepsTheCorrelatedAlert() throws Exception {
        List<String> audit = new ArrayList<>();
        assertThat(rulesAlerted(exclusions(RuleIds.CERTUTIL_DOWNLOAD), audit))
                .containsExactly(RuleIds.BAZACALL_CORRELATION);
        assertThat(audit).containsExactly(RuleIds.CERTUTIL_DOWNLOAD);
    }

    @Test
    void anExclusionOfTheCorrelationRuleRemovesItAndKeepsTheBaseAlert() throws Exception {
        List<String> audit = new ArrayList<>();
        assertThat(rulesAlerted(exclusions(RuleIds.BAZACALL_CORRELATION), audit))
                .containsExactly(RuleIds.CERTUTIL_DOWNLOAD);
        assertThat(audit).containsExactly(RuleIds.BAZACALL_CORRELATION);
    }

    @Test
    void anExclusionOfBothRulesRemovesBoth() throws Exception {
        List<String> audit = new ArrayList<>();
        assertThat(rulesAlerted(exclusions(RuleIds.CERTUTIL_DOWNLOAD, RuleIds.BAZACALL_CORRELATION), audit)).isEmpty();
        assertThat(audit).containsExactlyInAnyOrder(RuleIds.CERTUTIL_DOWNLOAD, RuleIds.BAZACALL_CORRELATION);
    }
}
