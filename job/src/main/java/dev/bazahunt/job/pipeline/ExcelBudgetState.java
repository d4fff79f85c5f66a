package dev.bazahunt.job.pipeline;

/**
 * What {@link BoundExcelChildren} keeps per device: the current window bucket and what it kept and
 * omitted there, the previous bucket's omissions, and the recent downloads (those whose window may
 * still touch a bucket to come). A Flink POJO; the arrays stay as short as the device's downloads.
 */
public class ExcelBudgetState {
    public long bucket = Long.MIN_VALUE;
    public boolean bucketClosed;
    public int othersKept;
    public int omitted;
    public long previousBucket = Long.MIN_VALUE;
    public int previousOmitted;
    public String[] downloadKeys = {};
    /** Epoch nanoseconds, as the download's CorrelationEvent has it. */
    public long[] downloadTimes = {};
    public String[] downloadFileNames = {};

    public ExcelBudgetState() {}
}
