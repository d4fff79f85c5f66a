package dev.bazahunt.job.replay;

import dev.bazahunt.job.pipeline.AlertRecord;

/** An alert on its way to the replay's alerts file, with the key it is sorted by. A Flink POJO. */
public class ReplayOutput {
    /** Timestamp, base before correlated, AlertId, Revision: the order of the alerts file. */
    public String sortKey;
    public String json;

    public ReplayOutput() {}

    public static ReplayOutput of(AlertRecord record) {
        ReplayOutput output = new ReplayOutput();
        output.sortKey = record.timestamp + '|' + (record.correlated ? 1 : 0) + '|' + record.alertId + '|'
                + String.format("%010d", record.revision);
        output.json = record.json;
        return output;
    }
}
