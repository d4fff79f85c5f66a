package dev.bazahunt.correlation;

import dev.bazahunt.telemetry.DeviceProcessEvent;
import java.util.Objects;

/**
 * A process that Excel spawned ({@code DeviceProcessEvents} with InitiatingProcessFileName =~
 * "excel.exe"), reduced to what the correlation evidence and the lineage check need. A Flink POJO.
 */
public class ExcelChildEvent {
    public String deviceId;
    /** Epoch nanoseconds UTC. */
    public long timestamp;
    public Long reportId;
    public Long processId;
    public Long processCreationTime;
    public String fileName;
    public String processCommandLine;
    /** The Excel process itself. */
    public Long initiatingProcessId;
    public Long initiatingProcessCreationTime;
    public String initiatingProcessFileName;

    public ExcelChildEvent() {}

    public static ExcelChildEvent from(DeviceProcessEvent event) {
        ExcelChildEvent child = new ExcelChildEvent();
        child.deviceId = event.deviceId;
        child.timestamp = event.timestamp;
        child.reportId = event.reportId;
        child.processId = event.processId;
        child.processCreationTime = event.processCreationTime;
        child.fileName = event.fileName;
        child.processCommandLine = event.processCommandLine;
        child.initiatingProcessId = event.initiatingProcessId;
        child.initiatingProcessCreationTime = event.initiatingProcessCreationTime;
        child.initiatingProcessFileName = event.initiatingProcessFileName;
        return child;
    }

    /** Identity of the telemetry row: the same row delivered twice is one piece of evidence. */
    public String rowKey() {
        return RowIdentity.of(deviceId, reportId, timestamp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExcelChildEvent other
                && timestamp == other.timestamp
                && Objects.equals(deviceId, other.deviceId)
                && Objects.equals(reportId, other.reportId)
                && Objects.equals(processId, other.processId)
                && Objects.equals(processCommandLine, other.processCommandLine);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, reportId, timestamp);
    }

    @Override
    public String toString() {
        return "ExcelChildEvent{" + rowKey() + " " + fileName + " " + processCommandLine + "}";
    }
}
