package dev.bazahunt.telemetry;

/**
 * The first thing found wrong with the record being read. Reading goes on to the end of the record
 * after a problem, so that the next record of a batch starts at the right token; only the first
 * problem is kept, because it is the one a person fixing the producer needs to see. Reused per record.
 */
final class RecordProblem {
    private DeadLetterReason reason;
    private String detail;

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
    }
}
