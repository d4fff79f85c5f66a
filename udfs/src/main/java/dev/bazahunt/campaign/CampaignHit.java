package dev.bazahunt.campaign;

import dev.bazahunt.rules.CampaignStage;
import dev.bazahunt.rules.RuleDefinition;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DeviceEvent;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import dev.bazahunt.telemetry.EmailEvent;
import java.util.Locale;
import java.util.Objects;

/**
 * One row that a campaign rule matched, as the campaign incident sees it: which device, which
 * kill-chain stage, which alert the row belongs to, and the few columns an analyst reads on a timeline.
 * A lure email has no device until it is joined to one through its recipient's account; the joined copy
 * names the device and the device alert it joined through. A Flink POJO with value equality.
 */
public class CampaignHit {
    /** Null for an email that is not joined to a device yet. */
    public String deviceId;
    public String deviceName;
    public CampaignStage stage;
    public String ruleId;
    /** The AlertId of the alert this row raised (or revised). */
    public String alertId;
    /** Epoch nanoseconds UTC. */
    public long timestamp;
    public Long reportId;
    /** For an email: the message, the unit the email rule alerts on. */
    public String networkMessageId;
    /** The account UPN the row names, lower case: the process's account, or the email's recipient. */
    public String account;
    public String fileName;
    public String processCommandLine;
    public String folderPath;
    public String url;
    public String remoteIp;
    public String sender;
    public String subject;
    /** For a joined email: the device alert whose account the recipient matched. */
    public String joinedAlertId;

    public CampaignHit() {}

    /** A row of any table the pack reads, by its table. */
    public static CampaignHit of(RuleDefinition rule, String alertId, DefenderEvent event) {
        if (event instanceof DeviceFileEvent file) {
            return of(rule, alertId, file);
        }
        if (event instanceof DeviceProcessEvent process) {
            return of(rule, alertId, process);
        }
        if (event instanceof DeviceNetworkEvent network) {
            return of(rule, alertId, network);
        }
        return of(rule, alertId, (EmailEvent) event);
    }

    /** A connection of {@code rule}: the process that made it (rundll32 running BazaLoader) and where to. */
    public static CampaignHit of(RuleDefinition rule, String alertId, DeviceNetworkEvent event) {
        CampaignHit hit = onDevice(rule, alertId, event, event.initiatingProcessAccountUpn);
        hit.fileName = event.initiatingProcessFileName;
        hit.processCommandLine = event.initiatingProcessCommandLine;
        hit.url = event.remoteUrl;
        hit.remoteIp = event.remoteIP;
        return hit;
    }

    /**
     * A lure email of {@code rule}, not yet on a device: its recipient is the account through which it
     * joins one. Email rows carry their ReportId as text, so the hit has none.
     */
    public static CampaignHit of(RuleDefinition rule, String alertId, EmailEvent event) {
        CampaignHit hit = base(rule, alertId, event.timestamp, null);
        hit.networkMessageId = event.networkMessageId;
        hit.account = normaliseAccount(event.recipientEmailAddress);
        hit.sender = event.senderFromAddress;
        hit.subject = event.subject;
        return hit;
    }

    /**
     * A file event of {@code rule}: the process that wrote the file (the renamed certutil, or the browser
     * that saved the workbook), its command line, the file and where it came from.
     */
    public static CampaignHit of(RuleDefinition rule, String alertId, DeviceFileEvent event) {
        CampaignHit hit = onDevice(rule, alertId, event, event.initiatingProcessAccountUpn);
        hit.fileName = event.initiatingProcessFileName;
        hit.processCommandLine = event.initiatingProcessCommandLine;
        hit.folderPath = event.folderPath;
        hit.url = event.fileOriginUrl;
        return hit;
    }

    /** A process event of {@code rule}: the process that started (cmd.exe, ntdsutil.exe, the renamed rclone). */
    public static CampaignHit of(RuleDefinition rule, String alertId, DeviceProcessEvent event) {
        String account = event.accountUpn != null && !event.accountUpn.isEmpty()
                ? event.accountUpn : event.initiatingProcessAccountUpn;
        CampaignHit hit = onDevice(rule, alertId, event, account);
        hit.fileName = event.fileName;
        hit.processCommandLine = event.processCommandLine;
        hit.folderPath = event.folderPath;
        return hit;
    }

    /** The fields every device row shares. */
    static CampaignHit onDevice(RuleDefinition rule, String alertId, DeviceEvent event, String accountUpn) {
        CampaignHit hit = base(rule, alertId, event.timestamp, event.reportId);
        hit.deviceId = event.deviceId;
        hit.deviceName = event.deviceName;
        hit.account = normaliseAccount(accountUpn);
        return hit;
    }

    /** Stage, rule, alert and time; the rule must name a campaign stage. */
    static CampaignHit base(RuleDefinition rule, String alertId, long timestamp, Long reportId) {
        CampaignStage stage = rule.campaignStage();
        if (stage == null) {
            throw new IllegalArgumentException("rule " + rule.id() + " names no campaign stage");
        }
        CampaignHit hit = new CampaignHit();
        hit.stage = stage;
        hit.ruleId = rule.id();
        hit.alertId = Objects.requireNonNull(alertId, "alertId");
        hit.timestamp = timestamp;
        hit.reportId = reportId;
        return hit;
    }

    /**
     * UPNs and email addresses compare case-insensitively (Entra ID and Exchange both treat them so),
     * and Defender writes either case; null or blank means the row names no account.
     */
    public static String normaliseAccount(String upn) {
        if (upn == null || upn.isBlank()) {
            return null;
        }
        return upn.trim().toLowerCase(Locale.ROOT);
    }

    public boolean isEmail() {
        return stage == CampaignStage.EMAIL_LURE;
    }

    /** A copy of this email tied to the device of {@code deviceHit}, through the hit's account. */
    public CampaignHit joinedTo(CampaignHit deviceHit) {
        CampaignHit joined = copy();
        joined.deviceId = deviceHit.deviceId;
        joined.deviceName = deviceHit.deviceName;
        joined.joinedAlertId = deviceHit.alertId;
        return joined;
    }

    public long timestampMillis() {
        return Math.floorDiv(timestamp, 1_000_000L);
    }

    /** The row itself, within its alert and (for a joined email) its join: the same row twice is one hit. */
    public String identity() {
        return alertId + '|' + reportId + '|' + networkMessageId + '|' + timestamp + '|' + joinedAlertId;
    }

    private CampaignHit copy() {
        CampaignHit copy = new CampaignHit();
        copy.deviceId = deviceId;
        copy.deviceName = deviceName;
        copy.stage = stage;
        copy.ruleId = ruleId;
        copy.alertId = alertId;
        copy.timestamp = timestamp;
        copy.reportId = reportId;
        copy.networkMessageId = networkMessageId;
        copy.account = account;
        copy.fileName = fileName;
        copy.processCommandLine = processCommandLine;
        copy.folderPath = folderPath;
        copy.url = url;
        copy.remoteIp = remoteIp;
        copy.sender = sender;
        copy.subject = subject;
        copy.joinedAlertId = joinedAlertId;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CampaignHit other
                && timestamp == other.timestamp
                && stage == other.stage
                && Objects.equals(deviceId, other.deviceId)
                && Objects.equals(alertId, other.alertId)
                && Objects.equals(reportId, other.reportId)
                && Objects.equals(account, other.account)
                && Objects.equals(joinedAlertId, other.joinedAlertId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, alertId, reportId, timestamp);
    }

    @Override
    public String toString() {
        return "CampaignHit{" + stage.label() + " " + deviceId + " " + alertId + " @" + timestamp + "}";
    }
}
