package dev.bazahunt.job.replay;

import dev.bazahunt.job.pipeline.AlertRecord;
import dev.bazahunt.job.pipeline.DeadLetterJson;
import dev.bazahunt.telemetry.DeadLetter;

/** An alert or a dead letter on its way back to the replay client, with a key that orders it. A Flink POJO. */
public class ReplayOutput {
    public boolean alert;
    /** Alerts: Timestamp, base before correlated, AlertId. Dead letters: file, line, record index. */
    public String sortKey;
    public String json;

    public ReplayOutput() {}

    public static ReplayOutput of(AlertRecord record) {
        ReplayOutput output = new ReplayOutput();
        output.alert = true;
        output.sortKey = record.timestamp + '|' + (record.correlated ? 1 : 0) + '|' + record.alertId + '|'
                + String.format("%010d", record.revision);
        output.json = record.json;
        return output;
    }

    public static ReplayOutput of(DeadLetter letter) {
        ReplayOutput output = new ReplayOutput();
        output.alert = false;
        output.sortKey = letter.sourceFile + '|' + String.format("%015d|%08d",
                letter.sourceLine == null ? 0 : letter.sourceLine, letter.recordIndex + 1);
        output.json = DeadLetterJson.write(letter);
        return output;
    }
}
