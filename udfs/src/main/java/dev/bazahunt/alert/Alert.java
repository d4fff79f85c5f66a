package dev.bazahunt.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The alert bazahunt emits, as a SIEM receives it. Field names follow Defender's column spelling so a
 * Sentinel analyst recognises them; the JSON Schema in {@code schema/alert.schema.json} documents each
 * one. Built by {@link AlertAssembler}; never a Flink record (alerts travel as JSON text).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "AlertId", "Revision", "RuleId", "RuleName", "Severity", "Description", "Timestamp", "LastSeen",
    "DeviceId", "DeviceName", "MachineGroup", "AccountDomain", "AccountName",
    "InitiatingProcessId", "InitiatingProcessCreationTime", "InitiatingProcessFileName",
    "InitiatingProcessFolderPath", "InitiatingProcessCommandLine",
    "InitiatingProcessVersionInfoOriginalFileName", "InitiatingProcessParentFileName",
    "DownloadUrl", "DroppedFiles", "ReportIds", "Tactics", "Techniques",
    "NetworkMessageId", "Subject", "SenderFromAddress", "Recipients", "FileOriginReferrerUrl", "MatchedRows",
    "Campaign", "RelatedAlertId", "LinkStrength", "ExcelChildrenOmitted", "Evidence",
    "FirstSeen", "StageCount", "Stages", "EmailJoin"
})
public final class Alert {
    @JsonProperty("AlertId") public String alertId;
    @JsonProperty("Revision") public int revision;
    @JsonProperty("RuleId") public String ruleId;
    @JsonProperty("RuleName") public String ruleName;
    @JsonProperty("Severity") public String severity;
    @JsonProperty("Description") public String description;
    /** Event time of the download: its earliest matching row, ISO-8601 UTC with 7 fractional digits. */
    @JsonProperty("Timestamp") public String timestamp;
    /** Its latest matching row. */
    @JsonProperty("LastSeen") public String lastSeen;
    @JsonProperty("DeviceId") public String deviceId;
    @JsonProperty("DeviceName") public String deviceName;
    @JsonProperty("MachineGroup") public String machineGroup;
    @JsonProperty("AccountDomain") public String accountDomain;
    @JsonProperty("AccountName") public String accountName;
    @JsonProperty("InitiatingProcessId") public Long initiatingProcessId;
    @JsonProperty("InitiatingProcessCreationTime") public String initiatingProcessCreationTime;
    @JsonProperty("InitiatingProcessFileName") public String initiatingProcessFileName;
    @JsonProperty("InitiatingProcessFolderPath") public String initiatingProcessFolderPath;
    @JsonProperty("InitiatingProcessCommandLine") public String initiatingProcessCommandLine;
    @JsonProperty("InitiatingProcessVersionInfoOriginalFileName") public String initiatingProcessOriginalFileName;
    @JsonProperty("InitiatingProcessParentFileName") public String initiatingProcessParentFileName;
    @JsonProperty("DownloadUrl") public String downloadUrl;
    @JsonProperty("DroppedFiles") public List<String> droppedFiles;
    @JsonProperty("ReportIds") public List<Long> reportIds;
    @JsonProperty("Tactics") public List<String> tactics;
    @JsonProperty("Techniques") public List<String> techniques;
    // Email rules (one alert per message): the message and who received it.
    @JsonProperty("NetworkMessageId") public String networkMessageId;
    @JsonProperty("Subject") public String subject;
    @JsonProperty("SenderFromAddress") public String senderFromAddress;
    @JsonProperty("Recipients") public List<String> recipients;
    /** DeviceFileEvents rules of the pack: the page that linked to the download. */
    @JsonProperty("FileOriginReferrerUrl") public String fileOriginReferrerUrl;
    /** Process and network rules of the pack: each matched row, oldest first. */
    @JsonProperty("MatchedRows") public List<MatchedRow> matchedRows;
    // Correlated alerts, and pack rules of the BazaCall campaign.
    @JsonProperty("Campaign") public String campaign;
    @JsonProperty("RelatedAlertId") public String relatedAlertId;
    @JsonProperty("LinkStrength") public String linkStrength;
    @JsonProperty("Evidence") public List<Evidence> evidence;
    /**
     * Correlated alerts on a busy host: Excel children near the download that correlation left out,
     * beyond the device's budget (stage-bearing children are never left out). Absent when none were.
     */
    @JsonProperty("ExcelChildrenOmitted") public Integer excelChildrenOmitted;
    // Campaign incidents only.
    /** The incident's earliest hit, the lure email included. */
    @JsonProperty("FirstSeen") public String firstSeen;
    @JsonProperty("StageCount") public Integer stageCount;
    /** The stages the device showed, in kill-chain order. */
    @JsonProperty("Stages") public List<Stage> stages;
    @JsonProperty("EmailJoin") public EmailJoin emailJoin;

    public Alert() {}

    /** One kill-chain stage of a campaign incident: the alerts that show it and when it was first seen. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"Stage", "FirstSeen", "LastSeen", "AlertIds", "Hits"})
    public static final class Stage {
        /** email-lure, excel-delivery, excel-macro, certutil-download, bazaloader-c2, credential-theft or exfiltration. */
        @JsonProperty("Stage") public String stage;
        @JsonProperty("FirstSeen") public String firstSeen;
        @JsonProperty("LastSeen") public String lastSeen;
        /** Sorted. */
        @JsonProperty("AlertIds") public List<String> alertIds;
        /** The first row of each alert, oldest first: what the stage looked like on the device. */
        @JsonProperty("Hits") public List<StageHit> hits;

        public Stage() {}
    }

    /** The first row of one alert in a stage, reduced to what an analyst reads on a timeline. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"Timestamp", "AlertId", "RuleId", "RuleName", "ReportId", "NetworkMessageId", "Account", "FileName",
            "ProcessCommandLine", "FolderPath", "Url", "RemoteIP", "Sender", "Subject"})
    public static final class StageHit {
        @JsonProperty("Timestamp") public String timestamp;
        @JsonProperty("AlertId") public String alertId;
        @JsonProperty("RuleId") public String ruleId;
        @JsonProperty("RuleName") public String ruleName;
        @JsonProperty("ReportId") public Long reportId;
        /** The lure email's message id. */
        @JsonProperty("NetworkMessageId") public String networkMessageId;
        /** The account UPN the hit names (the recipient, for an email). */
        @JsonProperty("Account") public String account;
        /** The process the hit shows (cmd.exe, the renamed certutil, rundll32.exe, ntdsutil.exe, ...). */
        @JsonProperty("FileName") public String fileName;
        @JsonProperty("ProcessCommandLine") public String processCommandLine;
        /** The file a file row wrote, or the image of the process a process row started. */
        @JsonProperty("FolderPath") public String folderPath;
        /** FileOriginUrl of a download, RemoteUrl of a connection. */
        @JsonProperty("Url") public String url;
        @JsonProperty("RemoteIP") public String remoteIp;
        @JsonProperty("Sender") public String sender;
        @JsonProperty("Subject") public String subject;

        public StageHit() {}
    }

    /**
     * How the incident's device was tied to lure emails: the recipient accounts that joined, or the
     * reason no email is listed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"Accounts", "Reason"})
    public static final class EmailJoin {
        /** Account UPNs (lower case) of the device's hits; the ones a lure reached when it joined. */
        @JsonProperty("Accounts") public List<String> accounts;
        /** Why no email-lure stage is listed; absent when one is. */
        @JsonProperty("Reason") public String reason;

        public EmailJoin() {}
    }

    /** One Excel-spawned process linked to the download. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"Timestamp", "ReportId", "ProcessId", "ProcessCreationTime", "FileName",
            "ProcessCommandLine", "Stage", "Link"})
    public static final class Evidence {
        @JsonProperty("Timestamp") public String timestamp;
        @JsonProperty("ReportId") public Long reportId;
        @JsonProperty("ProcessId") public Long processId;
        @JsonProperty("ProcessCreationTime") public String processCreationTime;
        @JsonProperty("FileName") public String fileName;
        @JsonProperty("ProcessCommandLine") public String processCommandLine;
        /** certutil-copied, payload-executed or excel-child. */
        @JsonProperty("Stage") public String stage;
        /** lineage or device-window. */
        @JsonProperty("Link") public String link;

        public Evidence() {}
    }

    /** One row a process or network rule of the pack matched, with the columns of its table. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"Timestamp", "ReportId", "ProcessId", "ProcessCreationTime", "FileName", "FolderPath",
            "ProcessCommandLine", "AccountName", "RemoteUrl", "RemoteIP", "RemotePort"})
    public static final class MatchedRow {
        @JsonProperty("Timestamp") public String timestamp;
        @JsonProperty("ReportId") public Long reportId;
        @JsonProperty("ProcessId") public Long processId;
        @JsonProperty("ProcessCreationTime") public String processCreationTime;
        @JsonProperty("FileName") public String fileName;
        @JsonProperty("FolderPath") public String folderPath;
        @JsonProperty("ProcessCommandLine") public String processCommandLine;
        @JsonProperty("AccountName") public String accountName;
        @JsonProperty("RemoteUrl") public String remoteUrl;
        @JsonProperty("RemoteIP") public String remoteIP;
        @JsonProperty("RemotePort") public Long remotePort;

        public MatchedRow() {}
    }
}
