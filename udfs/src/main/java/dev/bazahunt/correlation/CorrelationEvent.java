package dev.bazahunt.correlation;

import java.util.Objects;

/**
 * What the BazaCall correlation sees per device: either a download (a row of the certutil rule) or an
 * Excel-spawned process. One type for both, because a CEP pattern runs over a single stream; exactly
 * one of {@link #download} and {@link #excelChild} is set. A Flink POJO with value equality, which
 * Flink CEP relies on.
 */
public class CorrelationEvent {
    public String deviceId;
    /** Epoch nanoseconds UTC. */
    public long timestamp;
    public DownloadRow download;
    public ExcelChildEvent excelChild;

    public CorrelationEvent() {}

    public static CorrelationEvent of(DownloadRow download) {
        CorrelationEvent event = new CorrelationEvent();
        event.deviceId = download.deviceId;
        event.timestamp = download.timestamp;
        event.download = download;
        return event;
    }

    public static CorrelationEvent of(ExcelChildEvent excelChild) {
        CorrelationEvent event = new CorrelationEvent();
        event.deviceId = excelChild.deviceId;
        event.timestamp = excelChild.timestamp;
        event.excelChild = excelChild;
        return event;
    }

    public boolean isDownload() {
        return download != null;
    }

    public long timestampMillis() {
        return Math.floorDiv(timestamp, 1_000_000L);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorrelationEvent other
                && timestamp == other.timestamp
                && Objects.equals(deviceId, other.deviceId)
                && Objects.equals(download, other.download)
                && Objects.equals(excelChild, other.excelChild);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, timestamp, download, excelChild);
    }

    @Override
    public String toString() {
        return isDownload() ? "Correlation[" + download + "]" : "Correlation[" + excelChild + "]";
    }
}
