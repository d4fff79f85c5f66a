package dev.bazahunt.alert;

import static dev.bazahunt.correlation.CorrelationFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.ExcelChildEvent;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleDefinition;
import dev.bazahunt.rules.RuleIds;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertAssemblerTest {
    private final AlertAssembler assembler = new AlertAssembler(RuleCatalog.standard());

    @Test
    void baseAlertCarriesTheRuleTheProcessAndEveryRowAsEvidence() {
        Alert alert = assembler.baseAlert(List.of(cacheRow(), payloadRow()), 1);

        assertThat(alert.ruleId).isEqualTo(RuleIds.CERTUTIL_DOWNLOAD);
        assertThat(alert.ruleName).isEqualTo(RuleCatalog.standard().byId(RuleIds.CERTUTIL_DOWNLOAD).name());
        assertThat(alert.revision).isEqualTo(1);
        assertThat(alert.timestamp).isEqualTo("2021-07-20T14:02:58.1034567Z");
        assertThat(alert.deviceId).isEqualTo(DEVICE);
        assertThat(alert.accountName).isEqualTo("j.doe");
        assertThat(alert.initiatingProcessId).isEqualTo(7212L);
        assertThat(alert.initiatingProcessFileName).isEqualTo("x8k2.exe");
        assertThat(alert.downloadUrl).isEqualTo("http://pshe0pxe339.xyz/xe1t23ym0s.php");
        assertThat(alert.droppedFiles).containsExactly(
                "C:\\Users\\Public\\x8k2\\tmp1834.dll",
                "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\9F3A1C0E5B7D2A4C");
        assertThat(alert.reportIds).containsExactly(18342L, 18343L);
        assertThat(alert.techniques).containsExactly("T1105", "T1036.003");
        assertThat(alert.tactics).containsExactly("InitialAccess", "DefenseEvasion");
        assertThat(alert.campaign).isNull();
        assertThat(alert.evidence).isNull();
    }

    @Test
    void hardenedAlertTakesNameSeverityAndDescriptionFromItsRuleFile() {
        RuleDefinition hardened = RuleCatalog.standard().byId(RuleIds.CERTUTIL_DOWNLOAD_HARDENED);

        Alert alert = assembler.hardenedAlert(List.of(cacheRow(), payloadRow()), 1);
        Alert faithful = assembler.baseAlert(List.of(cacheRow(), payloadRow()), 1);

        assertThat(alert.ruleId).isEqualTo(RuleIds.CERTUTIL_DOWNLOAD_HARDENED);
        assertThat(alert.ruleName).isEqualTo(hardened.name());
        assertThat(alert.severity).isEqualTo("High").isNotEqualTo(faithful.severity);
        assertThat(alert.description).isEqualTo(hardened.description());
        assertThat(alert.tactics).containsExactlyElementsOf(hardened.tactics());
        assertThat(alert.techniques).containsExactly("T1105", "T1036.003");
        assertThat(alert.alertId).isNotEqualTo(faithful.alertId);
        assertThat(alert.droppedFiles).isEqualTo(faithful.droppedFiles);
    }

    @Test
    void alertIdDependsOnTheProcessInstanceNotOnRowOrderOrDuplicates() {
        Alert one = assembler.baseAlert(List.of(payloadRow(), cacheRow()), 1);
        Alert other = assembler.baseAlert(List.of(cacheRow(), payloadRow(), cacheRow()), 1);

        assertThat(AlertJson.write(other)).isEqualTo(AlertJson.write(one));
        DownloadRow anotherProcess = payloadRow();
        anotherProcess.initiatingProcessCreationTime = anotherProcess.initiatingProcessCreationTime + 1;
        assertThat(assembler.baseAlert(List.of(anotherProcess), 1).alertId).isNotEqualTo(one.alertId);
    }

    @Test
    void correlatedAlertListsEachExcelEventWithStageAndLink() {
        List<DownloadRow> rows = List.of(payloadRow(), cacheRow());
        List<ExcelChildEvent> excel = List.of(runsPayload(), copiesCertutil(), whoami(), copiesCertutil());

        Alert alert = assembler.correlatedAlert(rows, excel, 1);
        Alert base = assembler.baseAlert(rows, 1);

        assertThat(alert.ruleId).isEqualTo(RuleIds.BAZACALL_CORRELATION);
        assertThat(alert.alertId).isNotEqualTo(base.alertId);
        assertThat(alert.relatedAlertId).isEqualTo(base.alertId);
        assertThat(alert.campaign).isEqualTo("BazaCall");
        assertThat(alert.linkStrength).isEqualTo("lineage");
        assertThat(alert.evidence).extracting(e -> e.processId + ":" + e.stage + ":" + e.link).containsExactly(
                "6012:excel-child:device-window",
                "6640:certutil-copied:lineage",
                "7388:payload-executed:device-window");
        assertThat(alert.techniques).contains("T1105", "T1036.003", "T1204.002", "T1218.011");
    }

    @Test
    void withoutRundll32TheProxyExecutionTechniqueIsNotClaimed() {
        Alert alert = assembler.correlatedAlert(List.of(payloadRow()), List.of(whoami()), 2);
        assertThat(alert.techniques).doesNotContain("T1218.011").contains("T1204.002");
        assertThat(alert.linkStrength).isEqualTo("device-window");
        assertThat(alert.revision).isEqualTo(2);
    }

    @Test
    void alertsNeedEvidence() {
        assertThatThrownBy(() -> assembler.baseAlert(List.of(), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> assembler.correlatedAlert(List.of(payloadRow()), List.of(), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonRoundTripsAndKeepsDefenderFieldNames() {
        Alert alert = assembler.correlatedAlert(List.of(payloadRow()), List.of(copiesCertutil()), 1);
        String json = AlertJson.write(alert);
        assertThat(json).startsWith("{\"AlertId\":\"").contains("\"Revision\":1", "\"Evidence\":[{\"Timestamp\"");
        assertThat(AlertJson.write(AlertJson.read(json))).isEqualTo(json);
    }
}
