package dev.bazahunt.correlation;

import static dev.bazahunt.correlation.CorrelationFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvidenceStageTest {
    private static final List<String> DROPPED = List.of("tmp1834.dll", "9F3A1C0E5B7D2A4C");

    @Test
    void mkdirAndCopyOfCertutilIsTheCopyStage() {
        assertThat(EvidenceStage.classify(copiesCertutil(), DROPPED)).isEqualTo(EvidenceStage.CERTUTIL_COPIED);
    }

    @Test
    void rundll32WithGlobalOutIsThePayloadStage() {
        assertThat(EvidenceStage.classify(runsPayload(), List.of())).isEqualTo(EvidenceStage.PAYLOAD_EXECUTED);
    }

    @Test
    void aCommandNamingTheDroppedFileIsThePayloadStage() {
        ExcelChildEvent regsvr = excelChild(T0 + 1, 1, 9, T0, "regsvr32.exe",
                "regsvr32.exe /s C:\\Users\\Public\\x8k2\\TMP1834.DLL");
        assertThat(EvidenceStage.classify(regsvr, DROPPED)).isEqualTo(EvidenceStage.PAYLOAD_EXECUTED);
    }

    @Test
    void aLongerFileNameThatMerelyContainsTheDroppedNameIsNot() {
        ExcelChildEvent other = excelChild(T0 + 1, 1, 9, T0, "regsvr32.exe", "regsvr32.exe /s C:\\x\\xtmp1834.dll");
        assertThat(EvidenceStage.classify(other, DROPPED)).isEqualTo(EvidenceStage.EXCEL_CHILD);
    }

    @Test
    void anythingElseExcelSpawnedIsAnExcelChild() {
        assertThat(EvidenceStage.classify(whoami(), DROPPED)).isEqualTo(EvidenceStage.EXCEL_CHILD);
    }
}
