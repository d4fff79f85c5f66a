package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.testing.AlertRevisions;
import dev.bazahunt.job.testing.LiveHunt;
import dev.bazahunt.rules.RuleIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One workstation's BazaCall intrusion through every stage (testdata/campaign/bazacall-full-chain.jsonl,
 * modelled on Microsoft's write-up: the lure email, the workbook from
 * /cancel.php, Excel's config.php fetch, the macro copying certutil, the renamed certutil download,
 * rundll32 beaconing, ntdsutil, a renamed rclone; plus benign look-alikes), replayed and run live.
 */
class CampaignIncidentReplayLiveTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = "7d1f3b5a9c2e4068a1b3c5d7e9f0a2b4c6d8e0f1";

    @TempDir
    Path temp;

    @Test
    void oneDevicesChainThroughEveryStageIsExactlyOneIncidentListingEveryStage() throws Exception {
        List<JsonNode> alerts = parse(replay(fixture()));

        List<JsonNode> incidents = alerts.stream()
                .filter(alert -> alert.get("RuleId").asText().equals(RuleIds.BAZACALL_CAMPAIGN_INCIDENT)).toList();
        assertThat(incidents).hasSize(1);
        JsonNode incident = incidents.get(0);
        assertThat(incident.get("DeviceId").asText()).isEqualTo(DEVICE);
        assertThat(incident.get("Campaign").asText()).isEqualTo("BazaCall");
        assertThat(incident.get("Severity").asText()).isEqualTo("High");
        assertThat(incident.get("StageCount").asInt()).isEqualTo(7);
        List<String> stages = new ArrayList<>();
        incident.get("Stages").forEach(stage -> stages.add(stage.get("Stage").asText()));
        assertThat(stages).containsExactly("email-lure", "excel-delivery", "excel-macro", "certutil-download",
                "bazaloader-c2", "credential-theft", "exfiltration");
        assertThat(incident.get("FirstSeen").asText()).isEqualTo("2021-07-19T09:12:40.5000000Z");
        assertThat(incident.get("LastSeen").asText()).isEqualTo("2021-07-21T09:40:17.0000000Z");
        assertThat(incident.at("/EmailJoin/Accounts/0").asText()).isEqualTo("m.ortiz@contoso.com");
        assertThat(incident.at("/EmailJoin/Reason").isMissingNode()).isTrue();

        // Each stage names exactly the alerts of the rules of that stage on this device, and each of them exists.
        Map<String, JsonNode> byId = new HashMap<>();
        alerts.forEach(alert -> byId.put(alert.get("AlertId").asText(), alert));
        Map<String, Integer> expectedAlertsPerStage = Map.of("email-lure", 1, "excel-delivery", 2, "excel-macro", 1,
                "certutil-download", 1, "bazaloader-c2", 1, "credential-theft", 1, "exfiltration", 1);
        for (JsonNode stage : incident.get("Stages")) {
            String name = stage.get("Stage").asText();
            assertThat(stage.get("AlertIds")).as(name).hasSize(expectedAlertsPerStage.get(name));
            for (JsonNode id : stage.get("AlertIds")) {
                assertThat(byId).as("%s names %s", name, id).containsKey(id.asText());
            }
        }
        JsonNode download = byId.get(incident.at("/Stages/3/AlertIds/0").asText());
        assertThat(download.get("RuleId").asText()).isEqualTo(RuleIds.CERTUTIL_DOWNLOAD);
        assertThat(incident.at("/Stages/3/FirstSeen").asText()).isEqualTo(download.get("Timestamp").asText());
    }

    @Test
    void liveModeRevisesTheIncidentAsStagesArriveAndEndsWhereReplayDoes() throws Exception {
        List<String> rows = fixture();
        List<String> replayed = replay(rows);
        List<String> inEventTime = new ArrayList<>(rows);
        inEventTime.sort(Comparator.comparing(CampaignIncidentReplayLiveTest::timestamp));

        List<String> live = LiveHunt.run(inEventTime, Duration.ofMinutes(2), 2);

        AlertRevisions.assertEachRevisionWrittenOnce(live);
        assertThat(AlertRevisions.latest(live)).isEqualTo(AlertRevisions.latest(replayed));
        List<Integer> incidentRevisions = new ArrayList<>();
        for (JsonNode alert : parse(live)) {
            if (alert.get("RuleId").asText().equals(RuleIds.BAZACALL_CAMPAIGN_INCIDENT)) {
                incidentRevisions.add(alert.get("Revision").asInt());
            }
        }
        assertThat(incidentRevisions).as("revised as stages arrived").hasSizeGreaterThanOrEqualTo(4)
                .isSorted().startsWith(1);
    }

    @Test
    void theIncidentIsTheSameWhateverTheOrderOfTheRows() throws Exception {
        List<String> rows = fixture();
        Map<String, String> expected = AlertRevisions.latest(replay(rows));
        List<String> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(14));

        assertThat(AlertRevisions.latest(replay(shuffled))).isEqualTo(expected);
    }

    private List<String> replay(List<String> rows) throws Exception {
        Path file = Files.write(temp.resolve("chain-" + rows.hashCode() + ".jsonl"), rows, StandardCharsets.UTF_8);
        return ReplayHarness.replay(List.of(file), Duration.ofMinutes(30), 2, false).alerts();
    }

    private static List<String> fixture() throws Exception {
        return Files.readAllLines(ReplayHarness.TESTDATA.resolve("campaign/bazacall-full-chain.jsonl"));
    }

    private static String timestamp(String row) {
        try {
            return JSON.readTree(row).get("Timestamp").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> parse(List<String> alerts) throws Exception {
        List<JsonNode> parsed = new ArrayList<>();
        for (String alert : alerts) {
            parsed.add(JSON.readTree(alert));
        }
        return parsed;
    }
}
