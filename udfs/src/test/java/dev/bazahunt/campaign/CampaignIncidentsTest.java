package dev.bazahunt.campaign;

import static dev.bazahunt.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.alert.Alert;
import dev.bazahunt.alert.AlertJson;
import dev.bazahunt.rules.CampaignStage;
import dev.bazahunt.rules.RuleIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CampaignIncidentsTest {
    private final CampaignIncidents incidents = incidents();

    @Test
    void oneDevicesChainThroughEveryStageIsOneIncidentListingEveryStageInKillChainOrder() {
        List<Alert> result = incidents.incidents(fullChain(), 1);

        assertThat(result).hasSize(1);
        Alert incident = result.get(0);
        assertThat(incident.ruleId).isEqualTo(RuleIds.BAZACALL_CAMPAIGN_INCIDENT);
        assertThat(incident.campaign).isEqualTo("BazaCall");
        assertThat(incident.deviceId).isEqualTo(DEVICE);
        assertThat(incident.deviceName).isEqualTo(DEVICE_NAME);
        assertThat(incident.stageCount).isEqualTo(7);
        assertThat(incident.stages).extracting(stage -> stage.stage).containsExactly("email-lure", "excel-delivery",
                "excel-macro", "certutil-download", "bazaloader-c2", "credential-theft", "exfiltration");
        assertThat(incident.severity).isEqualTo("High");
        assertThat(incident.firstSeen).isEqualTo("2021-07-19T09:12:40.5000000Z").isEqualTo(incident.timestamp);
        assertThat(incident.lastSeen).isEqualTo("2021-07-21T21:01:12.2500000Z");
        for (Alert.Stage stage : incident.stages) {
            CampaignHit hit = fullChain().stream().filter(h -> h.stage.label().equals(stage.stage)).findFirst().orElseThrow();
            assertThat(stage.alertIds).as(stage.stage).containsExactly(hit.alertId);
            assertThat(stage.hits).extracting(h -> h.alertId).containsExactly(hit.alertId);
        }
        assertThat(incident.stages.get(3).firstSeen).isEqualTo("2021-07-20T14:02:58.2500000Z");
        assertThat(incident.stages.get(3).hits.get(0).processCommandLine).contains("-urlcache -split -f http://");
        assertThat(incident.droppedFiles).containsExactly("C:\\Users\\Public\\x8k2\\tmp1834.dll");
        assertThat(incident.reportIds).containsExactly(18001L, 18040L, 18342L, 18400L, 21007L, 23890L);
        assertThat(incident.techniques).contains("T1566.004", "T1204.002", "T1059.003", "T1105", "T1218.011",
                "T1003.003", "T1567.002");
        assertThat(incident.tactics).contains("InitialAccess", "Execution", "CredentialAccess", "Exfiltration");
        assertThat(incident.emailJoin.accounts).containsExactly("j.doe@contoso.com");
        assertThat(incident.emailJoin.reason).isNull();
    }

    @Test
    void severityRisesWithTheNumberOfStagesFromTheMinimumOfTwo() {
        CampaignHit download = deviceHit(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0, 1, UPN);
        CampaignHit macro = deviceHit(CampaignStage.EXCEL_MACRO, 5120, T0.minusSeconds(11), 2, UPN);
        CampaignHit c2 = deviceHit(CampaignStage.BAZALOADER_C2, 7390, T0.plusSeconds(30), 3, UPN);

        assertThat(incidents.incidents(List.of(download), 1)).as("one stage is an alert, not an incident").isEmpty();
        assertThat(incidents.incidents(List.of(download, deviceHit(CampaignStage.CERTUTIL_DOWNLOAD, 7300, T0, 4, UPN)), 1))
                .as("two alerts of one stage are still one stage").isEmpty();
        assertThat(incidents.incidents(List.of(download, macro), 1)).extracting(a -> a.severity).containsExactly("Medium");
        assertThat(incidents.incidents(List.of(download, macro, c2), 1)).extracting(a -> a.severity).containsExactly("High");
    }

    @Test
    void anAlertBeyondTheWindowOfTheFirstStartsTheNextIncident() {
        List<CampaignHit> hits = List.of(
                deviceHit(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0, 1, UPN),
                deviceHit(CampaignStage.CREDENTIAL_THEFT, 9012, T0.plus(Duration.ofHours(48)), 2, UPN),
                deviceHit(CampaignStage.EXFILTRATION, 9930, T0.plus(Duration.ofHours(48)).plusNanos(100), 3, UPN),
                deviceHit(CampaignStage.BAZALOADER_C2, 7390, T0.plus(Duration.ofHours(50)), 4, UPN));

        List<Alert> result = incidents.incidents(hits, 1);

        assertThat(result).hasSize(2);
        assertThat(result.get(0).stages).extracting(s -> s.stage).containsExactly("certutil-download", "credential-theft");
        assertThat(result.get(1).stages).extracting(s -> s.stage).containsExactly("bazaloader-c2", "exfiltration");
        assertThat(result.get(0).alertId).isNotEqualTo(result.get(1).alertId);
    }

    @Test
    void theSameHitsInAnyOrderAndMultiplicityGiveTheSameIncident() {
        String expected = AlertJson.write(incidents.incidents(fullChain(), 1).get(0));
        Random random = new Random(14);
        for (int round = 0; round < 20; round++) {
            List<CampaignHit> shuffled = new ArrayList<>(fullChain());
            shuffled.addAll(fullChain().subList(0, random.nextInt(7)));
            Collections.shuffle(shuffled, random);
            assertThat(AlertJson.write(incidents.incidents(shuffled, 1).get(0))).isEqualTo(expected);
        }
    }

    @Test
    void anIncidentIsNamedByItsDeviceAndFirstDeviceAlertSoALateEmailKeepsItsAlertId() {
        List<CampaignHit> withoutEmail = fullChain().subList(1, 7);
        String id = incidents.incidents(withoutEmail, 1).get(0).alertId;

        assertThat(incidents.incidents(fullChain(), 2).get(0).alertId).isEqualTo(id);
        List<CampaignHit> otherDevice = new ArrayList<>();
        for (CampaignHit hit : withoutEmail) {
            CampaignHit moved = hit.joinedTo(hit);
            moved.deviceId = "0000000000000000000000000000000000000002";
            moved.joinedAlertId = null;
            otherDevice.add(moved);
        }
        assertThat(incidents.incidents(otherDevice, 1).get(0).alertId).isNotEqualTo(id);
    }

    @Test
    void theRowsOfOneAlertAreOneHitWithItsFirstAndLastSeen() {
        CampaignHit payload = deviceHit(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0, 18342, UPN);
        CampaignHit cache = deviceHit(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0.plusMillis(96), 18343, UPN);
        cache.folderPath = "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\9F3A1C0E5B7D2A4C";
        CampaignHit macro = deviceHit(CampaignStage.EXCEL_MACRO, 5120, T0.minusSeconds(11), 18040, UPN);

        Alert incident = incidents.incidents(List.of(cache, macro, payload), 1).get(0);

        Alert.Stage download = incident.stages.get(1);
        assertThat(download.alertIds).containsExactly(payload.alertId);
        assertThat(download.hits).hasSize(1);
        assertThat(download.hits.get(0).reportId).isEqualTo(18342L);
        assertThat(download.firstSeen).isEqualTo("2021-07-20T14:01:12.2500000Z");
        assertThat(download.lastSeen).isEqualTo("2021-07-20T14:01:12.3460000Z");
        assertThat(incident.droppedFiles).as("sorted").containsExactly(payload.folderPath, cache.folderPath);
    }

    @Test
    void withoutAnyAccountOnTheDeviceTheEmailStageIsLeftOutWithTheReason() {
        List<CampaignHit> hits = List.of(
                deviceHit(CampaignStage.EXCEL_MACRO, 5120, T0, 1, null),
                deviceHit(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0.plusSeconds(10), 2, " "));

        Alert incident = incidents.incidents(hits, 1).get(0);

        assertThat(incident.stages).extracting(s -> s.stage).doesNotContain("email-lure");
        assertThat(incident.emailJoin.accounts).isEmpty();
        assertThat(incident.emailJoin.reason).contains("name no account UPN");
    }

    @Test
    void withAccountsButNoLureTheReasonNamesTheAccountsAndTheWindow() {
        List<CampaignHit> hits = new ArrayList<>(fullChain().subList(1, 7));

        Alert incident = incidents.incidents(hits, 1).get(0);

        assertThat(incident.emailJoin.accounts).containsExactly("j.doe@contoso.com");
        assertThat(incident.emailJoin.reason).isEqualTo("no lure email to j.doe@contoso.com within 48h before one of"
                + " the device's hits");
    }

    @Test
    void anEmailThatIsNotJoinedToTheDeviceIsNotPartOfItsIncident() {
        List<CampaignHit> hits = new ArrayList<>(fullChain().subList(1, 7));
        hits.add(email("0f0f", EMAIL, UPN));

        assertThat(incidents.incidents(hits, 1).get(0).stages).extracting(s -> s.stage).doesNotContain("email-lure");
    }

    @Test
    void anEmailJoinedThroughSeveralAlertsBelongsToTheEarliestIncidentOnly() {
        CampaignHit first = deviceHit(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0, 1, UPN);
        CampaignHit firstMacro = deviceHit(CampaignStage.EXCEL_MACRO, 5120, T0.plusSeconds(5), 2, UPN);
        CampaignHit later = deviceHit(CampaignStage.CREDENTIAL_THEFT, 9012, T0.plus(Duration.ofHours(60)), 3, UPN);
        CampaignHit laterExfil = deviceHit(CampaignStage.EXFILTRATION, 9930, T0.plus(Duration.ofHours(61)), 4, UPN);
        CampaignHit lure = email("7e1b", T0.plus(Duration.ofHours(30)), UPN);

        List<Alert> result = incidents.incidents(
                List.of(first, firstMacro, later, laterExfil, lure.joinedTo(later), lure.joinedTo(laterExfil)), 1);

        assertThat(result).hasSize(2);
        assertThat(result.get(0).stages).extracting(s -> s.stage).doesNotContain("email-lure");
        assertThat(result.get(1).stages).extracting(s -> s.stage).startsWith("email-lure");
        assertThat(result.get(1).firstSeen).isEqualTo("2021-07-21T20:01:12.2500000Z");
    }

    @Test
    void anIncidentIsClosedOnceTheWatermarkPassesItsWindowAndForgettingItKeepsTheLaterIncidents() {
        CampaignHit first = deviceHit(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0, 1, UPN);
        CampaignHit firstMacro = deviceHit(CampaignStage.EXCEL_MACRO, 5120, T0.plusSeconds(5), 2, UPN);
        CampaignHit lure = email("7e1b", T0.minus(Duration.ofHours(3)), UPN).joinedTo(first);
        CampaignHit later = deviceHit(CampaignStage.CREDENTIAL_THEFT, 9012, T0.plus(Duration.ofHours(60)), 3, UPN);
        CampaignHit laterExfil = deviceHit(CampaignStage.EXFILTRATION, 9930, T0.plus(Duration.ofHours(61)), 4, UPN);
        List<CampaignHit> hits = List.of(first, firstMacro, lure, later, laterExfil);
        List<Alert> all = incidents.incidents(hits, 1);

        long windowEnd = nanos(T0.plus(Duration.ofHours(48)));
        assertThat(incidents.alertsOfClosedIncidents(hits, windowEnd)).as("the window end itself is inside").isEmpty();
        java.util.Set<String> closed = incidents.alertsOfClosedIncidents(hits, windowEnd + 1);
        assertThat(closed).containsExactlyInAnyOrder(first.alertId, firstMacro.alertId, lure.alertId);

        List<CampaignHit> kept = hits.stream().filter(hit -> !closed.contains(hit.alertId)).toList();
        assertThat(incidents.incidents(kept, 1)).extracting(AlertJson::write).containsExactly(AlertJson.write(all.get(1)));
    }

    @Test
    void hitsOfTwoDevicesAreRefused() {
        CampaignHit other = deviceHit(CampaignStage.EXCEL_MACRO, 5120, T0, 1, UPN);
        other.deviceId = "0000000000000000000000000000000000000002";
        assertThatThrownBy(() -> incidents.incidents(List.of(fullChain().get(1), other), 1))
                .hasMessageContaining("two devices");
    }

    @Test
    void theWindowMustBePositive() {
        assertThatThrownBy(() -> new CampaignIncidents(CATALOG, Duration.ZERO)).hasMessageContaining("--campaign-window");
    }
}
