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
    "Campaign", "RelatedAlertId", "LinkStrength", "Evidence"
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
    // Correlated alerts only.
    @JsonProperty("Campaign") public String campaign;
    @JsonProperty("RelatedAlertId") public String relatedAlertId;
    @JsonProperty("LinkStrength") public String linkStrength;
    @JsonProperty("Evidence") public List<Evidence> evidence;

    public Alert() {}

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
}
