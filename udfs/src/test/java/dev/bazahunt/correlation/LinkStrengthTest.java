package dev.bazahunt.correlation;

import static dev.bazahunt.correlation.CorrelationFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkStrengthTest {
    @Test
    void downloadWhoseParentIsTheExcelChildIsLineage() {
        assertThat(LinkStrength.of(payloadRow(), copiesCertutil())).isEqualTo(LinkStrength.LINEAGE);
    }

    @Test
    void downloadWhoseParentIsExcelItselfIsLineage() {
        DownloadRow row = payloadRow();
        row.initiatingProcessParentId = EXCEL_PID;
        row.initiatingProcessParentCreationTime = EXCEL_CREATED;
        assertThat(LinkStrength.of(row, whoami())).isEqualTo(LinkStrength.LINEAGE);
    }

    @Test
    void aRecycledProcessIdWithAnotherCreationTimeIsOnlyTheDeviceWindow() {
        DownloadRow row = payloadRow();
        row.initiatingProcessParentCreationTime = CMD_CREATED + 1;
        assertThat(LinkStrength.of(row, copiesCertutil())).isEqualTo(LinkStrength.DEVICE_WINDOW);
    }

    @Test
    void missingParentColumnsProveNothing() {
        DownloadRow row = payloadRow();
        row.initiatingProcessParentCreationTime = null;
        assertThat(LinkStrength.of(row, copiesCertutil())).isEqualTo(LinkStrength.DEVICE_WINDOW);
    }
}
