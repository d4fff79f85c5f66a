package dev.bazahunt.telemetry;

import java.util.List;

/**
 * The columns that {@code DeviceFileEvents}, {@code DeviceProcessEvents} and {@code DeviceNetworkEvents}
 * share.
 *
 * <p>A Flink POJO: public no-arg constructor and public fields, so Flink serializes it with its POJO
 * serializer instead of falling back to Kryo. Field names are the Defender column names in lower
 * camel case. A string column that was null or absent on the wire is {@code null} here; the KQL
 * operators treat that as the empty string, as Kusto does. Datetimes are epoch nanoseconds UTC.
 */
public abstract class DeviceEvent extends DefenderEvent {
    public String deviceId;
    public String deviceName;
    public String actionType;
    public String fileName;
    public String folderPath;
    public String sha1;
    public String sha256;
    public String md5;
    public Long fileSize;
    /** ReportId: Unique per DeviceName + Timestamp, not globally. */
    public Long reportId;
    public String machineGroup;
    /** AdditionalFields: Kept as JSON text: a string in Defender XDR, dynamic in Sentinel. */
    public String additionalFields;
    public String initiatingProcessAccountDomain;
    public String initiatingProcessAccountName;
    public String initiatingProcessAccountSid;
    public String initiatingProcessAccountUpn;
    public String initiatingProcessAccountObjectId;
    public String initiatingProcessMD5;
    public String initiatingProcessSHA1;
    public String initiatingProcessSHA256;
    public String initiatingProcessFolderPath;
    public String initiatingProcessFileName;
    public Long initiatingProcessFileSize;
    public String initiatingProcessVersionInfoCompanyName;
    public String initiatingProcessVersionInfoProductName;
    public String initiatingProcessVersionInfoProductVersion;
    public String initiatingProcessVersionInfoInternalFileName;
    public String initiatingProcessVersionInfoOriginalFileName;
    public String initiatingProcessVersionInfoFileDescription;
    public Long initiatingProcessId;
    public String initiatingProcessCommandLine;
    /** InitiatingProcessCreationTime: Epoch nanoseconds UTC, or null when absent. */
    public Long initiatingProcessCreationTime;
    public String initiatingProcessIntegrityLevel;
    public String initiatingProcessTokenElevation;
    public Long initiatingProcessParentId;
    public String initiatingProcessParentFileName;
    /** InitiatingProcessParentCreationTime: Epoch nanoseconds UTC, or null when absent. */
    public Long initiatingProcessParentCreationTime;
    public Long initiatingProcessSessionId;
    public Long initiatingProcessUniqueId;
    public Long initiatingProcessLogonId;
    public String initiatingProcessSignerType;
    public String initiatingProcessSignatureStatus;
    public String initiatingProcessRemoteSessionDeviceName;
    public String initiatingProcessRemoteSessionIP;

    /** The Defender column names this class carries, in wire spelling. */
    public static final List<String> COLUMNS = List.of(
            "Timestamp",
            "DeviceId",
            "DeviceName",
            "ActionType",
            "FileName",
            "FolderPath",
            "SHA1",
            "SHA256",
            "MD5",
            "FileSize",
            "ReportId",
            "MachineGroup",
            "AdditionalFields",
            "InitiatingProcessAccountDomain",
            "InitiatingProcessAccountName",
            "InitiatingProcessAccountSid",
            "InitiatingProcessAccountUpn",
            "InitiatingProcessAccountObjectId",
            "InitiatingProcessMD5",
            "InitiatingProcessSHA1",
            "InitiatingProcessSHA256",
            "InitiatingProcessFolderPath",
            "InitiatingProcessFileName",
            "InitiatingProcessFileSize",
            "InitiatingProcessVersionInfoCompanyName",
            "InitiatingProcessVersionInfoProductName",
            "InitiatingProcessVersionInfoProductVersion",
            "InitiatingProcessVersionInfoInternalFileName",
            "InitiatingProcessVersionInfoOriginalFileName",
            "InitiatingProcessVersionInfoFileDescription",
            "InitiatingProcessId",
            "InitiatingProcessCommandLine",
            "InitiatingProcessCreationTime",
            "InitiatingProcessIntegrityLevel",
            "InitiatingProcessTokenElevation",
            "InitiatingProcessParentId",
            "InitiatingProcessParentFileName",
            "InitiatingProcessParentCreationTime",
            "InitiatingProcessSessionId",
            "InitiatingProcessUniqueId",
            "InitiatingProcessLogonId",
            "InitiatingProcessSignerType",
            "InitiatingProcessSignatureStatus",
            "InitiatingProcessRemoteSessionDeviceName",
            "InitiatingProcessRemoteSessionIP");

    protected DeviceEvent() {}
}
