package dev.bazahunt.correlation;

import java.util.Objects;

/**
 * What the BazaCall correlation sees per device: either a download (a row of the certutil rule) or an
 * Excel-spawned process. One type for both, because a CEP pattern runs over a single stream. A download
 * is only a reference, its alert key and time: the alert function already holds the download's rows,
 * so CEP's buffer, which keeps every candidate for the whole window, stays small. Exactly one of
 * {@link #downloadKey} and {@link #excelChild} is set. A Flink POJO with value equality, which Flink
 * CEP relies on.
 */
public class CorrelationEvent {
    public String deviceId;
    /** Epoch nanoseconds UTC. */
    public long timestamp;
    /** The download's alert key ({@link DownloadRow#alertKey()}), or null for an Excel child. */
    public String downloadKey;
    public ExcelChildEvent excelChild;
    /** The file a download wrote (null for an Excel child): a child that names it is stage-bearing. */
    public String fileName;

    public CorrelationEvent() {}

    public static CorrelationEvent of(DownloadRow download) {
        CorrelationEvent event = new CorrelationEvent();
        event.deviceId = download.deviceId;
        event.timestamp = download.timestamp;
        event.downloadKey = download.alertKey();
        event.fileName = download.fileName;
        return event;
    }

    public static CorrelationEvent of(String deviceId, ExcelChildEvent excelChild) {
        CorrelationEvent event = new CorrelationEvent();
        event.deviceId = deviceId;
        event.timestamp = excelChild.timestamp;
        event.excelChild = excelChild;
        return event;
    }

    public boolean isDownload() {
        return downloadKey != null;
    }

    public long timestampMillis() {
        return Math.floorDiv(timestamp, 1_000_000L);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorrelationEvent other
                && timestamp == other.timestamp
                && Objects.equals(deviceId, other.deviceId)
                && Objects.equals(downloadKey, other.downloadKey)
                && Objects.equals(excelChild, other.excelChild);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, timestamp, downloadKey, excelChild);
    }

    @Override
    public String toString() {
        return isDownload() ? "Correlation[download " + downloadKey + "]" : "Correlation[" + excelChild + "]";
    }
}
