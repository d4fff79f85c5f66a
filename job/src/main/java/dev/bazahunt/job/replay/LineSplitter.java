package dev.bazahunt.job.replay;

import dev.bazahunt.telemetry.ByteWords;
import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.RawNeedles;
import dev.bazahunt.telemetry.RawPrefilter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream on '\n' without decoding it, and with the pre-filter on, decides in the same
 * pass over its buffer which lines can matter ({@link RawPrefilter#scan}). Lines are windows of one
 * large buffer: a line that is skipped is never copied, and a line's bytes are read once, many at a
 * time. A trailing '\r' stays in the line; the parser treats it as JSON whitespace. Lines beyond
 * {@code maxLineBytes} are cut there and flagged, and the rest of such a line is skipped.
 *
 * <p>A splitter may own only a byte range of its file: the lines that <em>start</em> inside the range.
 * It reads the last of them to its end, past the range, and a range that starts mid-file begins after
 * the first '\n' at or past its start, because the line cut by the start belongs to the range before.
 * Together the ranges of a file yield each line exactly once.
 */
final class LineSplitter implements Closeable {
    /** {@link #next} found a line to hand on: see {@link #copyOfLine()}. */
    static final int LINE = 0;
    /** {@link #next} scanned its byte budget, ending on a skipped line; call again to go on. */
    static final int PAUSED = 1;
    /** The stream has ended. */
    static final int END = 2;

    /**
     * Bytes read at a time, and the buffer's size. Below half of G1's smallest region (1 MB), so a
     * reader's buffer is no "humongous" object: with 1 MB buffers each split's reader forced a G1 cycle,
     * 44 of 94 collections in a replay of 4M lines here. Reads of 256 KB and 1 MB scan as fast.
     */
    private static final int READ_SIZE = 256 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final boolean prefilter;
    /** Findings of further rules (the hardened rule's), checked on a line the pre-filter would skip; or null. */
    private final RawNeedles extraNeedles;
    /** The table the parser is told for rows that do not name theirs, or null. */
    private final DefenderTable tableHint;
    private byte[] buffer = new byte[READ_SIZE];
    private int limit;
    private boolean endOfStream;

    /** Where the line being scanned starts, and where its scan resumes. */
    private int lineStart;
    private int scanFrom;
    /** The pre-filter found something in the line being scanned: it will be handed on. */
    private boolean lineMatters;
    /** The line being scanned holds an Excel child's value: it matters if it may hold a process row. */
    private boolean excelValueInLine;
    /** The rest of a cut line is being passed over. */
    private boolean discardingRestOfLine;

    private int foundStart;
    private int foundEnd;
    private boolean truncated;
    private long linesConsumed;
    private long skippedLines;
    /** Lines a restored reader had consumed before its checkpoint. */
    private long alreadyConsumed;

    /** The file offset of {@code buffer[0]}. */
    private long bufferOffset;
    /** Lines that start at or after this file offset belong to the next range. */
    private final long rangeEnd;

    /** A splitter for a whole stream. */
    LineSplitter(InputStream in, int maxLineBytes, boolean prefilter) {
        this(in, maxLineBytes, prefilter, 0, Long.MAX_VALUE);
    }

    /**
     * A splitter for the lines that start in {@code [rangeStart, rangeEnd)}. For a range that starts
     * mid-file, {@code in} must be positioned one byte before {@code rangeStart}, so that a line starting
     * exactly there is seen to.
     */
    LineSplitter(InputStream in, int maxLineBytes, boolean prefilter, long rangeStart, long rangeEnd) {
        this(in, maxLineBytes, prefilter, null, null, rangeStart, rangeEnd);
    }

    /**
     * @param extraNeedles findings that also make a line matter (see {@code HuntTuning#extraPrefilterNeedles}),
     *     or null; they are looked for only in lines the fused scan found nothing in
     * @param tableHint the table the parser is told for the file's rows that do not name their own, or null
     */
    LineSplitter(InputStream in, int maxLineBytes, boolean prefilter, RawNeedles extraNeedles, DefenderTable tableHint,
            long rangeStart, long rangeEnd) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.prefilter = prefilter;
        this.extraNeedles = extraNeedles;
        this.tableHint = tableHint;
        this.rangeEnd = rangeEnd;
        if (rangeStart > 0) {
            bufferOffset = rangeStart - 1;
            discardingRestOfLine = true; // the line the range start cuts, or the '\n' just before it
        }
    }

    /**
     * Advances to the next line to hand on: every line without the pre-filter, else only lines that may
     * matter (the others are counted in {@link #skippedLines()}). Returns {@link #PAUSED} instead once
     * more than {@code byteBudget} bytes were read since the call began and the last line was skipped,
     * so a caller can hand on the count without waiting for the next line that matters.
     */
    int next(long byteBudget) throws IOException {
        long read = 0;
        while (true) {
            if (!discardingRestOfLine && bufferOffset + lineStart >= rangeEnd) {
                return END;
            }
            int lineEnd = findLineEnd();
            if (lineEnd < 0) {
                if (!discardingRestOfLine && limit - lineStart > maxLineBytes) {
                    // Hand the line on cut at the limit now; its rest is passed over as it arrives.
                    discardingRestOfLine = true;
                    if (consumeLine(lineStart, lineStart + maxLineBytes, true)) {
                        return LINE;
                    }
                    continue;
                }
                if (endOfStream) {
                    return END;
                }
                read += fill();
                continue;
            }
            int start = lineStart;
            boolean restOfCutLine = discardingRestOfLine;
            boolean mayMatter = !prefilter || lineMatters || !RawPrefilter.looksLikeOneObject(buffer, start, lineEnd)
                    || (excelValueInLine && RawPrefilter.mayHoldProcessRows(buffer, start, lineEnd, tableHint))
                    || (extraNeedles != null && extraNeedles.foundIn(buffer, start, lineEnd - start));
            lineStart = Math.min(lineEnd + 1, limit);
            scanFrom = lineStart;
            lineMatters = false;
            excelValueInLine = false;
            discardingRestOfLine = false;
            if (restOfCutLine) {
                continue; // the end of a line that was already handed on, cut
            }
            int length = lineEnd - start;
            if (consumeLine(start, start + Math.min(length, maxLineBytes), length > maxLineBytes)) {
                if (mayMatter || length > maxLineBytes) {
                    return LINE;
                }
                skippedLines++;
                if (read > byteBudget) {
                    return PAUSED;
                }
            }
        }
    }

    /** Counts a line and makes it the current one; false for a line a restored reader had already consumed. */
    private boolean consumeLine(int start, int end, boolean cut) {
        linesConsumed++;
        foundStart = start;
        foundEnd = end;
        truncated = cut;
        return linesConsumed > alreadyConsumed;
    }

    /**
     * Scans on from {@link #scanFrom} and returns the end of the current line: its '\n', or the end of
     * the stream for a last line without one. Returns -1 when more bytes are needed first. A line that
     * grows beyond the limit is handed on at once, cut, and its rest is discarded as it arrives.
     */
    private int findLineEnd() {
        while (true) {
            if (prefilter && !lineMatters && !discardingRestOfLine) {
                long stop = RawPrefilter.scan(buffer, lineStart, scanFrom, limit, endOfStream);
                int at = RawPrefilter.position(stop);
                switch (RawPrefilter.kind(stop)) {
                    case RawPrefilter.NEWLINE:
                        return at;
                    case RawPrefilter.FINDING:
                        lineMatters = true;
                        scanFrom = at;
                        continue;
                    case RawPrefilter.EXCEL_VALUE:
                        excelValueInLine = true;
                        scanFrom = at + 1;
                        continue;
                    default:
                        scanFrom = at;
                        return endOfUnterminatedLine();
                }
            }
            int newline = ByteWords.indexOf(buffer, (byte) '\n', scanFrom, limit);
            if (newline < limit) {
                return newline;
            }
            scanFrom = limit;
            return endOfUnterminatedLine();
        }
    }

    /** Where the current line ends when no '\n' ends it: at the end of the stream, if it has bytes; else -1, read more. */
    private int endOfUnterminatedLine() {
        return endOfStream && lineStart < limit ? limit : -1;
    }

    /**
     * Reads more bytes behind the current line, first moving that line to the front of the buffer, and
     * growing the buffer while one line does not fit. Returns the number of bytes read.
     */
    private int fill() throws IOException {
        if (discardingRestOfLine) {
            lineStart = scanFrom;
        }
        if (lineStart > 0) {
            bufferOffset += lineStart;
            System.arraycopy(buffer, lineStart, buffer, 0, limit - lineStart);
            limit -= lineStart;
            scanFrom -= lineStart;
            lineStart = 0;
        }
        if (buffer.length - limit < READ_SIZE / 2) {
            buffer = Arrays.copyOf(buffer, buffer.length + READ_SIZE);
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            endOfStream = true;
            return 0;
        }
        limit += read;
        return read;
    }

    /** Makes the first {@code count} lines pass unseen and uncounted, as a restored reader must. */
    void skipLines(long count) {
        alreadyConsumed = count;
    }

    byte[] copyOfLine() {
        return Arrays.copyOfRange(buffer, foundStart, foundEnd);
    }

    /** The file offset at which the current line starts. */
    long lineOffset() {
        return bufferOffset + foundStart;
    }

    boolean truncated() {
        return truncated;
    }

    /**
     * Lines of the range consumed so far, handed on or skipped: for a range that starts the file, the
     * 1-based number of the last one.
     */
    long linesConsumed() {
        return linesConsumed;
    }

    /** The file offset up to which bytes have been read from the stream. */
    long readOffset() {
        return bufferOffset + limit;
    }

    /** Lines the pre-filter skipped so far. */
    long skippedLines() {
        return skippedLines;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
