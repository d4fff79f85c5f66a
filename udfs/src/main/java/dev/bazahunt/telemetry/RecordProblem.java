package dev.bazahunt.telemetry;

/**
 * The first thing found wrong with the record being read. Reading goes on to the end of the record
 * after a problem, so that the next record of a batch starts at the right token; only the first
 * problem is kept, because it is the one a person fixing the producer needs to see. Also counts the
 * bad values in non-key columns that were repaired to null ({@link KeyColumns}). Reused per record.
 */
final class RecordProblem {
    private DeadLetterReason reason;
    private String detail;
    private int repairs;
    private String firstRepair;

    /** A bad value in a non-key column, set to null instead of dead-lettering the row. */
    void repair(String detail) {
        if (repairs++ == 0) {
            firstRepair = detail;
        }
    }

    int repairs() {
        return repairs;
    }

    /** What the first repair of the record replaced, for the repair's report. */
    String firstRepair() {
        return firstRepair;
    }

    void report(DeadLetterReason reason, String detail) {
        if (this.reason == null) {
            this.reason = reason;
            this.detail = detail;
        }
    }

    boolean found() {
        return reason != null;
    }

    DeadLetterReason reason() {
        return reason;
    }

    String detail() {
        return detail;
    }

    void clear() {
        reason = null;
        detail = null;
        repairs = 0;
        firstRepair = null;
    }
}
