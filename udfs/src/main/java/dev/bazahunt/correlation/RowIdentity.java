package dev.bazahunt.correlation;

/** The identity of one Defender row: DeviceId + ReportId + Timestamp, as Defender's schema documents. */
final class RowIdentity {
    private RowIdentity() {}

    static String of(String deviceId, Long reportId, long timestampNanos) {
        return deviceId + '|' + reportId + '|' + timestampNanos;
    }
}
