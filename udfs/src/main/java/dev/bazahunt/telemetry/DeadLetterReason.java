package dev.bazahunt.telemetry;

/** Why a record became a dead letter. The codes are part of the dead-letter output contract. */
public enum DeadLetterReason {
    /** The bytes are not valid JSON (or not valid UTF-8 JSON text). */
    MALFORMED_JSON("malformed-json"),
    /** Valid JSON, but not one of the three wire forms (not an object, no table, records not an array). */
    UNRECOGNISED_FORM("unrecognised-form"),
    /** The row has no DeviceId, or an empty one: it cannot be keyed. */
    MISSING_DEVICE_ID("missing-device-id"),
    /** An EmailEvents row has no NetworkMessageId, or an empty one: it cannot be keyed. */
    MISSING_NETWORK_MESSAGE_ID("missing-network-message-id"),
    /** The row has neither Timestamp nor (flat form) TimeGenerated. */
    MISSING_TIMESTAMP("missing-timestamp"),
    /** A datetime column does not hold an ISO-8601 datetime. */
    BAD_TIMESTAMP("bad-timestamp"),
    /** A column holds a value of the wrong JSON type, e.g. an object where a string belongs. */
    WRONG_TYPE("wrong-type"),
    /** A CSV export cannot be delimited from some line on (an unterminated quote); the rest is unread. */
    MALFORMED_CSV("malformed-csv"),
    /** The input unit exceeds the reader's size limit; only its start was kept. */
    OVERSIZED_RECORD("oversized-record"),
    /** A defect in the parser rather than in the input; reported so that one record cannot stop the job. */
    INTERNAL_ERROR("internal-error");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
