package dev.bazahunt.correlation;

/**
 * A download row and an Excel-spawned process on the same device within the correlation window: the
 * unit of evidence that CEP finds. Keyed downstream by the download's process instance. A Flink POJO.
 */
public class CorrelationLink {
    public DownloadRow download;
    public ExcelChildEvent excelChild;

    public CorrelationLink() {}

    public static CorrelationLink of(DownloadRow download, ExcelChildEvent excelChild) {
        CorrelationLink link = new CorrelationLink();
        link.download = download;
        link.excelChild = excelChild;
        return link;
    }

    public String instanceKey() {
        return download.instanceKey;
    }

    @Override
    public String toString() {
        return "CorrelationLink{" + download + " <-> " + excelChild + "}";
    }
}
