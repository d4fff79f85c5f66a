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
    /** The Excel child CEP paired with the download; null in an omission count. */
    public ExcelChildEvent excelChild;
    /**
     * In an omission count (no Excel child): how many more of the device's Excel children near the
     * download were left out of correlation because the device exceeded its budget.
     */
    public int excelChildrenOmitted;

    public CorrelationLink() {}

    public static CorrelationLink of(CorrelationEvent download, ExcelChildEvent excelChild) {
        CorrelationLink link = new CorrelationLink();
        link.downloadKey = download.downloadKey;
        link.downloadTimestamp = download.timestamp;
        link.excelChild = excelChild;
        return link;
    }

    /** {@code count} Excel children near the download were left out of correlation. */
    public static CorrelationLink omitted(String downloadKey, long downloadTimestamp, int count) {
        CorrelationLink link = new CorrelationLink();
        link.downloadKey = downloadKey;
        link.downloadTimestamp = downloadTimestamp;
        link.excelChildrenOmitted = count;
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
