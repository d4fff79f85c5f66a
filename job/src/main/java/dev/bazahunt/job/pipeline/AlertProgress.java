package dev.bazahunt.job.pipeline;

/** Per download instance: the revisions written so far and the pending cleanup timer. A Flink POJO. */
public class AlertProgress {
    public int baseRevision;
    public int correlatedRevision;
    /** Event time (millis) at which the correlation window of the latest row has closed. */
    public long cleanupAtMillis = Long.MIN_VALUE;

    public AlertProgress() {}
}
