package dev.bazahunt.correlation;

import dev.bazahunt.alert.AlertIds;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DeviceEvent;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import dev.bazahunt.telemetry.EmailEvent;
import java.util.Objects;

/**
 * One row that a rule matched, reduced to the columns that the alert and de-duplication need, and
 * nothing more: it lives in keyed state for the length of the correlation window (plus the retention
 * in live mode). Named for the certutil download, the rule the hunt began with; the pack's rules on
 * other tables fill the columns their table has (process, network and email columns below) and leave
 * the rest null. A Flink POJO.
 */
public class DownloadRow {
    /** The rule that matched the row: the faithful rule or the hardened one. */
    public String ruleId;
    public String deviceId;
    public String deviceName;
    public String machineGroup;
    /** Epoch nanoseconds UTC. */
    public long timestamp;
    public Long reportId;
    public String fileName;
    public String folderPath;
    public String fileOriginUrl;
    public Long initiatingProcessId;
    public Long initiatingProcessCreationTime;
    public String initiatingProcessFileName;
    public String initiatingProcessFolderPath;
    public String initiatingProcessCommandLine;
    public String initiatingProcessVersionInfoOriginalFileName;
    public String initiatingProcessAccountDomain;
    public String initiatingProcessAccountName;
    public Long initiatingProcessParentId;
    public Long initiatingProcessParentCreationTime;
    public String initiatingProcessParentFileName;
    /**
     * An exclusion names this row's rule: the row raises no base alert, but it is still evidence of
     * the correlated alert unless an exclusion names the correlation rule too.
     */
    public boolean baseExcluded;
    // DeviceFileEvents: where a delivered file came from.
    public String fileOriginReferrerUrl;
    // DeviceProcessEvents: the process the row is about.
    public Long processId;
    public Long processCreationTime;
    public String processCommandLine;
    public String accountName;
    public String accountUpn;
    // DeviceNetworkEvents.
    public String remoteUrl;
    public String remoteIP;
    public Long remotePort;
    // EmailEvents: one alert per message, so these stand in for the device and process.
    public String networkMessageId;
    public String subject;
    public String senderFromAddress;
    public String recipientEmailAddress;
    public String recipientObjectId;

    public DownloadRow() {}

    /** The row of any table the hunt reads, for {@code ruleId}. */
    public static DownloadRow from(DefenderEvent event, String ruleId) {
        if (event instanceof EmailEvent email) {
            DownloadRow row = new DownloadRow();
            row.ruleId = ruleId;
            row.timestamp = email.timestamp;
            row.networkMessageId = email.networkMessageId;
            row.subject = email.subject;
            row.senderFromAddress = email.senderFromAddress;
            row.recipientEmailAddress = email.recipientEmailAddress;
            row.recipientObjectId = email.recipientObjectId;
            return row;
        }
        if (event instanceof DeviceFileEvent file) {
            DownloadRow row = from(file, ruleId);
            row.fileOriginReferrerUrl = file.fileOriginReferrerUrl;
            return row;
        }
        DownloadRow row = fromDevice((DeviceEvent) event, ruleId);
        if (event instanceof DeviceProcessEvent process) {
            row.processId = process.processId;
            row.processCreationTime = process.processCreationTime;
            row.processCommandLine = process.processCommandLine;
            row.accountName = process.accountName;
            row.accountUpn = process.accountUpn;
        } else if (event instanceof DeviceNetworkEvent network) {
            row.remoteUrl = network.remoteUrl;
            row.remoteIP = network.remoteIP;
            row.remotePort = network.remotePort;
        }
        return row;
    }

    public static DownloadRow from(DeviceFileEvent event, String ruleId) {
        DownloadRow row = fromDevice(event, ruleId);
        row.fileOriginUrl = event.fileOriginUrl;
        return row;
    }

    private static DownloadRow fromDevice(DeviceEvent event, String ruleId) {
        DownloadRow row = new DownloadRow();
        row.ruleId = ruleId;
        row.deviceId = event.deviceId;
        row.deviceName = event.deviceName;
        row.machineGroup = event.machineGroup;
        row.timestamp = event.timestamp;
        row.reportId = event.reportId;
        row.fileName = event.fileName;
        row.folderPath = event.folderPath;
        row.initiatingProcessId = event.initiatingProcessId;
        row.initiatingProcessCreationTime = event.initiatingProcessCreationTime;
        row.initiatingProcessFileName = event.initiatingProcessFileName;
        row.initiatingProcessFolderPath = event.initiatingProcessFolderPath;
        row.initiatingProcessCommandLine = event.initiatingProcessCommandLine;
        row.initiatingProcessVersionInfoOriginalFileName = event.initiatingProcessVersionInfoOriginalFileName;
        row.initiatingProcessAccountDomain = event.initiatingProcessAccountDomain;
        row.initiatingProcessAccountName = event.initiatingProcessAccountName;
        row.initiatingProcessParentId = event.initiatingProcessParentId;
        row.initiatingProcessParentCreationTime = event.initiatingProcessParentCreationTime;
        row.initiatingProcessParentFileName = event.initiatingProcessParentFileName;
        return row;
    }

    /**
     * The download's process instance, see {@link ProcessInstanceKey}. Derived from the row's own
     * columns rather than kept in a field: the row stays in keyed state for the whole window.
     */
    public String instanceKey() {
        if (networkMessageId != null) {
            return "message|" + networkMessageId; // email rules raise one alert per message
        }
        return ProcessInstanceKey.of(deviceId, initiatingProcessId, initiatingProcessCreationTime, reportId, timestamp);
    }

    /**
     * One alert per rule and download process instance: the key of its alert state is the id of that
     * base alert. It is as unique as rule id and instance together, and a third of their length, which
     * counts: every state entry and timer of the alert function, and CEP's reference to the download,
     * stores it.
     */
    public String alertKey() {
        return AlertIds.of(ruleId, instanceKey());
    }

    /**
     * Identity of the telemetry row itself. Defender documents ReportId as unique only together with
     * the device and the Timestamp, so a replayed or re-delivered row maps to the same key.
     */
    public String rowKey() {
        if (networkMessageId != null) {
            // One EmailEvents row per recipient of the message.
            return RowIdentity.of(networkMessageId + '|' + recipientEmailAddress, reportId, timestamp);
        }
        return RowIdentity.of(deviceId, reportId, timestamp);
    }

    public long timestampMillis() {
        return Math.floorDiv(timestamp, 1_000_000L);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DownloadRow other
                && timestamp == other.timestamp
                && Objects.equals(deviceId, other.deviceId)
                && Objects.equals(reportId, other.reportId)
                && Objects.equals(ruleId, other.ruleId)
                && Objects.equals(instanceKey(), other.instanceKey())
                && Objects.equals(folderPath, other.folderPath)
                && Objects.equals(fileName, other.fileName)
                && Objects.equals(recipientEmailAddress, other.recipientEmailAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, reportId, timestamp);
    }

    @Override
    public String toString() {
        return "DownloadRow{" + instanceKey() + " " + rowKey() + " " + folderPath + "}";
    }
}
