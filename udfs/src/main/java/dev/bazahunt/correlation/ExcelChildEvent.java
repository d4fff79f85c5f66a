package dev.bazahunt.correlation;

import dev.bazahunt.telemetry.DeviceProcessEvent;
import java.util.Objects;

/**
 * A process that Excel spawned ({@code DeviceProcessEvents} with InitiatingProcessFileName =~
 * "excel.exe"), reduced to what the correlation evidence and the lineage check need. It is kept twice
 * for the whole window (in CEP's buffer and in the alert state of each linked download), so it leaves
 * out what those places already know: the device (CEP's key, and part of the download's key) and the
 * initiating process's name (always Excel). A Flink POJO.
 */
public class ExcelChildEvent {
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

    public ExcelChildEvent() {}

    public static ExcelChildEvent from(DeviceProcessEvent event) {
        ExcelChildEvent child = new ExcelChildEvent();
        child.timestamp = event.timestamp;
        child.reportId = event.reportId;
        child.processId = event.processId;
        child.processCreationTime = event.processCreationTime;
        child.fileName = event.fileName;
        child.processCommandLine = event.processCommandLine;
        child.initiatingProcessId = event.initiatingProcessId;
        child.initiatingProcessCreationTime = event.initiatingProcessCreationTime;
        return child;
    }

    /**
     * Identity of the telemetry row among its device's rows (every holder of an Excel child knows the
     * device): the same row delivered twice is one piece of evidence.
     */
    public String rowKey() {
        return RowIdentity.onDevice(reportId, timestamp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExcelChildEvent other
                && timestamp == other.timestamp
                && Objects.equals(reportId, other.reportId)
                && Objects.equals(processId, other.processId)
                && Objects.equals(processCommandLine, other.processCommandLine);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reportId, timestamp);
    }

    @Override
    public String toString() {
        return "ExcelChildEvent{" + rowKey() + " " + fileName + " " + processCommandLine + "}";
    }
}
