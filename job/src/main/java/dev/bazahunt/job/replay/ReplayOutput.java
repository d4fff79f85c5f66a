package dev.bazahunt.job.replay;

import dev.bazahunt.job.pipeline.AlertRecord;
import dev.bazahunt.job.pipeline.DeadLetterJson;
import dev.bazahunt.telemetry.DeadLetter;

/** An alert, dead letter or exclusion audit line on its way back to the replay client. A Flink POJO. */
public class ReplayOutput {
    public static final int ALERT = 0;
    public static final int DEAD_LETTER = 1;
    public static final int EXCLUSION_AUDIT = 2;

    /** {@link #ALERT}, {@link #DEAD_LETTER} or {@link #EXCLUSION_AUDIT}. */
    public int kind;
    /**
     * Alerts: Timestamp, base before correlated, AlertId. Dead letters: file, line, record index. Audit
     * lines: their own text, which starts with the exclusion and the row's identity.
     */
    public String sortKey;
    public String json;

    public ReplayOutput() {}

    public static ReplayOutput of(AlertRecord record) {
        ReplayOutput output = new ReplayOutput();
        output.kind = ALERT;
        output.sortKey = record.timestamp + '|' + (record.correlated ? 1 : 0) + '|' + record.alertId + '|'
                + String.format("%010d", record.revision);
        output.json = record.json;
        return output;
    }

    public static ReplayOutput of(DeadLetter letter) {
        ReplayOutput output = new ReplayOutput();
        output.kind = DEAD_LETTER;
        // The byte offset orders the lines of a file whichever reader read them and knows a line number.
        output.sortKey = letter.sourceFile + '|' + String.format("%019d|%08d",
                letter.sourceByteOffset == null ? 0 : letter.sourceByteOffset, letter.recordIndex + 1);
        output.json = DeadLetterJson.write(letter);
        return output;
    }

    public static ReplayOutput exclusionAudit(String json) {
        ReplayOutput output = new ReplayOutput();
        output.kind = EXCLUSION_AUDIT;
        output.sortKey = json;
        output.json = json;
        return output;
    }
}
