package dev.bazahunt.telemetry;

import java.util.List;

/** One row of Defender's {@code DeviceProcessEvents} table: a process was created. */
public class DeviceProcessEvent extends DeviceEvent {
    public Long processId;
    public String processCommandLine;
    /** ProcessCreationTime: Epoch nanoseconds UTC, or null when absent. */
    public Long processCreationTime;
    public String processIntegrityLevel;
    public String processTokenElevation;
    public String processVersionInfoCompanyName;
    public String processVersionInfoProductName;
    public String processVersionInfoProductVersion;
    public String processVersionInfoInternalFileName;
    public String processVersionInfoOriginalFileName;
    public String processVersionInfoFileDescription;
    public String accountDomain;
    public String accountName;
    public String accountSid;
    public String accountUpn;
    public String accountObjectId;
    public Long logonId;

    /** The Defender column names only this table carries, in wire spelling. */
    public static final List<String> OWN_COLUMNS = List.of(
            "ProcessId",
            "ProcessCommandLine",
            "ProcessCreationTime",
            "ProcessIntegrityLevel",
            "ProcessTokenElevation",
            "ProcessVersionInfoCompanyName",
            "ProcessVersionInfoProductName",
            "ProcessVersionInfoProductVersion",
            "ProcessVersionInfoInternalFileName",
            "ProcessVersionInfoOriginalFileName",
            "ProcessVersionInfoFileDescription",
            "AccountDomain",
            "AccountName",
            "AccountSid",
            "AccountUpn",
            "AccountObjectId",
            "LogonId");

    public DeviceProcessEvent() {}

    @Override
    public DefenderTable table() {
        return DefenderTable.DEVICE_PROCESS_EVENTS;
    }

    @Override
    public String toString() {
        return "DeviceProcessEvent{" + deviceId + " @" + timestamp + " report=" + reportId + " "
                + initiatingProcessFileName + " -> " + fileName + " " + processCommandLine + "}";
    }
}
