package dev.bazahunt.telemetry;

import java.util.List;

/** One row of Defender's {@code DeviceFileEvents} table: a file was created, modified, renamed or deleted. */
public class DeviceFileEvent extends DeviceEvent {
    public String fileOriginUrl;
    public String fileOriginReferrerUrl;
    public String fileOriginIP;
    public String previousFolderPath;
    public String previousFileName;
    public String requestProtocol;
    public String requestSourceIP;
    public String requestAccountName;
    public String requestAccountDomain;
    public String requestAccountSid;
    public String shareName;

    /** The Defender column names only this table carries, in wire spelling. */
    public static final List<String> OWN_COLUMNS = List.of(
            "FileOriginUrl",
            "FileOriginReferrerUrl",
            "FileOriginIP",
            "PreviousFolderPath",
            "PreviousFileName",
            "RequestProtocol",
            "RequestSourceIP",
            "RequestAccountName",
            "RequestAccountDomain",
            "RequestAccountSid",
            "ShareName");

    public DeviceFileEvent() {}

    @Override
    public DefenderTable table() {
        return DefenderTable.DEVICE_FILE_EVENTS;
    }

    @Override
    public String toString() {
        return "DeviceFileEvent{" + deviceId + " @" + timestamp + " report=" + reportId + " "
                + initiatingProcessFileName + " -> " + folderPath + "}";
    }
}
