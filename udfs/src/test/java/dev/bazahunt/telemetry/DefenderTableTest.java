package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
        assertThat(DefenderTable.fromNameOrCategory("DeviceNetworkEvents")).isNull();
    }
}
