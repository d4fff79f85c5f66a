package dev.bazahunt.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazahunt.alert.AlertIds;
import dev.bazahunt.campaign.CampaignHit;
import dev.bazahunt.rules.CampaignStage;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The incident operator on its own, with Flink's operator test harness: revisions as stages arrive,
 * the watermark that live mode waits for, the single final write of replay, and state that a timer
 * clears.
 */
class CampaignIncidentFunctionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RuleCatalog RULES = RuleCatalog.standard();
    private static final String DEVICE = "b2c4e6a8f0123456789abcdef0123456789abcde";
    private static final long T0 = 1_626_789_778_103L; // 2021-07-20T14:02:58.103Z
    private static final Duration WINDOW = Duration.ofHours(48);

    @Test
    void liveWritesARevisionEachTimeTheWatermarkPassesANewStage() throws Exception {
        try (var harness = harness(RevisionPolicy.EVERY_CHANGE)) {
            harness.processElement(record(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0));
            harness.processElement(record(CampaignStage.EXCEL_MACRO, 5120, T0 - 11_000));
            assertThat(incidents(harness)).as("nothing before the watermark").isEmpty();

            harness.processWatermark(T0);
            List<JsonNode> first = incidents(harness);
            assertThat(first).hasSize(1);
            assertThat(first.get(0).get("Revision").asInt()).isEqualTo(1);
            assertThat(first.get(0).get("Severity").asText()).isEqualTo("Medium");
            assertThat(stages(first.get(0))).containsExactly("excel-macro", "certutil-download");

            harness.processElement(record(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0)); // re-delivered
            harness.processElement(record(CampaignStage.CREDENTIAL_THEFT, 9012, T0 + Duration.ofHours(8).toMillis()));
            harness.processWatermark(T0 + Duration.ofHours(8).toMillis());
            List<JsonNode> all = incidents(harness);
            assertThat(all).hasSize(2);
            JsonNode second = all.get(1);
            assertThat(second.get("AlertId").asText()).isEqualTo(first.get(0).get("AlertId").asText());
            assertThat(second.get("Revision").asInt()).isEqualTo(2);
            assertThat(second.get("Severity").asText()).isEqualTo("High");
            assertThat(stages(second)).containsExactly("excel-macro", "certutil-download", "credential-theft");

            harness.processWatermark(T0 + Duration.ofHours(9).toMillis());
            assertThat(incidents(harness)).as("no change, no revision").hasSize(2);
            assertThat(heldHits(harness)).isEqualTo(3);
            harness.processWatermark(T0 + Duration.ofHours(8).toMillis() + WINDOW.toMillis() + 1);
            assertThat(heldHits(harness)).as("the cleanup timer cleared the device's hits").isZero();
            assertThat(harness.numKeyedStateEntries()).as("only the revision ledger's entry (a TTL bounds it)")
                    .isEqualTo(1);
            assertThat(incidents(harness)).hasSize(2);
        }
    }

    @Test
    void aHitBehindTheWatermarkRevisesTheIncidentAtOnce() throws Exception {
        try (var harness = harness(RevisionPolicy.EVERY_CHANGE)) {
            harness.processElement(record(CampaignStage.EXCEL_MACRO, 5120, T0 - 11_000));
            harness.processElement(record(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0));
            harness.processWatermark(T0 + Duration.ofHours(3).toMillis());
            assertThat(incidents(harness)).hasSize(1);

            harness.processElement(record(CampaignStage.BAZALOADER_C2, 7390, T0 + 34_000)); // late
            List<JsonNode> all = incidents(harness);
            assertThat(all).as("no later watermark needed").hasSize(2);
            assertThat(all.get(1).get("Revision").asInt()).isEqualTo(2);
            assertThat(stages(all.get(1))).containsExactly("excel-macro", "certutil-download", "bazaloader-c2");
        }
    }

    @Test
    void hitsOutOfOrderWithinTheWatermarkGiveTheIncidentOfInOrderHits() throws Exception {
        List<StreamRecord<CampaignHit>> hits = List.of(
                record(CampaignStage.EXCEL_MACRO, 5120, T0 - 11_000),
                record(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0),
                record(CampaignStage.BAZALOADER_C2, 7390, T0 + 34_000));
        List<JsonNode> inOrder;
        try (var harness = harness(RevisionPolicy.EVERY_CHANGE)) {
            for (StreamRecord<CampaignHit> hit : hits) {
                harness.processElement(hit);
            }
            harness.processWatermark(T0 + 60_000);
            inOrder = incidents(harness);
        }
        try (var harness = harness(RevisionPolicy.EVERY_CHANGE)) {
            for (int i = hits.size() - 1; i >= 0; i--) {
                harness.processElement(hits.get(i));
            }
            harness.processWatermark(T0 + 60_000);
            assertThat(incidents(harness)).isEqualTo(inOrder);
        }
        assertThat(inOrder).extracting(i -> i.get("Revision").asInt()).as("two stages, then three").containsExactly(1, 2);
        assertThat(inOrder).extracting(i -> i.get("AlertId").asText()).containsOnly(inOrder.get(0).get("AlertId").asText());
    }

    @Test
    void replayWritesEachIncidentOnceInItsFinalFormWhichIsLiveModesLastRevision() throws Exception {
        List<StreamRecord<CampaignHit>> hits = List.of(
                record(CampaignStage.EXCEL_MACRO, 5120, T0 - 11_000),
                record(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0),
                record(CampaignStage.BAZALOADER_C2, 7390, T0 + 34_000),
                record(CampaignStage.EXFILTRATION, 9930, T0 + Duration.ofHours(30).toMillis()));
        JsonNode lastLive;
        try (var harness = harness(RevisionPolicy.EVERY_CHANGE)) {
            for (StreamRecord<CampaignHit> hit : hits) {
                harness.processElement(hit);
                harness.processWatermark(hit.getTimestamp());
            }
            harness.processWatermark(Long.MAX_VALUE);
            List<JsonNode> revisions = incidents(harness);
            assertThat(revisions).extracting(r -> r.get("Revision").asInt()).containsExactly(1, 2, 3);
            lastLive = revisions.get(2);
        }
        try (var harness = harness(RevisionPolicy.FINAL)) {
            for (StreamRecord<CampaignHit> hit : hits) {
                harness.processElement(hit);
            }
            harness.processWatermark(T0 + Duration.ofHours(30).toMillis());
            assertThat(incidents(harness)).as("replay waits for the window to close").isEmpty();
            harness.processWatermark(Long.MAX_VALUE);
            List<JsonNode> replayed = incidents(harness);
            assertThat(replayed).hasSize(1);
            assertThat(replayed.get(0).get("Revision").asInt()).isEqualTo(1);
            assertThat(withoutRevision(replayed.get(0))).isEqualTo(withoutRevision(lastLive));
            assertThat(stages(replayed.get(0))).containsExactly("excel-macro", "certutil-download", "bazaloader-c2",
                    "exfiltration");
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aDeviceThatKeepsMatchingKeepsOnlyItsRecentHitsInState() throws Exception {
        CampaignStage[] stages = {CampaignStage.EXCEL_MACRO, CampaignStage.CERTUTIL_DOWNLOAD};
        long every = Duration.ofHours(12).toMillis();
        try (var harness = harness(RevisionPolicy.EVERY_CHANGE)) {
            int mostHits = 0;
            for (int i = 0; i < 60; i++) {
                long at = T0 + i * every;
                harness.processElement(record(stages[i % 2], 1000 + i, at));
                harness.processWatermark(at);
                mostHits = Math.max(mostHits, heldHits(harness));
            }
            assertThat(incidents(harness).stream().map(i -> i.get("AlertId").asText()).distinct().count())
                    .as("30 days of hits every 12 h: five hits per incident, the sixth starts the next").isEqualTo(12);
            assertThat(mostHits).as("hits held at any time, of 60").isLessThanOrEqualTo(6);
        }
    }

    /** The hits the function holds for the device, read from its keyed state. */
    private static int heldHits(KeyedOneInputStreamOperatorTestHarness<String, CampaignHit, AlertRecord> harness)
            throws Exception {
        var backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(DEVICE);
        CampaignIncidentState state = backend.getPartitionedState(
                org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                new org.apache.flink.api.common.state.ValueStateDescriptor<>("campaign-incident-state",
                        org.apache.flink.api.common.typeinfo.TypeInformation.of(CampaignIncidentState.class))).value();
        return state == null ? 0 : state.hits.length;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CampaignHit, AlertRecord> harness(
            RevisionPolicy policy) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CampaignIncidentFunction(WINDOW, policy, Duration.ZERO, Duration.ofDays(30))),
                (CampaignHit hit) -> hit.deviceId, Types.STRING);
        harness.open();
        return harness;
    }

    private static StreamRecord<CampaignHit> record(CampaignStage stage, long pid, long millis) {
        RuleDefinition rule = RULES.all().stream().filter(r -> r.campaignStage() == stage).findFirst().orElseThrow();
        CampaignHit hit = new CampaignHit();
        hit.deviceId = DEVICE;
        hit.deviceName = "wks-0142.contoso.local";
        hit.stage = stage;
        hit.ruleId = rule.id();
        hit.alertId = AlertIds.of(rule.id(), DEVICE + "|pid|" + pid + "|1626789000000000000");
        hit.timestamp = millis * 1_000_000L;
        hit.reportId = 18_000L + pid;
        hit.account = "j.doe@contoso.com";
        return new StreamRecord<>(hit, millis);
    }

    private static List<JsonNode> incidents(KeyedOneInputStreamOperatorTestHarness<String, CampaignHit, AlertRecord> harness)
            throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (AlertRecord record : harness.extractOutputValues()) {
            out.add(JSON.readTree(record.json));
        }
        return out;
    }

    private static List<String> stages(JsonNode incident) {
        List<String> stages = new ArrayList<>();
        incident.get("Stages").forEach(stage -> stages.add(stage.get("Stage").asText()));
        return stages;
    }

    private static JsonNode withoutRevision(JsonNode incident) {
        ObjectNode copy = incident.deepCopy();
        copy.remove("Revision");
        return copy;
    }
}
