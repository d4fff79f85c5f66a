package dev.bazahunt.job.replay;

/**
 * One line of an exported telemetry file, as raw bytes, with where it came from. A Flink POJO.
 *
 * <p>The reader's pre-filter drops lines that cannot matter without emitting them, so it reports how
 * many it dropped on the next line it does emit ({@link #prefilterSkippedBefore}), and at the end of
 * each batch it emits a tally with no bytes for the lines it dropped after the batch's last emitted one.
 */
public class SourceLine {
    public String file;
    /** 1-based line number in the file, or null when a reader started mid-file and cannot know it. */
    public Long lineNumber;
    /** Where the line starts in the file (in the decompressed stream for gzip). */
    public long byteOffset;
    /** Null for a tally of skipped lines. */
    public byte[] bytes;
    /** The line was longer than the reader's limit; {@link #bytes} holds only its start. */
    public boolean truncated;
    /** Lines of this file the pre-filter skipped between the previous emitted line and this one. */
    public long prefilterSkippedBefore;
    /**
     * Set when the reader gave up on the file from here (a CSV export whose table is unknown, CSV that
     * cannot be delimited): the dead-letter reason's name; {@link #refusal} says why.
     */
    public String refusalReason;
    public String refusal;

    public SourceLine() {}

    public SourceLine(String file, Long lineNumber, long byteOffset, byte[] bytes, boolean truncated) {
        this.file = file;
        this.lineNumber = lineNumber;
        this.byteOffset = byteOffset;
        this.bytes = bytes;
        this.truncated = truncated;
    }

    /** The lines skipped since the last emitted line of {@code file}, reported at the end of a batch. */
    public static SourceLine skippedTally(String file, long skipped) {
        SourceLine tally = new SourceLine(file, null, -1, null, false);
        tally.prefilterSkippedBefore = skipped;
        return tally;
    }

    public boolean isSkippedTally() {
        return bytes == null && refusal == null;
    }

    /** The reader refuses the rest of {@code file} from {@code lineNumber} on, for {@code why}. */
    public static SourceLine refusal(String file, Long lineNumber, dev.bazahunt.telemetry.DeadLetterReason reason,
            String why) {
        SourceLine refused = new SourceLine(file, lineNumber, -1, null, false);
        refused.refusalReason = reason.name();
        refused.refusal = why;
        return refused;
    }
}
