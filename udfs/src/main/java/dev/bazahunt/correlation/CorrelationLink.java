package dev.bazahunt.correlation;

/**
 * A download and an Excel-spawned process on the same device within the correlation window: the unit
 * of evidence that CEP finds. Keyed downstream by the download's alert key. A Flink POJO.
 */
public class CorrelationLink {
    /** {@link DownloadRow#alertKey()} of the download. */
    public String downloadKey;
    /** Event time of the download row that CEP paired, epoch nanoseconds UTC. */
    public long downloadTimestamp;
    public ExcelChildEvent excelChild;

    public CorrelationLink() {}

    public static CorrelationLink of(CorrelationEvent download, ExcelChildEvent excelChild) {
        CorrelationLink link = new CorrelationLink();
        link.downloadKey = download.downloadKey;
        link.downloadTimestamp = download.timestamp;
        link.excelChild = excelChild;
        return link;
    }

    public long downloadTimestampMillis() {
        return Math.floorDiv(downloadTimestamp, 1_000_000L);
    }

    @Override
    public String toString() {
        return "CorrelationLink{" + downloadKey + " <-> " + excelChild + "}";
    }
}
