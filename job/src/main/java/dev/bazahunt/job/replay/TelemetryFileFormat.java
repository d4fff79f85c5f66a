package dev.bazahunt.job.replay;

import dev.bazahunt.telemetry.CsvDateOrder;
import dev.bazahunt.telemetry.RawNeedles;
import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.RawPrefilter;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.MutableRecordAndPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads exported telemetry files (JSON lines, optionally gzip) as raw byte lines that know their file
 * and position, so a dead letter can say exactly where it came from. Flink's TextLineInputFormat
 * cannot: a StreamFormat never sees the file path, and it decodes every line to a String that the
 * parser would only turn back into bytes. Large uncompressed files are read in byte ranges by several
 * readers at once ({@link ByteRangeEnumerator}); a line's number in its file is known only in the
 * range that starts the file, its byte offset always. On restore a reader skips the lines of its
 * range it had already consumed.
 *
 * <p>With the pre-filter on, the reader runs {@link RawPrefilter} over its own buffer in the same pass
 * that finds the line ends ({@link LineSplitter}), and drops the lines that cannot matter there: they
 * are never copied, never wrapped in a record and never handed through Flink's chain (which copies
 * every record), let alone parsed. Doing it here rather than in {@link ParseSourceLines} is what makes
 * the skip nearly free. Their number travels on the next emitted line or on a tally at the end of the
 * batch (see {@link SourceLine#prefilterSkippedBefore}).
 */
public final class TelemetryFileFormat implements BulkFormat<SourceLine, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    /**
     * Lines handed to Flink per batch at most. A batch is handed over when it is full or its split ends,
     * so a test that holds an input open (ReplayOnClusterIT) writes whole batches.
     */
    public static final int BATCH_LINES = 512;
    /**
     * A batch ends once its lines hold this many bytes, so a batch holds at most this plus one line
     * ({@link #DEFAULT_MAX_LINE_BYTES}): 512 lines of 16 MB would otherwise make one 8 GB batch.
     */
    static final long DEFAULT_BATCH_BYTES = 8L << 20;
    /**
     * A batch also ends once this many bytes were read for it, when the pre-filter skips nearly everything,
     * so the fetcher thread returns to Flink every few milliseconds (e.g. to be cancelled) yet does not
     * hand over a batch, and wake Flink's task thread, for every few megabytes: with 8 MB here a replay
     * spent a tenth more CPU per row on the hand-overs. Skipped lines are never held, so this costs no memory.
     */
    static final long SCAN_BYTES_PER_BATCH = 64L << 20;
    /** Longer lines are cut here and dead-lettered: one huge record must not exhaust the heap. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final int maxLineBytes;
    private final boolean prefilter;
    private final CsvDateOrder csvDateOrder;
    private final RawNeedles extraNeedles;
    private final long batchBytes;
    private final long scanBytes;

    public TelemetryFileFormat(boolean prefilter) {
        this(DEFAULT_MAX_LINE_BYTES, prefilter, CsvDateOrder.MDY);
    }

    public TelemetryFileFormat(boolean prefilter, CsvDateOrder csvDateOrder) {
        this(DEFAULT_MAX_LINE_BYTES, prefilter, csvDateOrder);
    }

    public TelemetryFileFormat(int maxLineBytes, boolean prefilter) {
        this(maxLineBytes, prefilter, CsvDateOrder.MDY);
    }

    /**
     * @param csvDateOrder how a CSV export's numeric dates are read when the file does not settle it
     */
    public TelemetryFileFormat(int maxLineBytes, boolean prefilter, CsvDateOrder csvDateOrder) {
        this(maxLineBytes, prefilter, csvDateOrder, null);
    }

    /**
     * @param extraNeedles findings of further rules that keep a line or record the pre-filter would
     *     skip ({@code HuntTuning#extraPrefilterNeedles}), or null
     */
    public TelemetryFileFormat(int maxLineBytes, boolean prefilter, CsvDateOrder csvDateOrder, RawNeedles extraNeedles) {
        this(maxLineBytes, prefilter, csvDateOrder, extraNeedles, DEFAULT_BATCH_BYTES, SCAN_BYTES_PER_BATCH);
    }

    /**
     * @param batchBytes a batch of lines ends once it holds this many bytes
     * @param scanBytes or once this many bytes were read for it
     */
    TelemetryFileFormat(int maxLineBytes, boolean prefilter, CsvDateOrder csvDateOrder, RawNeedles extraNeedles,
            long batchBytes, long scanBytes) {
        this.maxLineBytes = maxLineBytes;
        this.prefilter = prefilter;
        this.csvDateOrder = csvDateOrder;
        this.extraNeedles = extraNeedles;
        this.batchBytes = batchBytes;
        this.scanBytes = scanBytes;
    }

    @Override
    public Reader<SourceLine> createReader(Configuration config, FileSourceSplit split) throws IOException {
        if (isCsv(split.path())) {
            return new CsvExportReader(split.path(), fileName(split.path()), prefilter, extraNeedles, csvDateOrder,
                    isGzip(split.path()));
        }
        return new LineReader(split, maxLineBytes, prefilter, extraNeedles, batchBytes, scanBytes);
    }

    @Override
    public Reader<SourceLine> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        // A line's position is the number of lines of its split consumed through it, emitted or skipped;
        // for a CSV export, the number of records.
        long alreadyConsumed = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        if (isCsv(split.path())) {
            CsvExportReader reader = (CsvExportReader) createReader(config, split);
            reader.skipRecords(alreadyConsumed);
            return reader;
        }
        LineReader reader = new LineReader(split, maxLineBytes, prefilter, extraNeedles, batchBytes, scanBytes);
        reader.skipLines(alreadyConsumed);
        return reader;
    }

    /** Uncompressed files are cut into byte ranges by {@link ByteRangeEnumerator}; gzip files stay whole. */
    @Override
    public boolean isSplittable() {
        return true;
    }

    /**
     * Whether a reader can start in the middle of this file: not in a gzip stream, and not in a CSV
     * export, whose quoted fields may hold line breaks.
     */
    static boolean canStartMidFile(Path path) {
        return !isGzip(path) && !isCsv(path);
    }

    /** A CSV export, plain or gzip: {@code .csv} or {@code .csv.gz}. */
    static boolean isCsv(Path path) {
        String name = path.getName().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".csv.gz");
    }

    /** Local files are reported as plain paths; other file systems keep their scheme (s3://...). */
    private static String fileName(Path path) {
        return "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
    }

    @Override
    public TypeInformation<SourceLine> getProducedType() {
        return TypeInformation.of(SourceLine.class);
    }

    private static boolean isGzip(Path path) {
        return path.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
    }

    private static final class LineReader implements Reader<SourceLine> {
        private final String file;
        private final LineSplitter lines;
        /** Line numbers are known only in a split that starts the file. */
        private final boolean knowsLineNumbers;
        private final long batchBytes;
        private final long scanBytes;
        /** Skipped lines already reported on an emitted line or a tally. */
        private long skippedReported;

        LineReader(FileSourceSplit split, int maxLineBytes, boolean prefilter, RawNeedles extraNeedles, long batchBytes,
                long scanBytes) throws IOException {
            this.batchBytes = batchBytes;
            this.scanBytes = scanBytes;
            Path path = split.path();
            this.file = fileName(path);
            long start = split.offset();
            long end = start + split.length() >= split.fileSize() ? Long.MAX_VALUE : start + split.length();
            FSDataInputStream raw = path.getFileSystem().open(path);
            if (start > 0) {
                raw.seek(start - 1); // the splitter looks at the byte before its range
            }
            InputStream in = isGzip(path) ? new GZIPInputStream(raw, 64 * 1024) : raw;
            // Rows of a table whose rules are covered only by the table's name may not name it
            // themselves when the path does (exports); such a file is read whole.
            DefenderTable hint = DefenderTable.fromPath(file);
            boolean filter = prefilter && RawPrefilter.filtersRowsHintedAs(hint);
            this.lines = new LineSplitter(in, maxLineBytes, filter, extraNeedles, hint, start, end);
            this.knowsLineNumbers = start == 0;
        }

        void skipLines(long count) {
            lines.skipLines(count);
        }

        @Override
        public RecordIterator<SourceLine> readBatch() throws IOException {
            SourceLine[] batch = new SourceLine[BATCH_LINES + 1];
            long[] positions = new long[BATCH_LINES + 1];
            int count = 0;
            long bytes = 0;
            long readBefore = lines.readOffset();
            while (count < BATCH_LINES && bytes < batchBytes) {
                long scanLeft = scanBytes - (lines.readOffset() - readBefore);
                if (scanLeft <= 0) {
                    break;
                }
                int outcome = lines.next(scanLeft);
                if (outcome != LineSplitter.LINE) {
                    break;
                }
                byte[] copy = lines.copyOfLine();
                bytes += copy.length;
                SourceLine line = new SourceLine(file, knowsLineNumbers ? lines.linesConsumed() : null,
                        lines.lineOffset(), copy, lines.truncated());
                line.prefilterSkippedBefore = unreportedSkips();
                positions[count] = lines.linesConsumed();
                batch[count++] = line;
            }
            // Lines skipped after the last emitted one travel on a tally, so every batch reports its skips.
            long skipped = unreportedSkips();
            if (skipped > 0) {
                positions[count] = lines.linesConsumed();
                batch[count++] = SourceLine.skippedTally(file, skipped);
            }
            return count == 0 ? null : new LineBatch(batch, positions, count);
        }

        private long unreportedSkips() {
            long unreported = lines.skippedLines() - skippedReported;
            skippedReported = lines.skippedLines();
            return unreported;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /** A batch of lines whose checkpoint position is the number of lines of the split consumed through each. */
    static final class LineBatch implements RecordIterator<SourceLine> {
        private final SourceLine[] lines;
        private final long[] positions;
        private final int count;
        private final MutableRecordAndPosition<SourceLine> current = new MutableRecordAndPosition<>();
        private int next;

        LineBatch(SourceLine[] lines, long[] positions, int count) {
            this.lines = lines;
            this.positions = positions;
            this.count = count;
        }

        @Override
        public RecordAndPosition<SourceLine> next() {
            if (next == count) {
                return null;
            }
            current.set(lines[next], CheckpointedPosition.NO_OFFSET, positions[next]);
            next++;
            return current;
        }

        @Override
        public void releaseBatch() {}
    }
}
