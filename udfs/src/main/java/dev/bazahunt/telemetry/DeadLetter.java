package dev.bazahunt.telemetry;

/**
 * An input record that could not become an event, with the reason and a bounded excerpt of the raw
 * input. The parser fills reason, detail, excerpt and recordIndex; the job adds where the bytes came
 * from (a file, line and byte offset, or a Kafka topic, partition and offset). A Flink POJO.
 */
public class DeadLetter {
    /** Upper bound on {@link #excerpt}, in characters, so one huge bad record cannot flood the output. */
    public static final int MAX_EXCERPT_CHARS = 512;

    /** A stable, machine-readable reason code; see {@link DeadLetterReason}. */
    public String reason;
    /** A human-readable explanation, e.g. which column was wrong and why. */
    public String detail;
    /** At most {@link #MAX_EXCERPT_CHARS} characters of the offending input. */
    public String excerpt;
    /** Position inside an Event Hubs {@code records[]} batch, or -1 when the input unit was one row. */
    public int recordIndex = -1;

    /** Source file path (replay), or null. */
    public String sourceFile;
    /** 1-based line number in {@link #sourceFile} (replay), or null when the reader could not know it. */
    public Long sourceLine;
    /** Byte offset of the line in {@link #sourceFile}, decompressed for gzip (replay), or null. */
    public Long sourceByteOffset;
    /** Kafka topic (live), or null. */
    public String topic;
    /** Kafka partition (live), or null. */
    public Integer partition;
    /** Kafka offset (live), or null. */
    public Long offset;

    public DeadLetter() {}

    public static DeadLetter of(DeadLetterReason reason, String detail, String excerpt, int recordIndex) {
        DeadLetter letter = new DeadLetter();
        letter.reason = reason.code();
        letter.detail = detail;
        letter.excerpt = bounded(excerpt);
        letter.recordIndex = recordIndex;
        return letter;
    }

    static String bounded(String text) {
        if (text == null || text.length() <= MAX_EXCERPT_CHARS) {
            return text;
        }
        int end = MAX_EXCERPT_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        return text.substring(0, end) + "…";
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ": " + detail + "}";
    }
}
