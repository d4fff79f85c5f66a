package dev.bazahunt.correlation;

/** The identity of one Defender row: DeviceId + ReportId + Timestamp, as Defender's schema documents. */
final class RowIdentity {
    private RowIdentity() {}

    static String of(String deviceId, Long reportId, long timestampNanos) {
        return deviceId + '|' + onDevice(reportId, timestampNanos);
    }

    /** The identity among the rows of one device, for holders that know the device already. */
    static String onDevice(Long reportId, long timestampNanos) {
        return String.valueOf(reportId) + '|' + timestampNanos;
    }
}
