package dev.bazahunt.correlation;

import dev.bazahunt.telemetry.DeviceFileEvent;

/**
 * Names one process instance on one device. Process ids are recycled by Windows, so Defender's
 * guidance pairs the id with the process creation time. When either is missing, the row itself
 * (DeviceId + ReportId + Timestamp) is the only safe identity, and the row stands alone.
 */
public final class ProcessInstanceKey {
    private ProcessInstanceKey() {}

    public static String of(DeviceFileEvent event) {
        return of(event.deviceId, event.initiatingProcessId, event.initiatingProcessCreationTime,
                event.reportId, event.timestamp);
    }

    static String of(String deviceId, Long processId, Long processCreationTime, Long reportId, long timestamp) {
        if (processId != null && processCreationTime != null) {
            return deviceId + "|pid|" + processId + '|' + processCreationTime;
        }
        return deviceId + "|row|" + reportId + '|' + timestamp;
    }
}
