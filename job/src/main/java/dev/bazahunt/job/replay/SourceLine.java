package dev.bazahunt.job.replay;

/** One line of an exported telemetry file, as raw bytes, with where it came from. A Flink POJO. */
public class SourceLine {
    public String file;
    /** 1-based. */
    public long lineNumber;
    public byte[] bytes;
    /** The line was longer than the reader's limit; {@link #bytes} holds only its start. */
    public boolean truncated;

    public SourceLine() {}

    public SourceLine(String file, long lineNumber, byte[] bytes, boolean truncated) {
        this.file = file;
        this.lineNumber = lineNumber;
        this.bytes = bytes;
        this.truncated = truncated;
    }
}
