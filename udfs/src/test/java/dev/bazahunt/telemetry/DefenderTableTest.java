package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefenderTableTest {
    @Test
    void storageContainerAndExportNamesGiveTheTable() {
        assertThat(DefenderTable.fromPath("/exports/insights-logs-advancedhunting-deviceprocessevents/tenantId=x/y=2021/PT1H.json"))
                .isEqualTo(DefenderTable.DEVICE_PROCESS_EVENTS);
        assertThat(DefenderTable.fromPath("/hunts/DeviceFileEvents-2021-07.jsonl")).isEqualTo(DefenderTable.DEVICE_FILE_EVENTS);
    }

    @Test
    void theNameClosestToTheFileWins() {
        assertThat(DefenderTable.fromPath("/deviceprocessevents/archive/devicefileevents.json"))
                .isEqualTo(DefenderTable.DEVICE_FILE_EVENTS);
    }

    @Test
    void aPathNamingNeitherTableGivesNone() {
        assertThat(DefenderTable.fromPath("/exports/advanced-hunting-2021-07-22.jsonl.gz")).isNull();
        assertThat(DefenderTable.fromPath(null)).isNull();
    }

    @Test
    void categoriesAndNamesIgnoreCase() {
        assertThat(DefenderTable.fromNameOrCategory("AdvancedHunting-DeviceFileEvents")).isEqualTo(DefenderTable.DEVICE_FILE_EVENTS);
        assertThat(DefenderTable.fromNameOrCategory("deviceprocessevents")).isEqualTo(DefenderTable.DEVICE_PROCESS_EVENTS);
        assertThat(DefenderTable.fromNameOrCategory("AdvancedHunting-DeviceRegistryEvents"))
                .isEqualTo(DefenderTable.DEVICE_REGISTRY_EVENTS);
        assertThat(DefenderTable.fromNameOrCategory("DeviceSomethingEvents")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "AADSignInEventsBeta", "AlertEvidence", "AlertInfo", "CloudAppEvents", "DeviceEvents", "DeviceImageLoadEvents",
        "DeviceInfo", "DeviceLogonEvents", "DeviceNetworkEvents", "DeviceNetworkInfo", "DeviceRegistryEvents",
        "DeviceFileCertificateInfo", "DeviceTvmSoftwareVulnerabilitiesKB", "EmailAttachmentInfo", "EmailEvents",
        "EmailPostDeliveryEvents", "EmailUrlInfo", "IdentityDirectoryEvents", "IdentityInfo", "IdentityLogonEvents",
        "IdentityQueryEvents", "UrlClickEvents", "ExposureGraphNodes", "OAuthAppInfo"})
    void everyAdvancedHuntingTableIsKnownByNameCategoryAndFileName(String tableName) {
        DefenderTable table = DefenderTable.fromNameOrCategory(tableName);
        assertThat(table).isNotNull();
        assertThat(table.tableName()).isEqualTo(tableName);
        assertThat(DefenderTable.fromNameOrCategory("AdvancedHunting-" + tableName)).isSameAs(table);
        assertThat(DefenderTable.fromPath("/exports/2024-10/" + tableName + ".csv")).isSameAs(table);
        assertThat(DefenderTable.fromPath("insights-logs-advancedhunting-" + tableName.toLowerCase(Locale.ROOT)
                + "/tenantId=x/y=2024/m=10/d=09/h=14/m=00/PT1H.json")).isSameAs(table);
    }

    @Test
    void namesAreUniqueAndTheSchemaListIsComplete() {
        Set<String> names = new HashSet<>();
        for (DefenderTable table : DefenderTable.values()) {
            assertThat(names.add(table.tableName().toLowerCase(Locale.ROOT))).as(table.tableName()).isTrue();
        }
        assertThat(names).hasSize(62);
    }

    @Test
    void aPathNamesItsTableInAsciiCaseOnly() {
        assertThat(DefenderTable.fromPath("/x/DEVICEPROCESSEVENTS.json")).isEqualTo(DefenderTable.DEVICE_PROCESS_EVENTS);
        // A dotless ı or a Kelvin sign is no i or k: Java's own case folding would take them for one.
        assertThat(DefenderTable.fromPath("/x/dev\u0131ceprocessevents.json")).isNull();
        assertThat(DefenderTable.fromPath("/x/DeviceNetwor\u212Aevents.json")).isNull();
    }

    @Test
    void ofTwoNamesEndingTogetherTheLongerWins() {
        assertThat(DefenderTable.fromPath("/x/DeviceTvmSoftwareVulnerabilitiesKB.jsonl"))
                .isEqualTo(DefenderTable.DEVICE_TVM_SOFTWARE_VULNERABILITIES_KB);
        assertThat(DefenderTable.fromPath("/x/DeviceTvmSoftwareVulnerabilities.jsonl"))
                .isEqualTo(DefenderTable.DEVICE_TVM_SOFTWARE_VULNERABILITIES);
        assertThat(DefenderTable.fromPath("/x/DeviceTvmSecureConfigurationAssessmentKB.csv"))
                .isEqualTo(DefenderTable.DEVICE_TVM_SECURE_CONFIGURATION_ASSESSMENT_KB);
    }

    @Test
    void theHuntedTablesAreTheOnesTheRulesRead() {
        assertThat(DefenderTable.hunted()).contains(DefenderTable.DEVICE_FILE_EVENTS, DefenderTable.DEVICE_PROCESS_EVENTS);
        assertThat(DefenderTable.hunted()).allMatch(DefenderTable::isHunted);
        assertThat(DefenderTable.DEVICE_EVENTS.isHunted()).isFalse();
        assertThat(DefenderTable.DEVICE_REGISTRY_EVENTS.isHunted()).isFalse();
        assertThat(DefenderTable.hunted()).containsExactly(DefenderTable.DEVICE_FILE_EVENTS,
                DefenderTable.DEVICE_NETWORK_EVENTS, DefenderTable.DEVICE_PROCESS_EVENTS, DefenderTable.EMAIL_EVENTS);
    }

    @Test
    void flatRowsInAFileNamedAfterAnotherTableAreSkippedAsThatTable() {
        String deviceEventsRow = """
                {"Timestamp":"2024-10-09T14:56:53Z","DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c",\
                "ActionType":"AntivirusDetection","FileName":"mso4021.dll","ReportId":77}""";
        DefenderTable hint = DefenderTable.fromPath("/exports/DeviceEvents.jsonl");
        CollectingSink sink = CollectingSink.parse(deviceEventsRow, hint);
        assertThat(sink.deadLetters).isEmpty();
        assertThat(sink.skippedTables).containsExactly("DeviceEvents");
        assertThat(CollectingSink.parse(DefenderTelemetrySamples.envelope("deviceregistryevents", "{}")).skippedTables)
                .containsExactly("DeviceRegistryEvents");
    }
}
